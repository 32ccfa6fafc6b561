"""Respondent-level survey answers: one row per respondent.

Rows that cannot be read are rejected one by one with a Swedish message naming the
spreadsheet row, the column and the value; the rest are stored. A file that cannot be
read at all is refused whole. Each import is one batch in one transaction and keeps the
original bytes; answers already stored in another file are held back until confirmed.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, select

from trygg.auth import Actor, require_write
from trygg.errors import TryggError
from trygg.importers.base import RowOutcome, check_references, location_mode, open_upload
from trygg.importers.survey_rows import (  # the year rules, shared with survey_results
    _INVALID,  # noqa: F401
    RESPONSE_COLUMNS,
    Responses,
    _year_message,  # noqa: F401
    _year_value,  # noqa: F401
    parse_survey_rows,
)
from trygg.store import batches, bulk_insert, schema
from trygg.store.batches import ACTIVE
from trygg.strings import t
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
    outcome.extra["years"] = outcome.records.years()
    return upload.store(
        engine,
        outcome,
        _response_writer(kommun, name, outcome, allow_duplicates, locator.read_shapes),
        kind=BATCH_KIND,
        uploaded_by=actor.name,
        source=source,
        foreign_keys=False,
    )


#: Rows per ``executemany``: the tuples of one chunk die before the next is built, so a
#: large import keeps few of them alive (and the garbage collector has little to scan).
CHUNK = 5000


def _store_responses(connection: Connection, kommun: str, batch_id: int, records) -> None:
    """Insert the responses in bulk, then their answers and place links (by row number)."""
    if not len(records):
        return
    frame = records.frame
    # A column that no row fills is left to its default (NULL): binding nothing is faster.
    names = [name for name in RESPONSE_COLUMNS if frame[name].notna().any()]
    columns = [_cells(frame[name]) for name in names]
    constants = {"batch_id": batch_id, "kommun_kod": kommun}
    _insert(connection, schema.survey_response, names, columns, constants)
    table = schema.survey_response
    result = connection.execute(
        select(table.c.row_number, table.c.id).where(table.c.batch_id == batch_id)
    )
    stored = np.array(result.cursor.fetchall(), dtype=np.int64).reshape(-1, 2)
    result.close()
    stored = stored[np.argsort(stored[:, 0])]
    ids = stored[np.searchsorted(stored[:, 0], frame["row_number"].to_numpy()), 1]
    _insert(
        connection, schema.survey_answer, ["response_id", "item", "code"], _answers(ids, records)
    )
    links = records.links
    _insert(
        connection,
        schema.survey_response_place,
        ["response_id", "place_id"],
        [ids[links["position"].to_numpy()].tolist(), links["place_id"].tolist()],
    )


def _insert(
    connection: Connection, table, names: list[str], columns: list[list], constants=None
) -> None:
    """Insert rows given column by column (Python values), :data:`CHUNK` rows at a time,
    with ``constants`` in every row (see :func:`trygg.store.bulk_insert`)."""
    size = len(columns[0])
    for first in range(0, size, CHUNK):
        rows = list(zip(*(column[first : first + CHUNK] for column in columns), strict=True))
        bulk_insert(connection, table, names, rows, constants)


def _answers(ids: np.ndarray, records) -> list[list]:
    """Response ids, items and codes of every item answered, in key order (columns)."""
    items = sorted(records.answers.columns)
    if not items:
        return [[], [], []]
    parts = []
    for rank, item in enumerate(items):
        codes = records.answers[item].to_numpy()
        answered = ~np.isnan(codes)
        parts.append((ids[answered], np.full(answered.sum(), rank), codes[answered]))
    response, item, code = (np.concatenate(values) for values in zip(*parts, strict=True))
    order = np.lexsort((item, response))
    names = np.array(items, dtype=object)[item[order]]
    return [response[order].tolist(), names.tolist(), code[order].astype(np.int64).tolist()]


def _cells(column: pd.Series) -> list:
    """A column as the driver takes it: Python values, None where missing (codes as int)."""
    missing = column.isna().to_numpy()
    if column.name == "trygg_kvall":
        values = column.fillna(0).astype(np.int64).tolist()
    else:
        values = column.tolist()
    for index in np.flatnonzero(missing).tolist():
        values[index] = None
    return values


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


def _response_writer(
    kommun: str,
    file_name: str,
    outcome: RowOutcome,
    allow_duplicates: bool,
    read_shapes: dict[int, bytes],
):
    """Store the responses, once (under the write lock) they are known to be new and
    their places are still the ones they were placed in (the transaction does not have
    SQLite check foreign keys row by row: see :func:`base.check_references`)."""

    def write(connection: Connection, batch_id: int) -> None:
        links = outcome.records.links["place_id"].to_numpy() if len(outcome.records) else []
        check_references(connection, kommun, links, read_shapes, file_name)
        duplicates = find_duplicates(connection, kommun, outcome.records)
        if duplicates and not allow_duplicates:
            raise DuplicateRespondents(file_name, duplicates)
        if duplicates:
            outcome.extra["duplicates"] = duplicates
        _store_responses(connection, kommun, batch_id, outcome.records)

    return write


def find_duplicates(connection: Connection, kommun: str, records: Responses) -> dict | None:
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
    frame = records.frame
    years = sorted(int(year) for year in pd.unique(frame["year"]))
    has_id = frame["respondent_id"].notna().to_numpy()
    found = None
    if has_id.any():
        found = _same_ids(connection, kommun, years, frame[has_id])
    if found is None and not has_id.all():
        loose = Responses(frame[~has_id], records.answers[~has_id])
        found = _same_rows(connection, kommun, years, loose)
    return found


def _stored_ids(kommun: str, years: list[int]):
    """The ids of the responses in the kommun's active survey batches of ``years``."""
    table, batch = schema.survey_response, schema.import_batch
    active = select(batch.c.id).where(
        batch.c.kommun_kod == kommun, batch.c.kind == BATCH_KIND, batch.c.status == ACTIVE
    )
    return select(table.c.id).where(table.c.batch_id.in_(active), table.c.year.in_(years))


def _stored(connection: Connection, kommun: str, years: list[int], *columns) -> list[tuple]:
    """``columns`` of those responses (after their batch id), in the order they were stored."""
    table = schema.survey_response
    query = (
        select(table.c.batch_id, *columns)
        .where(table.c.id.in_(_stored_ids(kommun, years)))
        .order_by(table.c.id)
    )
    return _fetch(connection, query)


def _fetch(connection: Connection, query) -> list[tuple]:
    """The driver's own tuples (none of the columns read has a result processor)."""
    result = connection.execute(query)
    rows = result.cursor.fetchall()
    result.close()
    return rows


def _same_ids(connection: Connection, kommun: str, years: list[int], frame) -> dict | None:
    table = schema.survey_response
    stored = _stored(connection, kommun, years, table.c.year, table.c.respondent_id)
    known = {(year, rid.strip()): batch_id for batch_id, year, rid in stored if rid}
    keys = zip(frame["year"].tolist(), frame["respondent_id"].str.strip().tolist(), strict=True)
    found = [known[key] for key in keys if key in known]
    return _duplicates(found, "id")


FACTS = ("year", "place_text", "x", "y", "trygg_kvall")


def _same_rows(connection: Connection, kommun: str, years: list[int], records) -> dict | None:
    """Rows saying the same as stored rows (:func:`_fingerprints`), each stored row
    matched once: the last stored of equal rows first."""
    table = schema.survey_response
    stored = _stored(connection, kommun, years, table.c.id, *(table.c[name] for name in FACTS))
    if not stored:
        return None
    facts = pd.DataFrame.from_records(stored, columns=["batch_id", "id", *FACTS])
    answer = schema.survey_answer
    query = select(answer.c.response_id, answer.c.item, answer.c.code).where(
        answer.c.response_id.in_(_stored_ids(kommun, years))
    )
    long = pd.DataFrame.from_records(
        _fetch(connection, query), columns=["response_id", "item", "code"]
    )
    wide = long.pivot(index="response_id", columns="item", values="code")
    answers = wide.reindex(facts["id"]).set_axis(facts.index).astype(float)
    keys = _fingerprints(
        pd.concat([facts[list(FACTS)], records.frame[list(FACTS)]], ignore_index=True),
        pd.concat([answers, records.answers.set_axis(range(len(records)))], ignore_index=True),
    )
    mine, theirs = keys[len(facts) :], keys[: len(facts)]
    wanted = pd.Series(mine).value_counts()
    # Stored rows of a key, counted from the last: the first `wanted` of them are matched.
    from_last = pd.Series(theirs).groupby(theirs).cumcount(ascending=False).to_numpy()
    matched = from_last < pd.Series(theirs).map(wanted).fillna(0).to_numpy()
    found = facts.loc[matched, "batch_id"].tolist()
    return _duplicates(found, "row") if len(found) >= SAME_ROWS_SHARE * len(records) else None


def _fingerprints(facts: pd.DataFrame, answers: pd.DataFrame) -> np.ndarray:
    """What each row says, whatever the file format, as one number per distinct content:
    year, folded place text, the point in centimetres, the core code and the answers
    (an item not answered is NaN, so equal answer sets are equal rows)."""
    places = pd.Series(facts["place_text"].fillna("").astype(object))
    folded = {text: fold(text) for text in pd.unique(places)}
    key = pd.DataFrame(
        {
            "year": facts["year"].astype(np.int64).to_numpy(),
            "place": places.map(folded).to_numpy(dtype=object),
            **{
                name: [None if v != v or v is None else round(v, 2) for v in facts[name].tolist()]
                for name in ("x", "y")
            },
            "code": facts["trygg_kvall"].astype(float).to_numpy(),
        }
    )
    key = pd.concat([key, answers.reset_index(drop=True).astype(float)], axis=1)
    key.columns = range(key.shape[1])
    return key.groupby(list(key.columns), dropna=False, sort=False).ngroup().to_numpy()


def _duplicates(batch_ids: list[int], by: str) -> dict | None:
    if not batch_ids:
        return None
    return {"count": len(batch_ids), "batch_ids": sorted(set(batch_ids)), "by": by}
