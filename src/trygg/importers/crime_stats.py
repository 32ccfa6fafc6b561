"""Aggregate crime statistics (BRÅ): area, period, offence type, count, per 100 000.

Suppression markers mean missing, never zero; a preliminary/final flag is kept.
"""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import Connection, Engine

from trygg.auth import Actor, require_write
from trygg.errors import RowError, TryggError
from trygg.filecheck import number as number_text
from trygg.importers.base import (
    RowOutcome,
    open_upload,
    unknown_place_message,
)
from trygg.scales import (
    FIRST_YEAR,
    KOMMUN_LEVEL_AREAS,
    LAST_YEAR,
    MAX_AREA_COUNT,
    SUPPRESSION_MARKERS,
)
from trygg.store import batches, schema
from trygg.strings import t
from trygg.tabular import (
    parse_number,
)
from trygg.text import fold

STATS_KIND = batches.CRIME_STATS_KIND

STATS_SYNONYMS = {
    "omrade": "plats",
    "kommun": "plats",
    "region": "plats",
    "stadsdel": "plats",
    "brottstyp": "offence",
    "brott": "offence",
    "brottskategori": "offence",
    "antal": "count",
    "antal_anmalda_brott": "count",
    "anmalda_brott": "count",
    "per_100_000": "per_100k",
    "per_100000": "per_100k",
    "per_100_000_inv": "per_100k",
    "per_100_000_invanare": "per_100k",
    "status": "preliminary",
    "preliminar": "preliminary",
    "preliminar_slutlig": "preliminary",
    "tidsperiod": "period",
    "ar": "period",
    "manad": "period",
}

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
) -> dict:
    """Import BRÅ-style tables: area, period, offence type, count, per 100 000.

    Suppression markers mean missing, never zero; a preliminary/final flag is kept.
    """
    require_write(actor, kommun)
    upload = open_upload(engine, path, kommun, mapping=mapping, synonyms=STATS_SYNONYMS, data=data)
    table, locator, kommun_name = upload.table, upload.locator, upload.kommun_name
    missing = [c for c in ("plats", "period", "offence") if c not in table.columns]
    if missing or ("count" not in table.columns and "per_100k" not in table.columns):
        raise TryggError(t("err.crime_stats_columns", file=upload.path.name))
    outcome = RowOutcome(rows=len(table.rows))
    for index, row in enumerate(table.rows):
        record, errors = _crime_stat(table, row, index, locator, kommun, kommun_name)
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


def _crime_stat(table, row, index, locator, kommun, kommun_name):
    number = table.row_numbers[index]
    errors: list[RowError] = []
    area = table.value(row, "plats")
    folded = fold(area)
    place_id = None
    if folded not in {kommun, fold(kommun_name), f"{fold(kommun_name)}s kommun"} | (
        KOMMUN_LEVEL_AREAS
    ):
        place_id = locator.match_name(area)
        if place_id is None:
            errors.append(
                RowError(
                    number, table.source_header("plats"), area, unknown_place_message(locator, area)
                )
            )
    period = table.value(row, "period")
    year_match = re.match(r"\s*(\d{4})", period)
    if not period or year_match is None:
        errors.append(RowError(number, table.source_header("period"), period, t("row.period")))
    elif not FIRST_YEAR <= int(year_match.group(1)) <= LAST_YEAR:
        errors.append(
            RowError(
                number,
                table.source_header("period"),
                period,
                t("row.period_range", min=FIRST_YEAR, max=LAST_YEAR),
            )
        )
    values = {}
    for column in ("count", "per_100k"):
        text = table.value(row, column)
        if fold(text) in SUPPRESSION_MARKERS:
            values[column] = None
            continue
        value = parse_number(text)
        if value is None or value < 0 or (column == "count" and not value.is_integer()):
            errors.append(RowError(number, table.source_header(column), text, t("row.crime_value")))
        elif value > MAX_AREA_COUNT:
            message = t("row.crime_value_range", max=number_text(MAX_AREA_COUNT))
            errors.append(RowError(number, table.source_header(column), text, message))
            value = None
        values[column] = value
    flag = fold(table.value(row, "preliminary"))
    if flag not in PRELIMINARY | FINAL:
        errors.append(
            RowError(number, table.source_header("preliminary"), flag, t("row.preliminary"))
        )
    record = {
        "row_number": number,
        "area": area,
        "place_id": place_id,
        "period": period,
        "year": int(year_match.group(1)) if year_match else None,
        "offence": table.value(row, "offence"),
        "count": None if values["count"] is None else int(values["count"]),
        "per_100k": values["per_100k"],
        "preliminary": flag in PRELIMINARY if "preliminary" in table.columns else None,
        "missing_marker": None if values["count"] is not None else table.value(row, "count"),
    }
    return record, errors
