"""Respondent-level survey answers: one row per respondent.

Rows that cannot be read are rejected one by one with a Swedish message naming the
spreadsheet row, the column and the value; the rest are stored. A file that cannot be
read at all is refused whole. Each import is one batch in one transaction and keeps the
original bytes; answers already stored in another file are held back until confirmed.
"""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import Connection, Engine, Text, select, type_coerce

from trygg.auth import Actor, require_write
from trygg.errors import RowError, TryggError
from trygg.filecheck import number as number_text
from trygg.importers.base import (
    Placement,
    RowOutcome,
    location_mode,
    open_upload,
    place_rows,
)
from trygg.places.lookup import Locator
from trygg.scales import (
    FIRST_YEAR,
    ITEM_SCALES,
    LAST_YEAR,
    MAX_SURVEY_WEIGHT,
    TRYGG_KVALL,
    AnswerScale,
)
from trygg.store import batches, bulk_insert, schema
from trygg.store.batches import ACTIVE
from trygg.strings import t
from trygg.tabular import Table, parse_number
from trygg.text import fold

BATCH_KIND = batches.SURVEY_KIND


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
    actor: Actor | None,
    data: bytes | None = None,
    allow_duplicates: bool = False,
    force: bool = False,
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
    allow_duplicates : bool
        Store the answers even when :func:`find_duplicates` finds the same respondents
        in an active batch (``--force``); the summary then has ``duplicates``.
    force : bool
        Place x/y as given even when they look like another coordinate system (then a
        warning in ``warnings``; ``--force``).
    actor : Actor or None
        Who imports; must be allowed to change ``kommun``, and is recorded on the batch.

    Returns
    -------
    dict
        ``{"batch_id", "rows", "accepted", "rejected", "unresolved", "errors": [...]}``;
        ``rejected`` includes the unresolved rows.

    Raises
    ------
    DuplicateRespondents
        When the respondents are already stored and ``allow_duplicates`` is False.
    TryggError
        When the whole file is refused; nothing is stored then.
    """
    require_write(actor, kommun)
    upload = open_upload(engine, path, kommun, mapping=mapping, data=data)
    table, locator, name = upload.table, upload.locator, upload.path.name
    mode = location_mode(table.columns)
    if mode is None and not kommun_wide:
        raise TryggError(t("err.survey_no_location", file=name))
    if "ar" not in table.columns and year is None:
        raise TryggError(t("err.survey_no_year", file=name))
    if mode is not None and not kommun_wide and len(locator) == 0:
        raise TryggError(t("err.survey_no_places", kommun=kommun))
    outcome = parse_survey_rows(table, locator, mode, crs, year, kommun_wide, force)
    outcome.extra["years"] = sorted({r["year"] for r in outcome.records})
    return upload.store(
        engine,
        outcome,
        _response_writer(kommun, name, outcome, allow_duplicates),
        kind=BATCH_KIND,
        uploaded_by=actor.name,
        source=source,
    )


def parse_survey_rows(
    table: Table,
    locator: Locator,
    mode: str | None,
    crs: str | None,
    year: int | None,
    kommun_wide: bool,
    force: bool = False,
) -> RowOutcome:
    """Read every row into a record, or into row errors. Works column by column."""
    if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
        raise TryggError(t("err.year_range", year=year, first=FIRST_YEAR, last=LAST_YEAR))
    outcome = RowOutcome(rows=len(table.rows))
    if mode is not None and not kommun_wide:
        placed = place_rows(table, locator, mode, crs, force=force)
        outcome.warnings.extend(placed.warnings)
        placements = placed.rows
        errors = {index: list(found) for index, found in placed.errors.items()}
        outcome.unresolved = placed.unresolved
    else:
        placements = [Placement(place_text=text or None) for text in table.column("plats")]
        errors = {}
    columns = {
        "year": _parse_column(table, "ar", _year_value, _year_message(), errors, year),
        "weight": _parse_column(table, "vikt", _weight_value, _weight_message(), errors, 1.0),
        "trygg_kvall": _coded_column(table, "trygg_kvall", TRYGG_KVALL, errors),
    }
    items = {
        name: _coded_column(table, name, ITEM_SCALES[name.split("_", 1)[0]], errors)
        for name in table.columns
        if "_" in name and name.split("_", 1)[0] in ITEM_SCALES
    }
    texts = {name: table.column(name) for name in ("respondent_id", "alder", "kon", "kommentar")}
    for index, placement in enumerate(placements):
        if index in errors:
            outcome.reject(index, errors[index])
            continue
        outcome.records.append(
            {
                "row_number": table.row_numbers[index],
                **{name: values[index] for name, values in columns.items()},
                **{name: values[index] or None for name, values in texts.items()},
                "answers": {
                    name: codes[index] for name, codes in items.items() if codes[index] is not None
                },
                "place_ids": placement.place_ids,
                "x": placement.x,
                "y": placement.y,
                "place_text": placement.place_text,
            }
        )
    return outcome


_INVALID = object()


def _parse_column(table: Table, name: str, parse, message: str, errors: dict, default) -> list:
    """Parse a column with ``parse`` (text → value or ``_INVALID``); blanks get ``default``.

    A blank with no default is an error too. Distinct texts are parsed once.
    """
    cache: dict[str, object] = {}
    values = []
    header = table.source_header(name)
    for index, text in enumerate(table.column(name)):
        if not text:
            value = default if default is not None else _INVALID
        else:
            value = cache.get(text)
            if value is None:
                value = cache[text] = parse(text)
        if value is _INVALID:
            errors.setdefault(index, []).append(
                RowError(table.row_numbers[index], header, text, message)
            )
            value = None
        values.append(value)
    return values


def _coded_column(table: Table, name: str, scale: AnswerScale, errors: dict) -> list:
    if name not in table.columns:
        return [None] * len(table.rows)
    message = t("row.answer", expected=_expected(scale))
    values = []
    cache: dict[str, int | None] = {}
    header = table.source_header(name)
    for index, text in enumerate(table.column(name)):
        if not text:
            values.append(None)
            continue
        if text not in cache:
            cache[text] = scale.code_for(text)
        code = cache[text]
        if code is None:
            errors.setdefault(index, []).append(
                RowError(table.row_numbers[index], header, text, message)
            )
        values.append(code)
    return values


def _expected(scale: AnswerScale) -> str:
    return t(
        "row.answer_expected",
        first=min(scale.labels),
        last=max(scale.labels),
        labels=", ".join(scale.labels.values()),
    )


def _year_message() -> str:
    return t("row.year_range", min=FIRST_YEAR, max=LAST_YEAR)


def _weight_message() -> str:
    return t("row.weight_range", max=number_text(MAX_SURVEY_WEIGHT))


def _year_value(text: str):
    value = parse_number(text)
    if value is None or not value.is_integer() or not FIRST_YEAR <= value <= LAST_YEAR:
        return _INVALID
    return int(value)


def _weight_value(text: str):
    value = parse_number(text)
    return _INVALID if value is None or not 0 < value <= MAX_SURVEY_WEIGHT else value


RESPONSE_COLUMNS = (
    "row_number",
    "respondent_id",
    "year",
    "weight",
    "trygg_kvall",
    "alder",
    "kon",
    "kommentar",
    "place_text",
    "x",
    "y",
)


def _store_responses(connection: Connection, kommun: str, batch_id: int, records) -> None:
    """Insert the responses in bulk, then their place links (found by row number)."""
    if not records:
        return
    table = schema.survey_response
    encoded: dict[tuple, str] = {}

    def encode(answers: dict) -> str:
        """Answers repeat a lot (few items, few codes): serialise each pattern once."""
        key = tuple(answers.items())
        if key not in encoded:
            encoded[key] = json.dumps(answers)
        return encoded[key]

    bulk_insert(
        connection,
        table,
        [*RESPONSE_COLUMNS, "answers", "batch_id", "kommun_kod"],
        [
            (*(r[key] for key in RESPONSE_COLUMNS), encode(r["answers"]), batch_id, kommun)
            for r in records
        ],
    )
    ids = dict(
        connection.execute(
            select(table.c.row_number, table.c.id).where(table.c.batch_id == batch_id)
        ).all()
    )
    links = [
        (ids[record["row_number"]], place_id)
        for record in records
        for place_id in dict.fromkeys(record["place_ids"])
    ]
    bulk_insert(connection, schema.survey_response_place, ["response_id", "place_id"], links)


#: Identical rows count as the same respondents only when they are at least this share
#: of the file's rows without a respondent id: a few equal answers happen by chance.
SAME_ROWS_SHARE = 0.5


class DuplicateRespondents(TryggError):
    """A survey file whose respondents are already stored in an active batch.

    ``str(err)`` names the other batch, the count and how to go ahead; the dashboard can
    ask the coordinator to confirm and import again with ``allow_duplicates=True``.

    Attributes
    ----------
    duplicates : dict
        ``{"count", "batch_ids", "by"}`` as returned by :func:`find_duplicates`.
    """

    def __init__(self, file_name: str, duplicates: dict):
        super().__init__(
            t(
                "err.survey_duplicates",
                file=file_name,
                count=duplicates["count"],
                batch_ids=", ".join(map(str, duplicates["batch_ids"])),
                how=t(f"exports.duplicates_by_{duplicates['by']}"),
            )
        )
        self.duplicates = duplicates


def _response_writer(kommun: str, file_name: str, outcome: RowOutcome, allow_duplicates: bool):
    """Store the responses, once (under the write lock) they are known to be new."""

    def write(connection: Connection, batch_id: int) -> None:
        duplicates = find_duplicates(connection, kommun, outcome.records)
        if duplicates and not allow_duplicates:
            raise DuplicateRespondents(file_name, duplicates)
        if duplicates:
            outcome.extra["duplicates"] = duplicates
        _store_responses(connection, kommun, batch_id, outcome.records)

    return write


def find_duplicates(connection: Connection, kommun: str, records: list[dict]) -> dict | None:
    """The respondents of ``records`` that an active survey batch of ``kommun`` holds.

    A record is the same respondent as a stored one with the same respondent id in the
    same year; a record without an id, as a stored row with the same year, place text,
    coordinates and answers (a file exported again in another format), when such rows
    are at least :data:`SAME_ROWS_SHARE` of the records without an id.

    Returns
    -------
    dict or None
        ``{"count": N, "batch_ids": [ids], "by": "id" | "row"}``, or None.
    """
    years = sorted({record["year"] for record in records})
    with_id = [record for record in records if record["respondent_id"]]
    loose = [record for record in records if not record["respondent_id"]]
    found = _same_ids(connection, kommun, years, with_id) if with_id else None
    if found is None and loose:
        found = _same_rows(connection, kommun, years, loose)
    return found


def _stored(connection: Connection, kommun: str, years: list[int], *columns):
    """``columns`` of the responses in the kommun's active survey batches of ``years``."""
    table, batch = schema.survey_response, schema.import_batch
    query = (
        select(table.c.batch_id, *columns)
        .join(batch, batch.c.id == table.c.batch_id)
        .where(batch.c.kommun_kod == kommun, batch.c.kind == BATCH_KIND)
        .where(batch.c.status == ACTIVE, table.c.year.in_(years))
    )
    return connection.execute(query)


def _same_ids(connection: Connection, kommun: str, years: list[int], records) -> dict | None:
    table = schema.survey_response
    stored = _stored(connection, kommun, years, table.c.year, table.c.respondent_id)
    known = {(year, rid.strip()): batch_id for batch_id, year, rid in stored if rid}
    found = [
        known[key]
        for record in records
        if (key := (record["year"], record["respondent_id"].strip())) in known
    ]
    return _duplicates(found, "id")


def _same_rows(connection: Connection, kommun: str, years: list[int], records) -> dict | None:
    table = schema.survey_response
    columns = [table.c[name] for name in ("year", "place_text", "x", "y", "trygg_kvall")]
    stored = _stored(connection, kommun, years, *columns, type_coerce(table.c.answers, Text))
    decoded: dict[str, dict] = {}
    available: dict[tuple, list[int]] = {}
    for batch_id, *facts, answers in stored:
        if answers not in decoded:
            decoded[answers] = json.loads(answers)
        available.setdefault(_fingerprint(*facts, decoded[answers]), []).append(batch_id)
    found = []
    for r in records:
        key = _fingerprint(
            r["year"], r["place_text"], r["x"], r["y"], r["trygg_kvall"], r["answers"]
        )
        if available.get(key):
            found.append(available[key].pop())
    return _duplicates(found, "row") if len(found) >= SAME_ROWS_SHARE * len(records) else None


def _fingerprint(year, place_text, x, y, code, answers: dict) -> tuple:
    """What a row says, whatever the file format: centimetres, folded text, sorted answers."""
    place = fold(place_text or "")
    point = tuple(None if v is None else round(v, 2) for v in (x, y))
    return (year, place, point, code, tuple(sorted(answers.items())))


def _duplicates(batch_ids: list[int], by: str) -> dict | None:
    if not batch_ids:
        return None
    return {"count": len(batch_ids), "batch_ids": sorted(set(batch_ids)), "by": by}
