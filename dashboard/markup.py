"""Markup that pages hand to Streamlit: escaped Markdown, and the hour × weekday table."""

from __future__ import annotations

import html
import re

from trygg import formatting, maps

MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~$:])")
#: Narrow enough that 24 hours fit beside the map on a 1600 px screen.
HEAT_STYLE = """
<style>
  table.trygg-heat { border-collapse: collapse; font: 13px/1.2 system-ui, sans-serif;
    color: #10253a; table-layout: fixed; }
  table.trygg-heat th { font-weight: 600; font-size: 11px; color: #3b4a59; padding: 2px 0; }
  table.trygg-heat th.day { text-align: left; padding-right: 6px; font-size: 13px; }
  table.trygg-heat td { width: 20px; height: 24px; text-align: center; padding: 0;
    border: 1px solid #ffffff; background: #f7f7f5; }
</style>
"""


def md(text: str) -> str:
    """Escape Markdown, including a leading list marker or number, in ``text``."""
    escaped = MARKDOWN_SPECIAL.sub(r"\\\1", str(text))
    escaped = re.sub(r"^(\s*)([-+])", r"\1\\\2", escaped)
    return re.sub(r"^(\s*\d+)\.", r"\1\\.", escaped)


def heat_table(profile: dict, k: int) -> str:
    """The hour × weekday counts of a time profile as a compact, escaped HTML table.

    Rows are the weekdays, Monday first, columns the hours 00–23; a cell is coloured
    by its share of the busiest cell, blank for none and grey "<3" when suppressed.
    Each cell's title names its weekday and hour, for a mouse pointer.
    """
    table = profile["hour_weekday"]
    top = max((n for row in table for n in row if n is not None), default=0)
    hours = [f"{hour:02d}" for hour in range(24)]
    head = "".join(f"<th>{hour}</th>" for hour in hours)
    rows = []
    for day, counts in zip(profile["weekdays"], table, strict=True):
        cells = "".join(
            f"<td style='{maps.heat_css(n, top)}' title='{html.escape(f'{day} {hour}')}'>"
            f"{html.escape(formatting.heat_cell(n, k))}</td>"
            for hour, n in zip(hours, counts, strict=True)
        )
        label = html.escape(day[:3].capitalize())
        rows.append(f"<tr><th class='day' title='{html.escape(day)}'>{label}</th>{cells}</tr>")
    return (
        f"{HEAT_STYLE}<table class='trygg-heat'><thead><tr><th></th>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
