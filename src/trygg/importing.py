"""What every row-by-row importer shares: the outcome of its rows and its one-batch write.

Surveys, area-level results, incidents and crime statistics all read a table, turn rows
into records or :class:`RowError` s, then store the records and the original file as one
batch in one transaction, so a failure leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine

from trygg import batches
from trygg.errors import RowError, TryggError
from trygg.strings import t

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
    uploaded_by: str | None,
    source: str | None,
) -> dict:
    """Store ``outcome`` as one batch in one transaction; refuse an identical active file.

    ``write(connection, batch_id)`` stores the records; if it fails nothing is kept.
    """
    with engine.begin() as connection:
        copy = batches.find_active_copy(connection, kommun, kind, batches.sha256(data))
        if copy is not None:
            raise TryggError(t("err.already_imported", file=file_name, batch_id=copy))
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
