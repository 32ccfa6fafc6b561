"""Import batches: every import is one batch that keeps the original file's bytes."""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import Connection, Engine, false, or_, select
from sqlalchemy.exc import IntegrityError

from trygg import auth
from trygg.auth import Actor
from trygg.errors import TryggError
from trygg.store import schema, write_transaction
from trygg.strings import t

ACTIVE = "active"

ROLLED_BACK = "rolled_back"

#: An earlier import of a places file that was imported again with ``--replace``.
REPLACED = "replaced"

#: How ``trygg demo`` marks the batches it loads: their uploader and source text.
DEMO_USER = "demo"

SYNTHETIC_SOURCE_PREFIX = "Syntetiska demodata"

#: What each import holds (``import_batch.kind``).
SURVEY_KIND = "survey"
SURVEY_RESULTS_KIND = "survey_results"
INCIDENTS_KIND = "incidents"
CRIME_STATS_KIND = "crime_stats"
PLACES_KIND = "places"
COMMITMENTS_KIND = "commitments"
#: A context layer beneath the places, one batch kind per layer kind (``context_vatten``…),
#: so one file's layers can be imported as different kinds; a new import replaces the last.
CONTEXT_KIND_PREFIX = "context_"
#: Kinds whose rows are figures; places and promises are replaced by re-importing instead.
ROLLBACK_KINDS = {SURVEY_KIND, SURVEY_RESULTS_KIND, INCIDENTS_KIND, CRIME_STATS_KIND}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def is_synthetic(batch) -> bool:
    """Whether an import batch (a mapping) holds synthetic demo data from ``trygg demo``."""
    source = batch.get("source") or ""
    return batch.get("uploaded_by") == DEMO_USER or source.startswith(SYNTHETIC_SOURCE_PREFIX)


def find_active_copy(connection: Connection, kommun: str, kind: str, digest: str) -> int | None:
    """The id of an active batch of the same kind and kommun with identical bytes, if any."""
    table = schema.import_batch
    return (
        connection.execute(
            select(table.c.id)
            .where(table.c.kommun_kod == kommun)
            .where(table.c.kind == kind)
            .where(table.c.sha256 == digest)
            .where(table.c.status == ACTIVE)
            .order_by(table.c.id.desc())
        )
        .scalars()
        .first()
    )


def create_batch(
    connection: Connection,
    *,
    kommun: str,
    kind: str,
    file_name: str,
    data: bytes,
    uploaded_by: str,
    source: str | None = None,
) -> int:
    """Insert an active batch holding ``data``; return its id. Counts are set later.

    A file (its sha256) is active once per kommun and kind. The database enforces this
    with a unique index, so even two imports at the same moment cannot both store it:
    the second is refused with "redan importerad" and the first one's batch id.
    """
    digest = sha256(data)
    with _one_active_file(connection, kommun, kind, digest, file_name):
        result = connection.execute(
            schema.import_batch.insert().values(
                kommun_kod=kommun,
                kind=kind,
                file_name=file_name,
                sha256=digest,
                original=data,
                uploaded_at=datetime.now().replace(microsecond=0),
                uploaded_by=uploaded_by,
                source=source,
                rows_total=0,
                rows_accepted=0,
                rows_rejected=0,
                status=ACTIVE,
            )
        )
    bump(connection, kommun)
    return result.inserted_primary_key[0]


@contextmanager
def _one_active_file(
    connection: Connection, kommun: str, kind: str, digest: str, file_name: str
) -> Iterator[None]:
    """Around a write that makes a file active: refuse it if the file is active already.

    The look-up gives the usual answer; the unique index (inside a savepoint, so the
    transaction survives) catches a twin committed by a concurrent import.
    """
    _refuse_active_copy(connection, kommun, kind, digest, file_name)
    try:
        with connection.begin_nested():
            yield
    except IntegrityError:
        _refuse_active_copy(connection, kommun, kind, digest, file_name)
        raise


def _refuse_active_copy(
    connection: Connection, kommun: str, kind: str, digest: str, file_name: str
) -> None:
    copy = find_active_copy(connection, kommun, kind, digest)
    if copy is not None:
        raise TryggError(t("err.already_imported", file=file_name, batch_id=copy))


def mark_replaced(connection: Connection, batch_id: int) -> None:
    """Retire an earlier import of a file that is being imported again to replace data."""
    table = schema.import_batch
    connection.execute(table.update().where(table.c.id == batch_id).values(status=REPLACED))


def record_counts(
    connection: Connection,
    batch_id: int,
    *,
    total: int,
    accepted: int,
    rejected: int,
    summary: dict | None = None,
) -> None:
    connection.execute(
        schema.import_batch.update()
        .where(schema.import_batch.c.id == batch_id)
        .values(rows_total=total, rows_accepted=accepted, rows_rejected=rejected, summary=summary)
    )


def list_batches(engine: Engine, kommun: str) -> list[dict]:
    """The kommun's batches, newest first, without the original bytes."""
    table = schema.import_batch
    columns = [c for c in table.c if c.name != "original"]
    with engine.connect() as connection:
        rows = connection.execute(
            select(*columns).where(table.c.kommun_kod == kommun).order_by(table.c.id.desc())
        ).mappings()
        return [{**row, "uploaded_at": row["uploaded_at"].isoformat(sep=" ")} for row in rows]


def set_status(engine: Engine, batch_id: int, status: str, *, actor: Actor | None) -> dict:
    """Roll a batch back (``rolled_back``) or restore it (``active``); its data is kept.

    ``actor`` must be allowed to change the batch's kommun (see :func:`auth.require_write`).
    """
    table = schema.import_batch
    with write_transaction(engine) as connection:
        row = (
            connection.execute(
                select(
                    table.c.id, table.c.kommun_kod, table.c.kind, table.c.file_name, table.c.status
                ).where(table.c.id == batch_id)
            )
            .mappings()
            .first()
        )
        if row is None:
            raise TryggError(t("err.batch_unknown", id=batch_id))
        auth.require_write(actor, row["kommun_kod"])
        if row["kind"] not in ROLLBACK_KINDS:
            raise TryggError(t("err.batch_not_rollbackable", id=batch_id, kind=row["kind"]))
        _update_status(connection, row, status)
        bump(connection, row["kommun_kod"])
    return {**row, "previous_status": row["status"], "status": status}


def _update_status(connection: Connection, row, status: str) -> None:
    """Set a batch's status; restoring one whose file is active again is refused."""
    table = schema.import_batch
    update = table.update().where(table.c.id == row["id"]).values(status=status)
    if status != ACTIVE or row["status"] == ACTIVE:
        connection.execute(update)
        return
    digest = connection.execute(select(table.c.sha256).where(table.c.id == row["id"])).scalar()
    with _one_active_file(connection, row["kommun_kod"], row["kind"], digest, row["file_name"]):
        connection.execute(update)


#: The row that counts every change in the store (a kommun added, any kommun changed).
WHOLE_STORE = "*"


def bump(connection: Connection, kommun: str) -> None:
    """Raise the kommun's revision, and the whole store's, in the caller's transaction."""
    table = schema.data_revision
    for key in (kommun, WHOLE_STORE):
        changed = connection.execute(
            table.update().where(table.c.kommun_kod == key).values(revision=table.c.revision + 1)
        ).rowcount
        if not changed:
            connection.execute(table.insert().values(kommun_kod=key, revision=1))


# --- where an incident batch's rows are ------------------------------------------


def row_ranges(connection, kommun: str, rows: str) -> list[tuple[int, int, int]]:
    """(batch id, first id, last id) of the kommun's active incident batches' ``rows``
    (``incident`` or ``aggregate``): a batch with none has no range."""
    batch = schema.import_batch
    first, last = batch.c[f"{rows}_first_id"], batch.c[f"{rows}_last_id"]
    query = select(batch.c.id, first, last).where(
        batch.c.kommun_kod == kommun,
        batch.c.kind == INCIDENTS_KIND,
        batch.c.status == ACTIVE,
        first.is_not(None),
    )
    return [tuple(row) for row in connection.execute(query.order_by(first))]


#: At most this many id spans in one condition (SQLite parses ``a OR b OR …`` to a
#: tree no deeper than 1 000): the ranges nearest each other are read as one.
MAX_SPANS = 50


def in_batches(ids, batch_ids, ranges: list[tuple[int, int, int]]) -> list:
    """Conditions for the rows of the batches in ``ranges`` (see :func:`row_ranges`):
    ``ids`` within one of their id spans (found through the primary key) and
    ``batch_ids`` one of theirs (ranges of concurrent writers may interleave, and a
    span of merged ranges holds other batches' rows)."""
    if not ranges:
        return [false()]
    spans = [ids.between(first, last) for first, last in id_spans(ranges)]
    return [or_(*spans), batch_ids.in_([batch for batch, _first, _last in ranges])]


def id_spans(ranges: list[tuple[int, int, int]], most: int = MAX_SPANS) -> list[tuple[int, int]]:
    """The id ranges of ``ranges`` as at most ``most`` spans covering them all, in id
    order: where there are more, the ranges with the smallest gaps between them merge.

    >>> id_spans([(1, 1, 10), (2, 11, 20), (3, 500, 600), (4, 30, 40)], most=2)
    [(1, 40), (500, 600)]
    """
    ordered = sorted((first, last) for _batch, first, last in ranges)
    gaps = [after[0] - before[1] for before, after in itertools.pairwise(ordered)]
    by_size = sorted(range(len(gaps)), key=gaps.__getitem__)
    cuts = set(by_size[max(len(gaps) - (most - 1), 0) :])
    spans = [ordered[0]]
    for index, (first, last) in enumerate(ordered[1:]):
        if index in cuts:
            spans.append((first, last))
        else:
            spans[-1] = (spans[-1][0], max(spans[-1][1], last))
    return spans
