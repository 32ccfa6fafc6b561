"""Safety surveys: respondent-level answers and area-level results.

Rows that cannot be read are rejected one by one with a Swedish message naming the
spreadsheet row, the column and the value; the rest are stored. A file that cannot be
read at all is refused whole. Each import is one batch in one transaction and keeps the
original bytes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, Engine

from trygg import batches
from trygg.errors import RowError, TryggError
from trygg.locations import (
    Locator,
    Placement,
    location_mode,
    place_rows,
    unknown_place_message,
)
from trygg.scales import ITEM_SCALES, SUPPRESSION_MARKERS, TRYGG_KVALL, AnswerScale
from trygg.store import check_kommun_code, require_kommun, schema
from trygg.strings import t
from trygg.tabular import Table, canonical_columns, parse_number, read_mapping, read_table

BATCH_KIND = "survey"
MAX_STORED_ERRORS = 5000


@dataclass
class RowOutcome:
    """The rows of one import: what was accepted and why the others were not."""

    rows: int
    records: list[dict] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    rejected: set[int] = field(default_factory=set)
    unresolved: set[int] = field(default_factory=set)

    def summary(self, batch_id: int | None) -> dict:
        return {
            "batch_id": batch_id,
            "rows": self.rows,
            "accepted": len(self.records),
            "rejected": len(self.rejected),
            "unresolved": len(self.unresolved),
            "errors": [error.as_dict() for error in self.errors],
        }


def import_survey(
    engine: Engine,
    path: str | Path,
    kommun: str,
    *,
    year: int | None = None,
    mapping: str | Path | dict | None = None,
    source: str | None = None,
    crs: str | None = None,
    kommun_wide: bool = False,
    uploaded_by: str | None = None,
    data: bytes | None = None,
) -> dict:
    """Import a respondent-level survey file (CSV, Excel or ODS) as one batch.

    Parameters
    ----------
    engine : Engine
        The store.
    path : str or Path
        The file; with ``data`` only its name is used (an upload).
    kommun : str
        Kommunkod; the kommun and its places must exist.
    year : int, optional
        The survey year when the file has no ``År`` column (or a blank one).
    mapping : path or dict, optional
        Canonical column name → header in the file, for headers the synonyms miss.
    crs : str, optional
        The CRS of ``x``/``y`` columns (default SWEREF 99 TM, EPSG:3006).
    kommun_wide : bool
        Store answers at kommun level only, without places.

    Returns
    -------
    dict
        ``{"batch_id", "rows", "accepted", "rejected", "unresolved", "errors": [...]}``;
        ``rejected`` includes the unresolved rows.

    Raises
    ------
    TryggError
        When the whole file is refused; nothing is stored then.
    """
    check_kommun_code(kommun)
    path = Path(path)
    data = path.read_bytes() if data is None else data
    columns_map = mapping if isinstance(mapping, dict) else read_mapping(mapping)
    table = read_table(path, data)
    table.columns = canonical_columns(table.header, columns_map)
    with engine.connect() as connection:
        require_kommun(connection, kommun)
        locator = Locator(connection, kommun)
    mode = location_mode(table.columns)
    if mode is None and not kommun_wide:
        raise TryggError(t("err.survey_no_location", file=path.name))
    if "ar" not in table.columns and year is None:
        raise TryggError(t("err.survey_no_year", file=path.name))
    if mode is not None and not kommun_wide and len(locator) == 0:
        raise TryggError(t("err.survey_no_places", kommun=kommun))
    outcome = parse_survey_rows(table, locator, mode, crs, year, kommun_wide)
    with engine.begin() as connection:
        copy = batches.find_active_copy(connection, kommun, BATCH_KIND, batches.sha256(data))
        if copy is not None:
            raise TryggError(t("err.already_imported", file=path.name, batch_id=copy))
        batch_id = batches.create_batch(
            connection,
            kommun=kommun,
            kind=BATCH_KIND,
            file_name=path.name,
            data=data,
            uploaded_by=uploaded_by,
            source=source,
        )
        _store_responses(connection, kommun, batch_id, outcome.records)
        summary = outcome.summary(batch_id)
        batches.record_counts(
            connection,
            batch_id,
            total=outcome.rows,
            accepted=len(outcome.records),
            rejected=len(outcome.rejected),
            summary={
                **summary,
                "errors": summary["errors"][:MAX_STORED_ERRORS],
                "years": sorted({r["year"] for r in outcome.records}),
            },
        )
    return summary


def parse_survey_rows(
    table: Table,
    locator: Locator,
    mode: str | None,
    crs: str | None,
    year: int | None,
    kommun_wide: bool,
) -> RowOutcome:
    """Read every row into a record, or into row errors."""
    outcome = RowOutcome(rows=len(table.rows))
    if mode is not None and not kommun_wide:
        placed = place_rows(table, locator, mode, crs)
        placements, location_errors = placed.rows, placed.errors
        outcome.unresolved = placed.unresolved
    else:
        placements = [Placement(place_text=table.value(r, "plats") or None) for r in table.rows]
        location_errors = {}
    items = [name for name in table.columns if name.split("_", 1)[0] in ITEM_SCALES and "_" in name]
    for index, row in enumerate(table.rows):
        errors = list(location_errors.get(index, []))
        record = _answers(table, row, index, items, year, errors)
        if errors:
            outcome.errors.extend(errors)
            outcome.rejected.add(index)
            continue
        placement = placements[index]
        record.update(
            place_ids=placement.place_ids,
            x=placement.x,
            y=placement.y,
            place_text=placement.place_text,
        )
        outcome.records.append(record)
    return outcome


def _answers(table: Table, row, index: int, items, year, errors: list[RowError]) -> dict:
    number = table.row_numbers[index]

    def answer(name: str, scale: AnswerScale) -> int | None:
        text = table.value(row, name)
        if not text:
            return None
        code = scale.code_for(text)
        if code is None:
            errors.append(
                RowError(
                    number,
                    table.source_header(name),
                    text,
                    t("row.answer", expected=_expected(scale)),
                )
            )
        return code

    record = {
        "row_number": number,
        "respondent_id": table.value(row, "respondent_id") or None,
        "year": _year(table, row, number, year, errors),
        "weight": _weight(table, row, number, errors),
        "trygg_kvall": answer("trygg_kvall", TRYGG_KVALL)
        if "trygg_kvall" in table.columns
        else None,
        "alder": table.value(row, "alder") or None,
        "kon": table.value(row, "kon") or None,
        "kommentar": table.value(row, "kommentar") or None,
    }
    answers = {}
    for name in items:
        code = answer(name, ITEM_SCALES[name.split("_", 1)[0]])
        if code is not None:
            answers[name] = code
    record["answers"] = answers
    return record


def _expected(scale: AnswerScale) -> str:
    codes = f"{min(scale.labels)}–{max(scale.labels)}"
    return f"en kod {codes} eller en av: " + ", ".join(scale.labels.values())


def _year(table: Table, row, number: int, default: int | None, errors) -> int | None:
    text = table.value(row, "ar")
    if not text:
        if default is None:
            errors.append(RowError(number, table.source_header("ar"), text, t("row.year")))
        return default
    value = parse_number(text)
    if value is None or not value.is_integer() or not 1900 <= value <= 2100:
        errors.append(RowError(number, table.source_header("ar"), text, t("row.year")))
        return None
    return int(value)


def _weight(table: Table, row, number: int, errors) -> float:
    text = table.value(row, "vikt")
    if not text:
        return 1.0
    value = parse_number(text)
    if value is None or not math.isfinite(value) or value <= 0:
        errors.append(RowError(number, table.source_header("vikt"), text, t("row.weight")))
        return 1.0
    return value


def _store_responses(connection: Connection, kommun: str, batch_id: int, records) -> None:
    if not records:
        return
    table = schema.survey_response
    rows = [
        {
            key: record[key]
            for key in (
                "row_number",
                "respondent_id",
                "year",
                "weight",
                "trygg_kvall",
                "answers",
                "alder",
                "kon",
                "kommentar",
                "place_text",
                "x",
                "y",
            )
        }
        | {"batch_id": batch_id, "kommun_kod": kommun}
        for record in records
    ]
    ids = (
        connection.execute(table.insert().returning(table.c.id, sort_by_parameter_order=True), rows)
        .scalars()
        .all()
    )
    links = [
        {"response_id": response_id, "place_id": place_id}
        for response_id, record in zip(ids, records, strict=True)
        for place_id in dict.fromkeys(record["place_ids"])
    ]
    if links:
        connection.execute(schema.survey_response_place.insert(), links)


# --- Area-level results (Police trygghetsmätning, BRÅ NTU) ---------------------------

RESULTS_KIND = "survey_results"
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
KOMMUN_LEVEL_AREAS = {"totalt", "hela kommunen", "kommunen", "total", "kommun"}
RESULT_META = {"plats", "ar", "n", "ki_lag", "ki_hog", "unit", "source", "indicator", "value"}


def import_survey_results(
    engine: Engine,
    path: str | Path,
    kommun: str,
    *,
    mapping: str | Path | dict | None = None,
    source: str | None = None,
    uploaded_by: str | None = None,
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
    check_kommun_code(kommun)
    path = Path(path)
    data = path.read_bytes() if data is None else data
    columns_map = mapping if isinstance(mapping, dict) else read_mapping(mapping)
    table = read_table(path, data)
    table.columns = canonical_columns(table.header, columns_map, RESULT_SYNONYMS)
    with engine.connect() as connection:
        kommun_name = require_kommun(connection, kommun)
        locator = Locator(connection, kommun)
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
            outcome.errors.extend(errors)
            outcome.rejected.add(index)
        else:
            outcome.records.extend(records)
    with engine.begin() as connection:
        copy = batches.find_active_copy(connection, kommun, RESULTS_KIND, batches.sha256(data))
        if copy is not None:
            raise TryggError(t("err.already_imported", file=path.name, batch_id=copy))
        batch_id = batches.create_batch(
            connection,
            kommun=kommun,
            kind=RESULTS_KIND,
            file_name=path.name,
            data=data,
            uploaded_by=uploaded_by,
            source=source,
        )
        if outcome.records:
            connection.execute(
                schema.survey_result.insert(),
                [r | {"batch_id": batch_id, "kommun_kod": kommun} for r in outcome.records],
            )
        summary = outcome.summary(batch_id)
        summary["accepted"] = outcome.rows - len(outcome.rejected)
        batches.record_counts(
            connection,
            batch_id,
            total=outcome.rows,
            accepted=summary["accepted"],
            rejected=len(outcome.rejected),
            summary=summary,
        )
    return summary


def _result_records(table, row, index, locator, kommun_name, indicators, errors) -> list[dict]:
    number = table.row_numbers[index]
    area = table.value(row, "plats")
    place_id = None
    if normalise_area(area) not in KOMMUN_LEVEL_AREAS | {normalise_area(kommun_name)}:
        place_id = locator.match_name(area)
        if place_id is None:
            errors.append(
                RowError(
                    number, table.source_header("plats"), area, unknown_place_message(locator, area)
                )
            )
    year = _year(table, row, number, None, errors)
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


def normalise_area(text: str) -> str:
    return " ".join(text.split()).casefold()


def is_missing_marker(text: str) -> bool:
    return normalise_area(text) in SUPPRESSION_MARKERS


def _result_value(table, row, column, number, errors) -> tuple[float | None, str | None]:
    text = table.value(row, column)
    if is_missing_marker(text):
        return None, text or None
    value = parse_number(text.rstrip("%").strip())
    if value is None:
        errors.append(RowError(number, table.source_header(column), text, t("row.result_value")))
    return value, None


def _optional_number(table, row, column, number, errors) -> float | None:
    text = table.value(row, column)
    if is_missing_marker(text):
        return None
    value = parse_number(text.rstrip("%").strip())
    if value is None:
        errors.append(RowError(number, table.source_header(column), text, t("row.result_value")))
    return value


def _optional_int(table, row, column, number, errors) -> int | None:
    value = _optional_number(table, row, column, number, errors)
    if value is not None and (value < 0 or not value.is_integer()):
        errors.append(
            RowError(
                number, table.source_header(column), table.value(row, column), t("row.result_n")
            )
        )
        return None
    return None if value is None else int(value)


def _unit(given: str, indicator: str, value: float | None) -> str:
    """``index`` (0–6, Police) or ``procent`` (NTU), from the unit column or the name."""
    text = normalise_area(f"{given} {indicator}")
    if "index" in text:
        return "index"
    if "%" in text or "procent" in text or "andel" in text:
        return "procent"
    return "index" if value is not None and value <= 6 else "procent"
