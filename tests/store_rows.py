"""Rows written straight into a test store, for tests of how the store reads them."""

from __future__ import annotations

import datetime as dt

from trygg.store import schema

KOMMUN = "1111"
WHEN = dt.datetime(2024, 1, 1)


def add_batches(connection, numbers, kommun: str = KOMMUN) -> None:
    """The kommun and an active incident batch with each id in ``numbers``."""
    connection.execute(schema.kommun.insert().values(kod=kommun, namn="Test"))
    for number in numbers:
        connection.execute(
            schema.import_batch.insert().values(
                id=number,
                kommun_kod=kommun,
                kind="incidents",
                file_name=f"f{number}.csv",
                sha256=f"{number:064d}",
                original=b"",
                uploaded_at=WHEN,
                status="active",
                uploaded_by="t",
            )
        )


def add_incident(connection, batch: int, row: int = 2, *, id: int | None = None) -> None:
    """One incident of ``batch`` (file row ``row``), with the id SQLite gives unless
    ``id`` is given."""
    values = {"id": id} if id is not None else {}
    connection.execute(
        schema.incident.insert().values(
            **values,
            batch_id=batch,
            kommun_kod=KOMMUN,
            row_number=row,
            occurred_at=WHEN,
            precision="day",
            category="Stöld",
            count=1,
        )
    )
