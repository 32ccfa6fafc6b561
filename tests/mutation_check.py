"""A small mutation check: plant the faults that matter most and require a test to fail.

Each fault is written into a throwaway copy of ``src/`` and the tests that guard the
numbers are run against that copy (``PYTHONPATH`` first, so the copy is imported). A
fault that no test notices is a hole in the suite. Run it with ``make mutation``; it
prints one line per fault and exits 1 if any survives.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TESTS = ["tests/test_shares.py", "tests/test_suppression.py"]
#: (what, file, the correct text, the fault)
FAULTS = [
    (
        "a Wald interval in place of Wilson's",
        "src/trygg/stats/shares.py",
        "    denominator = 1 + z**2 / n\n"
        "    centre = (p + z**2 / (2 * n)) / denominator\n"
        "    half = z * math.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denominator\n",
        "    centre = p\n    half = z * math.sqrt(p * (1 - p) / n)\n",
    ),
    (
        "a rate per 100 in place of per 1 000 inhabitants",
        "src/trygg/stats/incident_figures.py",
        "round(1000 * total / population, 3)",
        "round(100 * total / population, 3)",
    ),
    (
        "the previous period one year off",
        "src/trygg/stats/periods.py",
        "return Period.year_of(self.start.year - 1)",
        "return Period.year_of(self.start.year - 2)",
    ),
    (
        "Kish's effective n replaced by the plain count",
        "src/trygg/stats/shares.py",
        "    n_eff = weight_sum**2 / weight_sq_sum\n",
        "    n_eff = float(n)\n",
    ),
]


def survives(fault: tuple[str, str, str, str], workdir: Path) -> bool:
    """Whether the suite still passes with ``fault`` planted (True is bad)."""
    _what, relative, correct, planted = fault
    copy = workdir / "src"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(REPO / "src", copy, ignore=shutil.ignore_patterns("*.egg-info"))
    target = copy / Path(relative).relative_to("src")
    text = target.read_text(encoding="utf-8")
    if correct not in text:
        raise SystemExit(f"mutation_check: {relative} no longer holds the text to mutate")
    target.write_text(text.replace(correct, planted), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": f"{copy}{os.pathsep}{REPO}", "TRYGG_DEMO_DIR": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *TESTS],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    return done.returncode == 0


#: The control: no fault at all. The copy must pass, or the check proves nothing.
CONTROL = ("no fault (control)", "src/trygg/stats/shares.py", "import math\n", "import math\n")


def main() -> int:
    survived = []
    with tempfile.TemporaryDirectory() as folder:
        if not survives(CONTROL, Path(folder)):
            print("the unchanged copy fails its tests: the check proves nothing")
            return 2
        print("passed    no fault (control)")
        for fault in FAULTS:
            alive = survives(fault, Path(folder))
            print(f"{'SURVIVED' if alive else 'caught  '}  {fault[0]}")
            if alive:
                survived.append(fault[0])
    print(f"{len(FAULTS) - len(survived)} of {len(FAULTS)} planted faults caught")
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main())
