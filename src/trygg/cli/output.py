"""What a command writes: JSON and text to standard out or to a file."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from trygg.strings import t


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


def print_refusal(args, message: str, groups: list[dict] | None) -> None:
    """Under ``--json`` (or ``--format json``) a refusal is JSON on standard out too:
    ``{"refused": true, "message": …}``, plus ``error_groups`` for a file refused for its
    rows. The sentence itself goes to standard error as always (by the caller)."""
    if getattr(args, "json", False) or getattr(args, "format", None) == "json":
        refusal = {"refused": True, "message": message}
        print_json(refusal | {"error_groups": groups} if groups else refusal)


def print_row_errors(result: dict) -> None:
    """An import's warnings and row errors on standard error, never one line per row.

    A row error that is the only one of its column and message is printed whole (row,
    column, value, message); repeated ones as one line per group with the count and the
    first 20 rows ("24 534 rader: datumet kan inte läsas … (kolumn datetime), t.ex. rad
    2, 3, 4 …").
    """
    from trygg.importers.base import group_errors, group_line

    for warning in result.get("warnings", []):
        print(t("outcomes.cli_warning", warning=warning), file=sys.stderr)
    errors = result["errors"]
    groups = result.get("error_groups") or group_errors(errors)
    single = {(e["row"], e["column"], e["message"]): e for e in errors}
    for group in groups:
        key = (group["rows"][0], group["column"], group["message"])
        if group["count"] == 1 and key in single:
            print(t("cli.row_error", **single[key]), file=sys.stderr)
        else:
            print(group_line(group), file=sys.stderr)
