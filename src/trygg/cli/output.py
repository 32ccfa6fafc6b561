"""What a command writes: JSON and text to standard out or to a file."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def print_json(value, compact: bool = False) -> None:
    """JSON on standard out; large map layers compact, everything else readable."""
    if compact:
        print(json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str))
    else:
        print(json.dumps(value, ensure_ascii=False, indent=2, default=str))


def write_text(text: str, out: str | None) -> None:
    """Text to the file ``out``, or to standard out when it is None or ``-``."""
    if not out or out == "-":
        sys.stdout.write(text)
    else:
        Path(out).write_text(text, encoding="utf-8")
