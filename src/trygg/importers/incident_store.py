"""Writing a parsed incident file: the incidents, their place links and the day
aggregate of a new batch, column by column and :data:`CHUNK` rows at a time."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sqlalchemy import Connection, func, select

from trygg.importers import incident_rows
from trygg.importers.base import check_references
from trygg.store import PLACEHOLDERS, aggregates, bulk_insert, literal, schema

#: The incident columns a file can fill, in the order they are written.
INCIDENT_COLUMNS = (
    "row_number",
    "occurred_at",
    "precision",
    "category",
    "source_category",
    "count",
    "x",
    "y",
    "place_text",
    "beskrivning",
    "location_precision",
    "source_id",
)


#: Incidents and links are written this many at a time (bounded memory).
CHUNK = 100_000


def store_incidents(
    connection: Connection,
    kommun: str,
    batch_id: int,
    records: incident_rows.IncidentRecords,
    file_name: str,
    read_shapes: dict[int, bytes],
) -> None:
    """Write the incidents, their place links and the aggregate of a new batch.

    The transaction does not have SQLite check foreign keys row by row: the batch is
    the transaction's own, the incident ids are the ones just inserted, and the kommun
    and the linked places are checked here, once, under the write lock: each still
    there with the shape it had when the points were placed (``read_shapes``, place id
    → WKB, :attr:`trygg.places.lookup.Locator.read_shapes`)."""
    check_references(connection, kommun, records.link_places, read_shapes, file_name)
    if not records:
        return
    columns = records.columns
    stamps = datetime_texts(connection, columns["occurred_at"])
    # A column no incident fills (descriptions, source ids …) is left to its NULL, and
    # one with the same word or number in every row is written into the statement.
    constants = {"batch_id": batch_id, "kommun_kod": kommun}
    written = []
    for name in INCIDENT_COLUMNS:
        values = columns[name]
        if pd.isna(values).all():
            continue
        same = None if name == "occurred_at" else _same_value(values)
        if same is not None and literal(same) is not None:
            constants[name] = same
        else:
            written.append(name)
    before = _largest_id(connection, schema.incident)
    for start in range(0, len(records), CHUNK):
        part = slice(start, start + CHUNK)
        values = [
            stamps[part] if name == "occurred_at" else columns[name][part].tolist()
            for name in written
        ]
        bulk_insert(
            connection, schema.incident, written, list(zip(*values, strict=True)), constants
        )
    ids = _stored_ids(connection, batch_id, columns["row_number"], before)
    rows, places = records.link_rows, records.link_places
    for start in range(0, len(rows), CHUNK):
        part = rows[start : start + CHUNK]
        bulk_insert(
            connection,
            schema.incident_place,
            ["incident_id", "place_id"],
            list(zip(ids[part].tolist(), places[start : start + CHUNK].tolist(), strict=True)),
            constants={"batch_id": batch_id},
        )
    before = _largest_id(connection, schema.incident_aggregate)
    aggregates.store_incident_aggregate(connection, kommun, batch_id, records)
    sums = schema.incident_aggregate
    first, last = connection.execute(
        select(func.min(sums.c.id), func.max(sums.c.id)).where(
            sums.c.id > before, sums.c.batch_id == batch_id
        )
    ).one()
    batch = schema.import_batch
    connection.execute(
        batch.update()
        .where(batch.c.id == batch_id)
        .values(
            incident_first_id=int(ids.min()),
            incident_last_id=int(ids.max()),
            aggregate_first_id=first,
            aggregate_last_id=last,
        )
    )


def _largest_id(connection: Connection, table) -> int:
    """The largest id in ``table`` (0 when empty): the batch's rows come after it."""
    return int(connection.execute(select(func.max(table.c.id))).scalar() or 0)


def _same_value(values: np.ndarray):
    """The one value every element of ``values`` has (as a Python int or str), or None."""
    first = values[0]
    if isinstance(first, np.integer | int) and not isinstance(first, bool | np.bool_):
        return int(first) if bool(np.all(values == first)) else None
    if isinstance(first, str):
        return str(first) if bool(np.all(values == first)) else None
    return None


def _stored_ids(
    connection: Connection, batch_id: int, row_numbers: np.ndarray, before: int
) -> np.ndarray:
    """The ids the batch's incidents got (all after ``before``), in the order of
    ``row_numbers`` (as inserted).

    Inserted in one transaction, they are one run of consecutive ids in row order when
    the batch's smallest and largest id and its first and last row say so; otherwise
    every (row, id) pair is read."""
    table = schema.incident
    new = [table.c.id > before, table.c.batch_id == batch_id]
    first, last, size = connection.execute(
        select(func.min(table.c.id), func.max(table.c.id), func.count()).where(*new)
    ).one()
    ends = (
        connection.execute(
            select(table.c.row_number).where(table.c.id.in_([first, last])).order_by(table.c.id)
        )
        .scalars()
        .all()
    )
    if (
        size == len(row_numbers)
        and last - first + 1 == size
        and ends == [int(row_numbers[0]), int(row_numbers[-1])]
        and bool(np.all(np.diff(row_numbers) > 0))
    ):
        return np.arange(first, last + 1, dtype=np.int64)
    mark = PLACEHOLDERS.get(connection.dialect.paramstyle, "?")
    cursor = connection.connection.cursor()  # the driver's rows: plain tuples
    cursor.execute(
        f"SELECT row_number, id FROM incident WHERE id > {mark} AND batch_id = {mark}",
        (before, batch_id),
    )
    stored = np.array(cursor.fetchall(), dtype=np.int64).reshape(-1, 2)
    cursor.close()
    stored = stored[np.argsort(stored[:, 0])]
    return stored[np.searchsorted(stored[:, 0], row_numbers), 1]


def datetime_texts(connection: Connection, stamps: np.ndarray) -> list:
    """How datetimes go to the driver: SQLAlchemy's SQLite text form, else as datetimes."""
    if connection.dialect.name != "sqlite":
        return stamps.astype("datetime64[us]").tolist()
    # Formatted once per distinct day and per distinct time of day, then joined.
    moments = stamps.astype("datetime64[us]")
    day = moments.astype("datetime64[D]")
    days, day_of = np.unique(day, return_inverse=True)
    clocks, clock_of = np.unique((moments - day).astype(np.int64), return_inverse=True)
    day_texts = np.datetime_as_string(days, unit="D").astype(object) + " "
    clock_texts = np.datetime_as_string(
        np.datetime64(0, "us") + clocks.astype("timedelta64[us]"), unit="us"
    )
    clock_texts = np.strings.replace(clock_texts, "1970-01-01T", "").astype(object)
    return (day_texts[day_of] + clock_texts[clock_of]).tolist()
