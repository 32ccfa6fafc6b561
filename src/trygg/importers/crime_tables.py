"""The two shapes of a BRÅ table, read into one kind of entry.

The long form has a row per area × period × offence (``område, period, brottstyp,
antal, per 100 000``). The wide form has the offences down the first column and the
months (``Januari`` … ``December``, ``jan`` …) or the years (``2019``, ``2020`` …)
across, like BRÅ's Tabell P3; each filled cell is one entry for the kommun (or for the
row's area when the table has an area column). A total column ("Hittills under året",
"Totalt") is not stored when the periods are there, so nothing is counted twice; a
total that is not the sum of its periods gives a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from trygg.errors import TryggError
from trygg.scales import FIRST_YEAR, LAST_YEAR, SUPPRESSION_MARKERS
from trygg.strings import t
from trygg.tabular import Table, parse_number
from trygg.text import fold, fold_header

#: Month headers (folded, without a trailing dot) → month number.
MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("januari", "jan", "january"),
            ("februari", "feb", "february"),
            ("mars", "mar", "march"),
            ("april", "apr"),
            ("maj", "may"),
            ("juni", "jun", "june"),
            ("juli", "jul", "july"),
            ("augusti", "aug", "august"),
            ("september", "sep", "sept"),
            ("oktober", "okt", "oct", "october"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}

#: Headers of a column holding the total of the period columns (folded).
TOTALS = frozenset(
    {"hittills_under_aret", "totalt", "total", "summa", "hela_aret", "ar_totalt", "year_total"}
)

#: How many rows a warning names before it only counts them.
LISTED_ROWS = 5


@dataclass(frozen=True)
class Cell:
    """A value as written and the header of its column, for a row error."""

    text: str
    column: str


@dataclass(frozen=True)
class Entry:
    """One figure of a table: its spreadsheet row, area (None = the kommun), period,
    offence, count, rate per 100 000 and preliminary flag (None = not in the table)."""

    row: int
    area: Cell | None
    period: Cell
    offence: Cell
    count: Cell | None
    per_100k: Cell | None
    flag: Cell | None


@dataclass
class Shape:
    """The entries of a table and any whole-file warnings."""

    entries: list[Entry]
    warnings: list[str]


def single_year(texts, first: int = 1990, last: int = 2039) -> int | None:
    """The one year from ``first`` to ``last`` written in ``texts`` (four digits standing
    alone), or None when there is none or more than one.

    Examples
    --------
    >>> single_year(["bra_p3_hallands_lan_2010_utdrag"]), single_year(["2019–2020"])
    (2010, None)
    """
    found = {
        int(digits)
        for text in texts
        for digits in re.findall(r"(?<!\d)(\d{4})(?!\d)", str(text))
        if first <= int(digits) <= last
    }
    return found.pop() if len(found) == 1 else None


def period_columns(table: Table) -> list[tuple[int, int, int]]:
    """The wide form's period columns: ``(index, month or 0, year or 0)``, or [] when the
    table has a period column (the long form) or fewer than two such columns."""
    if "period" in table.columns:
        return []
    found = []
    for index, header in enumerate(table.header):
        key = fold_header(header).rstrip(".")
        year = re.fullmatch(r"(\d{4})(?:\.0+)?", key)
        if key in MONTHS:
            found.append((index, MONTHS[key], 0))
        elif year and FIRST_YEAR <= int(year.group(1)) <= LAST_YEAR:
            found.append((index, 0, int(year.group(1))))
    months = [column for column in found if column[1]]
    chosen = months or found
    return chosen if len(chosen) >= 2 else []


def read_shape(table: Table, year: int | None) -> Shape:
    """Every entry of ``table``, long or wide; ``year`` names a monthly table's year (else
    the file name or a title line must), and is the period of a long table without one.

    Raises
    ------
    TryggError
        For a monthly table whose year is nowhere to be found.
    """
    columns = period_columns(table)
    if not columns:
        named = table.columns
        if (
            not {"plats", "offence"} <= named.keys()
            or not {"count", "per_100k"} & named.keys()
            or ("period" not in named and year is None)
        ):
            raise TryggError(t("err.crime_stats_columns", file=table.file_name))
        rows = enumerate(table.rows)
        return Shape([_long_entry(table, row, index, year) for index, row in rows], [])
    if columns[0][1]:
        year = year or single_year([Path(table.file_name).stem]) or single_year(table.titles)
        if year is None:
            raise TryggError(t("err.crime_stats_year", file=table.file_name))
    return _wide_shape(table, columns, year)


def _cell(table: Table, row: list[str], name: str) -> Cell | None:
    if name not in table.columns:
        return None
    return Cell(table.value(row, name), table.source_header(name))


def _long_entry(table: Table, row: list[str], index: int, year: int | None) -> Entry:
    period = _cell(table, row, "period") or Cell("" if year is None else str(year), "--year")
    return Entry(
        row=table.row_numbers[index],
        area=_cell(table, row, "plats"),
        period=period,
        offence=_cell(table, row, "offence"),
        count=_cell(table, row, "count"),
        per_100k=_cell(table, row, "per_100k"),
        flag=_cell(table, row, "preliminary"),
    )


def _wide_shape(table: Table, columns: list[tuple[int, int, int]], year: int | None) -> Shape:
    used = {index for index, _month, _year in columns}
    totals = [i for i, h in enumerate(table.header) if fold_header(h).rstrip(".") in TOTALS]
    offence_index = table.columns.get("offence")
    if offence_index is None:
        taken = used | set(totals) | {table.columns.get("plats")}
        offence_index = next((i for i in range(len(table.header)) if i not in taken), None)
    if offence_index is None:
        raise TryggError(t("err.crime_stats_columns", file=table.file_name))
    entries: list[Entry] = []
    differing: list[int] = []
    for index, row in enumerate(table.rows):
        number = table.row_numbers[index]
        offence = Cell(row[offence_index].strip(), table.header[offence_index])
        area = _cell(table, row, "plats")
        for column, month, column_year in columns:
            text = row[column].strip()
            if not text:
                continue  # not reported (yet): a preliminary table's months to come
            period = f"{year}-{month:02d}" if month else str(column_year)
            header = table.header[column]
            entries.append(
                Entry(number, area, Cell(period, header), offence, Cell(text, header), None, None)
            )
        if totals and _total_differs(row, [c for c, _m, _y in columns], totals[0]):
            differing.append(number)
    warnings = []
    if differing:
        rows = ", ".join(map(str, differing[:LISTED_ROWS])) + (
            " …" if len(differing) > LISTED_ROWS else ""
        )
        warnings.append(
            t(
                "warn.crime_total_differs",
                column=table.header[totals[0]],
                rows=rows,
            )
        )
    return Shape(entries, warnings)


def _total_differs(row: list[str], columns: list[int], total: int) -> bool:
    """True when the row's total is a number and every period is one, and they disagree."""
    values = [row[c].strip() for c in columns if row[c].strip()]
    numbers = [parse_number(v) for v in [*values, row[total].strip()]]
    if any(fold(v) in SUPPRESSION_MARKERS for v in values) or None in numbers:
        return False
    return abs(sum(numbers[:-1]) - numbers[-1]) > 1e-6
