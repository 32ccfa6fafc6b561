"""Area-level survey results as delivered: the Police trygghetsmätning (index 0–6)
and BRÅ's NTU (percentages), long or wide, with suppression markers as missing.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from trygg.auth import Actor, require_write
from trygg.errors import RowError, TryggError
from trygg.filecheck import number as number_text
from trygg.importers.base import (
    RowOutcome,
    open_upload,
    unknown_place_message,
)
from trygg.importers.survey_answers import _INVALID, _year_message, _year_value
from trygg.scales import (
    KOMMUN_LEVEL_AREAS,
    MAX_AREA_COUNT,
    MAX_RESULT_VALUE,
    SUPPRESSION_MARKERS,
)
from trygg.store import batches, schema
from trygg.strings import t
from trygg.tabular import parse_number
from trygg.text import fold

RESULTS_KIND = batches.SURVEY_RESULTS_KIND

RESULT_SYNONYMS = {
    "indikator": "indicator",
    "fraga": "indicator",
    "matt": "indicator",
    "varde": "value",
    "index": "value",
    "andel": "value",
    "procent": "value",
    "antal_svar": "n",
    "n": "n",
    "ki_lag": "ki_lag",
    "ki_nedre": "ki_lag",
    "nedre": "ki_lag",
    "ki_hog": "ki_hog",
    "ki_ovre": "ki_hog",
    "ovre": "ki_hog",
    "enhet": "unit",
    "kalla": "source",
}

RESULT_META = {"plats", "ar", "n", "ki_lag", "ki_hog", "unit", "source", "indicator", "value"}


def import_survey_results(
    engine: Engine,
    path: str | Path,
    kommun: str,
    *,
    mapping: str | Path | dict | None = None,
    source: str | None = None,
    actor: Actor | None,
    data: bytes | None = None,
) -> dict:
    """Import area-level survey results in long or wide layout as one batch.

    Long: area, year, indicator, value, n, ki_lag, ki_hog. Wide: area, year and one
    column per indicator. Values may be a 0–6 index or percentages with decimal commas;
    ``XX``, ``..``, ``–`` and ``Uppgift saknas`` mean missing, never zero.

    Returns
    -------
    dict
        The same shape as :func:`import_survey`.
    """
    require_write(actor, kommun)
    upload = open_upload(engine, path, kommun, mapping=mapping, synonyms=RESULT_SYNONYMS, data=data)
    table, locator, kommun_name = upload.table, upload.locator, upload.kommun_name
    path = upload.path
    if "plats" not in table.columns:
        raise TryggError(t("err.results_no_area", file=path.name))
    if "ar" not in table.columns:
        raise TryggError(t("err.results_no_year", file=path.name))
    long_layout = "indicator" in table.columns and "value" in table.columns
    indicators = [] if long_layout else [c for c in table.columns if c not in RESULT_META]
    if not long_layout and not indicators:
        raise TryggError(t("err.results_no_values", file=path.name))
    outcome = RowOutcome(rows=len(table.rows))
    for index, row in enumerate(table.rows):
        errors: list[RowError] = []
        records = _result_records(table, row, index, locator, kommun_name, indicators, errors)
        if errors:
            outcome.reject(index, errors)
        else:
            outcome.records.extend(records)

    def write(connection, batch_id: int) -> None:
        if outcome.records:
            connection.execute(
                schema.survey_result.insert(),
                [r | {"batch_id": batch_id, "kommun_kod": kommun} for r in outcome.records],
            )

    return upload.store(
        engine, outcome, write, kind=RESULTS_KIND, uploaded_by=actor.name, source=source
    )


def _result_records(table, row, index, locator, kommun_name, indicators, errors) -> list[dict]:
    number = table.row_numbers[index]
    area = table.value(row, "plats")
    place_id = None
    if fold(area) not in KOMMUN_LEVEL_AREAS | {fold(kommun_name)}:
        place_id = locator.match_name(area)
        if place_id is None:
            errors.append(
                RowError(
                    number, table.source_header("plats"), area, unknown_place_message(locator, area)
                )
            )
    year = _year_value(table.value(row, "ar"))
    if year is _INVALID:
        errors.append(
            RowError(number, table.source_header("ar"), table.value(row, "ar"), _year_message())
        )
        year = None
    cells = (
        [(table.value(row, "indicator"), "value")]
        if not indicators
        else [(table.source_header(name), name) for name in indicators]
    )
    records = []
    for indicator, column in cells:
        value, marker = _result_value(table, row, column, number, errors)
        records.append(
            {
                "row_number": number,
                "area": area,
                "place_id": place_id,
                "year": year,
                "indicator": indicator,
                "value": value,
                "missing_marker": marker,
                "unit": _unit(table.value(row, "unit"), indicator, value),
                "n": _optional_int(table, row, "n", number, errors),
                "ki_lag": _optional_number(table, row, "ki_lag", number, errors),
                "ki_hog": _optional_number(table, row, "ki_hog", number, errors),
            }
        )
    return records


def is_missing_marker(text: str) -> bool:
    return fold(text) in SUPPRESSION_MARKERS


def _result_value(table, row, column, number, errors) -> tuple[float | None, str | None]:
    text = table.value(row, column)
    if is_missing_marker(text):
        return None, text or None
    value = _result_number(text)
    if value is None:
        errors.append(RowError(number, table.source_header(column), text, _result_message()))
    return value, None


def _optional_number(table, row, column, number, errors) -> float | None:
    text = table.value(row, column)
    if is_missing_marker(text):
        return None
    value = _result_number(text)
    if value is None:
        errors.append(RowError(number, table.source_header(column), text, _result_message()))
    return value


def _result_number(text: str) -> float | None:
    """An index 0–6 or a percentage (``%`` allowed); None outside 0–MAX_RESULT_VALUE."""
    value = parse_number(text.rstrip("%").strip())
    return value if value is not None and 0 <= value <= MAX_RESULT_VALUE else None


def _result_message() -> str:
    return t("row.result_range", max=MAX_RESULT_VALUE)


def _optional_int(table, row, column, number, errors) -> int | None:
    text = table.value(row, column)
    if is_missing_marker(text):
        return None
    value = parse_number(text)
    if value is None or not 0 <= value <= MAX_AREA_COUNT or not value.is_integer():
        message = t("row.result_n_range", max=number_text(MAX_AREA_COUNT))
        errors.append(RowError(number, table.source_header(column), text, message))
        return None
    return int(value)


def _unit(given: str, indicator: str, value: float | None) -> str:
    """``index`` (0–6, Police) or ``procent`` (NTU), from the unit column or the name."""
    text = fold(f"{given} {indicator}")
    if "index" in text:
        return "index"
    if "%" in text or "procent" in text or "andel" in text:
        return "procent"
    return "index" if value is not None and value <= 6 else "procent"
