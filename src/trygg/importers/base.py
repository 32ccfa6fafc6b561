"""What every row-by-row importer shares: the outcome of its rows, where each row is,
and its one-batch write.

Surveys, area-level results, incidents and crime statistics all read a table, place
each row (by name or point), turn rows into records or :class:`RowError` s, then store
the records and the original file as one batch in one transaction, so a failure leaves
nothing behind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from sqlalchemy import Connection, Engine, select

from trygg.errors import RowError, TryggError
from trygg.filecheck import number, read_bounded
from trygg.importers.placing import (  # noqa: F401  (the importers' shared names)
    Placement,
    Placements,
    location_mode,
    place_rows,
    unknown_place_message,
)
from trygg.places.lookup import Locator
from trygg.store import batches, check_kommun_code, require_kommun, schema, write_transaction
from trygg.strings import t
from trygg.tabular import Table, canonical_columns, read_mapping, read_table

#: A batch keeps at most this many row errors in its summary (all are counted).
MAX_STORED_ERRORS = 5000
#: An error group lists this many row numbers (all are counted).
GROUP_ROWS = 20
#: A refusal sentence names at most this many error groups.
SENTENCE_GROUPS = 5


def group_errors(errors: list[RowError] | list[dict]) -> list[dict]:
    """Row errors grouped by (column, message), in order of first appearance.

    Each group is ``{"column", "message", "count", "rows"}`` with the first
    :data:`GROUP_ROWS` row numbers; ``count`` counts every error of the group.

    Examples
    --------
    >>> errs = [RowError(2, "d", "x", "bad"), RowError(3, "d", "y", "bad")]
    >>> group_errors(errs)
    [{'column': 'd', 'message': 'bad', 'count': 2, 'rows': [2, 3]}]
    """
    groups: dict[tuple[str, str], dict] = {}
    for error in errors:
        row, column, message = (
            (error["row"], error["column"], error["message"])
            if isinstance(error, dict)
            else (error.row, error.column, error.message)
        )
        group = groups.get((column, message))
        if group is None:
            group = groups[column, message] = {
                "column": column,
                "message": message,
                "count": 0,
                "rows": [],
            }
        group["count"] += 1
        if len(group["rows"]) < GROUP_ROWS:
            group["rows"].append(row)
    return list(groups.values())


def group_line(group: dict) -> str:
    """One group as a sentence part: "24 534 rader: … (kolumn datum), t.ex. rad 2, 3 …"."""
    rows = ", ".join(str(row) for row in group["rows"])
    if group["count"] == 1:
        key = "outcomes.group_one"
    elif group["count"] <= len(group["rows"]):
        key = "outcomes.group_all"
    else:
        key = "outcomes.group_some"
    return t(
        key,
        count=number(group["count"]),
        message=group["message"],
        column=group["column"],
        rows=rows,
    )


class RefusedFile(TryggError):
    """A file refused whole because no row could be stored; carries its error groups."""

    def __init__(self, message: str, error_groups: list[dict]):
        super().__init__(message)
        self.error_groups = error_groups


def refuse_if_nothing_accepted(outcome: RowOutcome, file_name: str) -> None:
    """Refuse, before storing, a file with no data rows or no accepted row, and one that
    would store nothing while some rows were rejected (the rest accepted but not stored,
    e.g. polisen.se summary posts): the coordinator fixes the file and imports it again.

    Up to :data:`SENTENCE_GROUPS` errors are each named in full (row, column, value);
    more are grouped by column and message, the first rows of each listed.
    """
    if outcome.rows == 0:
        raise RefusedFile(t("outcomes.refused_empty", file=file_name), [])
    accepted = outcome.rows - len(outcome.rejected)
    if accepted > 0 and (outcome.records or not outcome.rejected):
        return
    groups = group_errors(outcome.errors)
    if len(outcome.errors) <= SENTENCE_GROUPS:
        # A few errors: each as its own sentence, naming row, column and value.
        parts = [str(error) for error in outcome.errors]
    else:
        parts = [group_line(group) for group in groups[:SENTENCE_GROUPS]]
    if len(outcome.errors) > SENTENCE_GROUPS and len(groups) > SENTENCE_GROUPS:
        parts.append(t("outcomes.more_groups", count=number(len(groups) - SENTENCE_GROUPS)))
    sentence = t(
        "outcomes.refused_rows",
        file=file_name,
        groups=t("outcomes.group_separator").join(parts),
    )
    if outcome.warnings:  # a whole-file hint (e.g. the likely coordinate system) after it
        end = " " if sentence.endswith((".", "…")) else ". "
        sentence = sentence + end + " ".join(outcome.warnings)
    raise RefusedFile(sentence, groups)


@dataclass
class RowOutcome:
    """The rows of one import: the records to store and why the other rows were not."""

    rows: int
    records: list[dict] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    rejected: set[int] = field(default_factory=set)
    unresolved: set[int] = field(default_factory=set)
    extra: dict = field(default_factory=dict)

    warnings: list[str] = field(default_factory=list)

    def reject(self, index: int, errors: list[RowError]) -> None:
        self.errors.extend(errors)
        self.rejected.add(index)

    def note(self, errors: list[RowError]) -> None:
        """Errors of a row that is still kept (e.g. "koordinat saknas" for an incident that
        counts for the kommun total): listed with the others, not counted as rejected."""
        self.errors.extend(errors)

    def summary(self, batch_id: int | None) -> dict:
        """The ``--json`` shape shared by every row importer (plus importer extras)."""
        return {
            "batch_id": batch_id,
            "rows": self.rows,
            "accepted": self.rows - len(self.rejected),
            "rejected": len(self.rejected),
            "unresolved": len(self.unresolved),
            "errors": [error.as_dict() for error in self.errors],
            "error_groups": group_errors(self.errors),
            "warnings": list(self.warnings),
            **self.extra,
        }


def store_batch(
    engine: Engine,
    outcome: RowOutcome,
    write: Callable[[Connection, int], None],
    *,
    kommun: str,
    kind: str,
    file_name: str,
    data: bytes,
    uploaded_by: str,
    source: str | None,
    foreign_keys: bool = True,
) -> dict:
    """Store ``outcome`` as one batch in one transaction; refuse an identical active file.

    ``write(connection, batch_id)`` stores the records; if it fails nothing is kept.
    The transaction holds the write lock (:func:`trygg.store.write_transaction`), so
    concurrent imports wait for each other; the file was parsed before, outside it.
    ``foreign_keys=False``: ``write`` checks the kommun and the places it refers to
    itself, and deletes nothing (see :func:`trygg.store.write_transaction`).

    Raises
    ------
    RefusedFile
        When no row of the file was accepted (or it has no data rows): no batch is
        created and the file is not stored; the sentence groups the row errors.
    """
    refuse_if_nothing_accepted(outcome, file_name)
    with write_transaction(engine, foreign_keys=foreign_keys) as connection:
        batch_id = batches.create_batch(
            connection,
            kommun=kommun,
            kind=kind,
            file_name=file_name,
            data=data,
            uploaded_by=uploaded_by,
            source=source,
        )
        write(connection, batch_id)
        summary = outcome.summary(batch_id)
        batches.record_counts(
            connection,
            batch_id,
            total=summary["rows"],
            accepted=summary["accepted"],
            rejected=summary["rejected"],
            summary={**summary, "errors": summary["errors"][:MAX_STORED_ERRORS]},
        )
    return summary


@dataclass
class Upload:
    """A file about to be imported for a kommun: its bytes, its table and the places."""

    kommun: str
    kommun_name: str
    path: Path
    data: bytes
    mapping: dict
    table: Table
    locator: Locator

    def store(
        self,
        engine: Engine,
        outcome: RowOutcome,
        write: Callable[[Connection, int], None],
        *,
        kind: str,
        uploaded_by: str,
        source: str | None,
        foreign_keys: bool = True,
    ) -> dict:
        """Store ``outcome`` as one batch holding this file (see :func:`store_batch`)."""
        return store_batch(
            engine,
            outcome,
            write,
            kommun=self.kommun,
            kind=kind,
            file_name=self.path.name,
            data=self.data,
            uploaded_by=uploaded_by,
            source=source,
            foreign_keys=foreign_keys,
        )


def open_upload(
    engine: Engine,
    path: str | Path,
    kommun: str,
    *,
    mapping: str | Path | dict | None = None,
    synonyms: dict[str, str] | None = None,
    data: bytes | None = None,
    reader: Callable[[Path, bytes], Table] = read_table,
) -> Upload:
    """Read a file (or uploaded ``data``) into a table with canonical column names.

    Refuses, before anything is stored, a bad kommun code, an unknown kommun, a bad
    mapping file and a file that cannot be read as a table.
    """
    check_kommun_code(kommun)
    path = Path(path)
    data = read_bounded(path) if data is None else data
    mapping = mapping if isinstance(mapping, dict) else read_mapping(mapping)
    table = reader(path, data)
    table.columns = canonical_columns(table.header, mapping, synonyms)
    with engine.connect() as connection:
        kommun_name = require_kommun(connection, kommun)
        locator = Locator(connection, kommun)
    return Upload(kommun, kommun_name, path, data, mapping, table, locator)


def check_references(
    connection: Connection,
    kommun: str,
    place_ids: np.ndarray,
    read_shapes: dict[int, bytes],
    file_name: str,
) -> None:
    """Refuse a write (made with ``foreign_keys=False``, :func:`store_batch`) unless the
    kommun exists and every place in ``place_ids`` is still one of its places, with the
    shape it had when the rows were placed (``read_shapes``: place id → WKB,
    :attr:`trygg.places.lookup.Locator.read_shapes`); a places import may have removed
    or changed them since. Call it inside the write transaction, under its lock."""
    place = schema.place
    stored = dict(
        connection.execute(
            select(place.c.id, place.c.geom_wkb).where(place.c.kommun_kod == kommun)
        ).all()
    )
    namn = connection.execute(
        select(schema.kommun.c.namn).where(schema.kommun.c.kod == kommun)
    ).scalar_one_or_none()
    linked = np.unique(np.asarray(place_ids, dtype=np.int64)).tolist()
    if namn is None or any(stored.get(i) != read_shapes.get(i) for i in linked):
        raise TryggError(t("err.places_changed", kommun=namn or kommun, file=file_name))
