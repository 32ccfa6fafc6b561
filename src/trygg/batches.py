"""Import batches: every import is one batch that keeps the original file's bytes."""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import Connection, Engine, select

from trygg import settings
from trygg.errors import TryggError
from trygg.store import schema
from trygg.strings import t

ACTIVE = "active"
ROLLED_BACK = "rolled_back"
#: How ``trygg demo`` marks the batches it loads: their uploader and source text.
DEMO_USER = "demo"
SYNTHETIC_SOURCE_PREFIX = "Syntetiska demodata"
#: Kinds whose rows are figures; places and promises are replaced by re-importing instead.
ROLLBACK_KINDS = {"survey", "survey_results", "incidents", "crime_stats"}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def current_user() -> str:
    """Who a command-line write is recorded as (see :func:`trygg.settings.cli_user`)."""
    return settings.cli_user()


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
    uploaded_by: str | None = None,
    source: str | None = None,
) -> int:
    """Insert an active batch holding ``data``; return its id. Counts are set later."""
    result = connection.execute(
        schema.import_batch.insert().values(
            kommun_kod=kommun,
            kind=kind,
            file_name=file_name,
            sha256=sha256(data),
            original=data,
            uploaded_at=datetime.now().replace(microsecond=0),
            uploaded_by=uploaded_by or current_user(),
            source=source,
            rows_total=0,
            rows_accepted=0,
            rows_rejected=0,
            status=ACTIVE,
        )
    )
    return result.inserted_primary_key[0]


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


def set_status(engine: Engine, batch_id: int, status: str) -> dict:
    """Roll a batch back (``rolled_back``) or restore it (``active``); its data is kept."""
    table = schema.import_batch
    with engine.begin() as connection:
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
        if row["kind"] not in ROLLBACK_KINDS:
            raise TryggError(t("err.batch_not_rollbackable", id=batch_id, kind=row["kind"]))
        connection.execute(table.update().where(table.c.id == batch_id).values(status=status))
    return {**row, "previous_status": row["status"], "status": status}
