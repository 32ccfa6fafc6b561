"""Issue 13, acceptance 5: every figure, count, z and bin the speed work touched is the
same as before it, on the demo and on a small version of the benchmarks' data.

``tests/golden/issue13_before.json`` holds the digests the code before the column-wise
imports, the answer rows and the slim incident links wrote (``golden_outputs.py``, run
from that checkout). A change that is meant to alter results rewrites the file with
the new code and says so in its commit; a change that is not must leave this green.
"""

from __future__ import annotations

import json
from pathlib import Path

from golden_outputs import outputs

BEFORE = Path(__file__).parent / "golden" / "issue13_before.json"


def test_results_are_those_of_the_code_before_the_speed_work(tmp_path):
    before = json.loads(BEFORE.read_text(encoding="utf-8"))
    now = outputs(tmp_path)
    assert sorted(now) == sorted(before)
    changed = [name for name in before if now[name] != before[name]]
    assert changed == []
