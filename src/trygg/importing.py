"""What every row-by-row importer shares: the outcome of its rows and its one-batch write.

Surveys, area-level results, incidents and crime statistics all read a table, turn rows
into records or :class:`RowError` s, then store the records and the original file as one
batch in one transaction, so a failure leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, Engine

from trygg import batches
from trygg.errors import RowError
from trygg.filecheck import read_bounded
from trygg.locations import Locator
from trygg.store import check_kommun_code, require_kommun, write_transaction
from trygg.tabular import Table, canonical_columns, read_mapping, read_table

#: A batch keeps at most this many row errors in its summary (all are counted).
MAX_STORED_ERRORS = 5000


@dataclass
class RowOutcome:
    """The rows of one import: the records to store and why the other rows were not."""

    rows: int
    records: list[dict] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    rejected: set[int] = field(default_factory=set)
    unresolved: set[int] = field(default_factory=set)
    extra: dict = field(default_factory=dict)

    def reject(self, index: int, errors: list[RowError]) -> None:
        self.errors.extend(errors)
        self.rejected.add(index)

    def summary(self, batch_id: int | None) -> dict:
        """The ``--json`` shape shared by every row importer (plus importer extras)."""
        return {
            "batch_id": batch_id,
            "rows": self.rows,
            "accepted": self.rows - len(self.rejected),
            "rejected": len(self.rejected),
            "unresolved": len(self.unresolved),
            "errors": [error.as_dict() for error in self.errors],
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
) -> dict:
    """Store ``outcome`` as one batch in one transaction; refuse an identical active file.

    ``write(connection, batch_id)`` stores the records; if it fails nothing is kept.
    The transaction holds the write lock (:func:`trygg.store.write_transaction`), so
    concurrent imports wait for each other; the file was parsed before, outside it.
    """
    with write_transaction(engine) as connection:
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
