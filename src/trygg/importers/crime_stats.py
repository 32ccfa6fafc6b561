"""Aggregate crime statistics (BRÅ): area, period, offence type, count, per 100 000.

Long tables (a row per figure, Swedish or English headers) and wide ones (months or
years as columns, see :mod:`trygg.importers.crime_tables`). Suppression markers mean
missing, never zero; a preliminary/final flag is kept.
"""

from __future__ import annotations

import re
from functools import partial
from pathlib import Path

from sqlalchemy import Connection, Engine

from trygg.auth import Actor, require_write
from trygg.errors import RowError, TryggError
from trygg.filecheck import number as number_text
from trygg.importers.base import RowOutcome, open_upload, unknown_place_message
from trygg.importers.crime_tables import Cell, Entry, read_shape
from trygg.places.lookup import means_kommun
from trygg.scales import FIRST_YEAR, LAST_YEAR, MAX_AREA_COUNT, SUPPRESSION_MARKERS
from trygg.store import batches, schema
from trygg.strings import t
from trygg.tabular import ColumnNames, parse_number, read_table
from trygg.text import fold

STATS_KIND = batches.CRIME_STATS_KIND

STATS_SYNONYMS = ColumnNames(
    {
        "omrade": "plats",
        "area": "plats",
        "kommun": "plats",
        "region": "plats",
        "stadsdel": "plats",
        "stadsomrade": "plats",
        "brottstyp": "offence",
        "brott": "offence",
        "brottskategori": "offence",
        "crime_type": "offence",
        "crime": "offence",
        "offence_type": "offence",
        "antal": "count",
        "antal_anmalda_brott": "count",
        "anmalda_brott": "count",
        "per_100_000": "per_100k",
        "per_100000": "per_100k",
        "per_100_000_inv": "per_100k",
        "per_100_000_inv.": "per_100k",
        "per_100_000_invanare": "per_100k",
        "status": "preliminary",
        "preliminar": "preliminary",
        "preliminar_slutlig": "preliminary",
        "tidsperiod": "period",
        "ar": "period",
        "year": "period",
        "manad": "period",
        "month": "period",
    },
    accepted=("område", "period", "brottstyp", "antal", "per 100 000", "status"),
)

PRELIMINARY = {"preliminär", "preliminar", "prel", "prel.", "p", "ja", "1", "true"}

FINAL = {"slutlig", "slutliga", "s", "nej", "0", "false", ""}


def import_crime_stats(
    engine: Engine,
    path: str | Path,
    kommun: str,
    *,
    mapping: str | Path | dict | None = None,
    source: str | None = None,
    actor: Actor | None,
    data: bytes | None = None,
    year: int | None = None,
) -> dict:
    """Import BRÅ-style tables: area, period, offence type, count, per 100 000.

    Parameters
    ----------
    year
        The year of a table with the months as columns (else read from the file name or
        a title line), or the period of a long table without a period column.

    Returns
    -------
    dict
        The row-import summary; ``rows`` counts the figures read (a wide table's cells).

    Raises
    ------
    TryggError
        When the whole file is refused (columns missing, a monthly table without a year,
        a year out of range); nothing is stored then.
    """
    require_write(actor, kommun)
    if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
        raise TryggError(t("err.year_range", year=year, first=FIRST_YEAR, last=LAST_YEAR))
    upload = open_upload(
        engine,
        path,
        kommun,
        mapping=mapping,
        synonyms=STATS_SYNONYMS,
        data=data,
        reader=partial(read_table, titled=True),
    )
    shape = read_shape(upload.table, year)
    outcome = RowOutcome(rows=len(shape.entries))
    outcome.warnings.extend(shape.warnings)
    for index, entry in enumerate(shape.entries):
        record, errors = _crime_stat(entry, upload.locator, kommun, upload.kommun_name)
        if errors:
            outcome.reject(index, errors)
        else:
            outcome.records.append(record)

    def write(connection: Connection, batch_id: int) -> None:
        if outcome.records:
            connection.execute(
                schema.crime_stat.insert(),
                [r | {"batch_id": batch_id, "kommun_kod": kommun} for r in outcome.records],
            )

    return upload.store(
        engine, outcome, write, kind=STATS_KIND, uploaded_by=actor.name, source=source
    )


def _crime_stat(entry: Entry, locator, kommun: str, kommun_name: str):
    number = entry.row
    errors: list[RowError] = []
    area = entry.area.text if entry.area is not None else kommun_name
    place_id = None
    if entry.area is not None and not means_kommun(area, kommun, kommun_name):
        place_id = locator.match_name(area)
        if place_id is None:
            message = unknown_place_message(locator, area)
            errors.append(RowError(number, entry.area.column, area, message))
    year = _period_year(entry.period, number, errors)
    if not entry.offence.text:
        errors.append(RowError(number, entry.offence.column, "", t("row.offence_missing")))
    values = {
        name: _value(cell, name == "count", number, errors)
        for name, cell in (("count", entry.count), ("per_100k", entry.per_100k))
    }
    flag = fold(entry.flag.text) if entry.flag is not None else ""
    if flag not in PRELIMINARY | FINAL:
        errors.append(RowError(number, entry.flag.column, entry.flag.text, t("row.preliminary")))
    record = {
        "row_number": number,
        "area": area,
        "place_id": place_id,
        "period": entry.period.text,
        "year": year,
        "offence": entry.offence.text,
        "count": None if values["count"] is None else int(values["count"]),
        "per_100k": values["per_100k"],
        "preliminary": flag in PRELIMINARY if entry.flag is not None else None,
        "missing_marker": _marker(entry.count) if values["count"] is None else None,
    }
    return record, errors


def _period_year(period: Cell, number: int, errors: list[RowError]) -> int | None:
    """The year a period starts with (``2024``, ``2024-03``, ``2024 kv1``), or an error."""
    found = re.match(r"\s*(\d{4})", period.text)
    if found is None:
        errors.append(RowError(number, period.column, period.text, t("row.period")))
        return None
    year = int(found.group(1))
    if not FIRST_YEAR <= year <= LAST_YEAR:
        message = t("row.period_range", min=FIRST_YEAR, max=LAST_YEAR)
        errors.append(RowError(number, period.column, period.text, message))
    return year


def _value(cell: Cell | None, whole: bool, number: int, errors: list[RowError]) -> float | None:
    """A count or rate: None for a suppression marker or no column ("2483.0" is 2483)."""
    if cell is None or fold(cell.text) in SUPPRESSION_MARKERS:
        return None
    value = parse_number(cell.text)
    if value is None or value < 0 or (whole and not value.is_integer()):
        errors.append(RowError(number, cell.column, cell.text, t("row.crime_value")))
        return None
    if value > MAX_AREA_COUNT:
        message = t("row.crime_value_range", max=number_text(MAX_AREA_COUNT))
        errors.append(RowError(number, cell.column, cell.text, message))
        return None
    return value


def _marker(count: Cell | None) -> str | None:
    """What the file wrote for a missing count ('..', 'XX'); '' for an empty cell."""
    return None if count is None else count.text
