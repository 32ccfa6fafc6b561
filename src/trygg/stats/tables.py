"""The figures of ``trygg stats`` as rows for CSV and Excel: plain machine formats.

Text cells go through :func:`trygg.exports.safe_cell`, so no place name becomes a
spreadsheet formula; numbers stay numbers.
"""

from __future__ import annotations

import io

from trygg import exports
from trygg.scales import ITEM_SCALES
from trygg.strings import t

CSV_COLUMNS = (
    "kommun",
    "year",
    "place",
    "place_id",
    "indicator",
    "n",
    "andel",
    "ki_lag",
    "ki_hog",
    "suppressed",
)


def table_rows(figures: dict) -> list[list]:
    """One row per place and indicator (see ``CSV_COLUMNS``); shares as floats 0–1."""
    rows = []
    for place in figures["places"]:
        survey = place["survey"]
        items = [("andel_otrygga", {**survey, "andel": survey["andel_otrygga"]})]
        for prefix in ITEM_SCALES:
            items += [(f"{prefix}_{slug}", item) for slug, item in survey[prefix].items()]
        rows += [
            [
                figures["kommun"],
                figures["year"],
                place["place"],
                place["place_id"],
                indicator,
                item["n"],
                *(_rounded(item[key]) for key in ("andel", "ki_lag", "ki_hog")),
                "true" if item["suppressed"] else "false",
            ]
            for indicator, item in items
        ]
    return rows


def to_csv(figures: dict) -> str:
    """The rows of :func:`table_rows` as CSV: plain machine formats (decimal point).

    Text cells go through :func:`trygg.exports.safe_cell`, so no place name becomes a
    spreadsheet formula.
    """
    buffer = io.StringIO()
    exports.write_csv(buffer, CSV_COLUMNS, table_rows(figures), float_format=".6f")
    return buffer.getvalue()


def to_xlsx(figures: dict) -> bytes:
    """The rows of :func:`table_rows` as an Excel workbook; numbers stored as numbers."""
    buffer = io.BytesIO()
    exports.write_xlsx(buffer, CSV_COLUMNS, table_rows(figures), sheet=t("exports.sheet_stats"))
    return buffer.getvalue()


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(float(value), 6)
