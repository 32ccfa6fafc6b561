"""Medborgarlöften in the store: import (one batch), follow-ups, export."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, delete, select

from trygg import filecheck
from trygg.auth import Actor, require_write
from trygg.commitments.format import _status, read_file, to_csv, to_yaml
from trygg.errors import TryggError
from trygg.places.lookup import NameIndex
from trygg.store import (
    batches,
    check_kommun_code,
    ensure_kommun,
    require_kommun,
    schema,
    write_transaction,
)
from trygg.strings import t
from trygg.text import fold, suffix

BATCH_KIND = batches.COMMITMENTS_KIND


def import_commitments(
    engine: Engine, path: str | Path, kommun: str, *, actor: Actor | None
) -> dict:
    """Store the promises of a YAML or CSV file for ``kommun``, in one transaction.

    A promise whose title already exists is updated: commitments with the same party and
    text keep their id and follow-ups, others are added or removed as the file says.

    Returns
    -------
    dict
        ``{"kommun", "batch_id", "medborgarloften", "commitments", "unchanged"}``.
    """
    check_kommun_code(kommun)
    require_write(actor, kommun)
    path = Path(path)
    file_kommun, promises = read_file(path)
    if file_kommun is not None and file_kommun != kommun:
        raise TryggError(
            t("err.commitments_kommun_mismatch", file_kommun=file_kommun, kommun=kommun)
        )
    data = filecheck.read_bounded(path, limit="max_document_bytes")
    with write_transaction(engine) as connection:
        ensure_kommun(connection, kommun)
        index = NameIndex.of(connection, kommun)
        resolved = [_resolve_places(p, index, kommun) for p in promises]
        copy = batches.find_active_copy(connection, kommun, BATCH_KIND, batches.sha256(data))
        summary = {
            "kommun": kommun,
            "medborgarloften": len(promises),
            "commitments": sum(len(p["commitments"]) for p in promises),
        }
        if copy is not None:
            return {**summary, "batch_id": copy, "unchanged": True}
        batch_id = batches.create_batch(
            connection,
            kommun=kommun,
            kind=BATCH_KIND,
            file_name=path.name,
            data=data,
            uploaded_by=actor.name,
        )
        for promise in resolved:
            _store_promise(connection, kommun, promise, batch_id, actor.name)
        batches.record_counts(
            connection,
            batch_id,
            total=summary["commitments"],
            accepted=summary["commitments"],
            rejected=0,
            summary=summary,
        )
    return {**summary, "batch_id": batch_id, "unchanged": False}


def _resolve_places(promise: dict, index: NameIndex, kommun: str) -> dict:
    def ids(names: list[str]) -> list[int]:
        return list(dict.fromkeys(index.resolve(name, kommun)[0] for name in names))

    return {
        **promise,
        "designated_place_ids": ids(promise["designated_places"]),
        "commitments": [{**c, "place_ids": ids(c["places"])} for c in promise["commitments"]],
    }


def _store_promise(
    connection: Connection, kommun: str, promise: dict, batch_id: int, recorded_by: str
) -> None:
    table = schema.medborgarlofte
    values = {
        "kommun_kod": kommun,
        "title": promise["title"],
        "period_from": promise["period"]["from"],
        "period_to": promise["period"]["to"],
        "signed": promise["signed"],
        "signatories": promise["signatories"],
        "follow_up_cadence": promise["follow_up_cadence"],
        "source": promise["source"],
        "batch_id": batch_id,
    }
    promise_id = connection.execute(
        select(table.c.id).where(table.c.kommun_kod == kommun, table.c.title == promise["title"])
    ).scalar_one_or_none()
    if promise_id is None:
        promise_id = connection.execute(table.insert().values(**values)).inserted_primary_key[0]
    else:
        connection.execute(table.update().where(table.c.id == promise_id).values(**values))
    link = schema.medborgarlofte_place
    connection.execute(delete(link).where(link.c.medborgarlofte_id == promise_id))
    for position, place_id in enumerate(promise["designated_place_ids"]):
        connection.execute(
            link.insert().values(medborgarlofte_id=promise_id, place_id=place_id, position=position)
        )
    _store_commitments(connection, promise_id, promise["commitments"], recorded_by)


def _store_commitments(
    connection: Connection, promise_id: int, commitments: list[dict], recorded_by: str
) -> None:
    table = schema.commitment
    existing = {
        (party, fold(text)): cid
        for cid, party, text in connection.execute(
            select(table.c.id, table.c.party, table.c.text).where(
                table.c.medborgarlofte_id == promise_id
            )
        )
    }
    kept = set()
    for position, item in enumerate(commitments, start=1):
        values = {
            "medborgarlofte_id": promise_id,
            "position": position,
            "party": item["party"],
            "text": item["text"],
            "themes": item["themes"],
            "partners": item["partners"],
            "designated": item["designated"],
            "status": item["status"],
        }
        commitment_id = existing.get((item["party"], fold(item["text"])))
        if commitment_id is None:
            commitment_id = connection.execute(
                table.insert().values(**values)
            ).inserted_primary_key[0]
        else:
            connection.execute(table.update().where(table.c.id == commitment_id).values(**values))
        kept.add(commitment_id)
        _store_links(connection, commitment_id, item["place_ids"])
        for follow in item["follow_ups"]:
            add_follow_up(
                connection, commitment_id, **follow, recorded_by=recorded_by, skip_duplicate=True
            )
    for commitment_id in set(existing.values()) - kept:
        connection.execute(delete(table).where(table.c.id == commitment_id))


def _store_links(connection: Connection, commitment_id: int, place_ids: list[int]) -> None:
    link = schema.commitment_place
    connection.execute(delete(link).where(link.c.commitment_id == commitment_id))
    for place_id in place_ids:
        connection.execute(link.insert().values(commitment_id=commitment_id, place_id=place_id))


def add_follow_up(
    connection: Connection,
    commitment_id: int,
    *,
    date: date,
    status: str,
    comment: str = "",
    demo: bool = False,
    recorded_by: str,
    skip_duplicate: bool = False,
) -> int | None:
    """Insert a dated follow-up of a commitment (optionally unless an equal one exists)."""
    table = schema.follow_up
    if skip_duplicate:
        found = connection.execute(
            select(table.c.id).where(
                table.c.commitment_id == commitment_id,
                table.c.date == date,
                table.c.status == status,
                table.c.comment == comment,
            )
        ).first()
        if found is not None:
            return None
    result = connection.execute(
        table.insert().values(
            commitment_id=commitment_id,
            date=date,
            status=status,
            comment=comment,
            demo=demo,
            recorded_at=datetime.now().replace(microsecond=0),
            recorded_by=recorded_by,
        )
    )
    return result.inserted_primary_key[0]


def record_follow_up(
    engine: Engine,
    commitment_id: int,
    *,
    status: str,
    comment: str = "",
    when: date | None = None,
    actor: Actor | None,
) -> int:
    """A coordinator's follow-up: store it and make its status the commitment's status.

    ``actor`` must be allowed to change the commitment's kommun; they are recorded as
    the follow-up's author.
    """

    def fail(reason: str):
        raise TryggError(reason)

    status = _status(status, fail)
    table = schema.commitment
    with write_transaction(engine) as connection:
        kommun = connection.execute(
            select(schema.medborgarlofte.c.kommun_kod)
            .join(table, table.c.medborgarlofte_id == schema.medborgarlofte.c.id)
            .where(table.c.id == commitment_id)
        ).scalar_one_or_none()
        if kommun is None:
            raise TryggError(t("err.commitment_unknown", id=commitment_id))
        require_write(actor, kommun)
        follow_id = add_follow_up(
            connection,
            commitment_id,
            date=when or date.today(),
            status=status,
            comment=comment,
            recorded_by=actor.name,
        )
        connection.execute(table.update().where(table.c.id == commitment_id).values(status=status))
        batches.bump(connection, kommun)
    return follow_id


def load_promises(engine: Engine, kommun: str) -> list[dict]:
    """The kommun's promises in the YAML form's shape, with place names resolved."""
    with engine.connect() as connection:
        require_kommun(connection, kommun)
        names = dict(
            connection.execute(
                select(schema.place.c.id, schema.place.c.name).where(
                    schema.place.c.kommun_kod == kommun
                )
            ).all()
        )
        promises = (
            connection.execute(
                select(schema.medborgarlofte)
                .where(schema.medborgarlofte.c.kommun_kod == kommun)
                .order_by(schema.medborgarlofte.c.period_from, schema.medborgarlofte.c.id)
            )
            .mappings()
            .all()
        )
        return [_promise_dict(connection, row, names) for row in promises]


def _promise_dict(connection: Connection, row, names: dict[int, str]) -> dict:
    link = schema.medborgarlofte_place
    designated = (
        connection.execute(
            select(link.c.place_id)
            .where(link.c.medborgarlofte_id == row["id"])
            .order_by(link.c.position.is_(None), link.c.position, link.c.place_id)
        )
        .scalars()
        .all()
    )
    commitments = (
        connection.execute(
            select(schema.commitment)
            .where(schema.commitment.c.medborgarlofte_id == row["id"])
            .order_by(schema.commitment.c.position)
        )
        .mappings()
        .all()
    )
    return {
        "id": row["id"],
        "title": row["title"],
        "period": {"from": row["period_from"], "to": row["period_to"]},
        "signed": row["signed"],
        "signatories": row["signatories"],
        "follow_up_cadence": row["follow_up_cadence"],
        "source": row["source"],
        "designated_places": [names[i] for i in designated],
        "commitments": [_commitment_dict(connection, c, names) for c in commitments],
    }


def _commitment_dict(connection: Connection, row, names: dict[int, str]) -> dict:
    link = schema.commitment_place
    place_ids = (
        connection.execute(select(link.c.place_id).where(link.c.commitment_id == row["id"]))
        .scalars()
        .all()
    )
    follow_ups = (
        connection.execute(
            select(schema.follow_up)
            .where(schema.follow_up.c.commitment_id == row["id"])
            .order_by(schema.follow_up.c.date, schema.follow_up.c.id)
        )
        .mappings()
        .all()
    )
    return {
        "id": row["id"],
        "party": row["party"],
        "text": row["text"],
        "places": sorted((names[i] for i in place_ids), key=fold),
        "designated": row["designated"],
        "themes": row["themes"],
        "partners": row["partners"],
        "status": row["status"],
        "follow_ups": [
            {"date": f["date"], "status": f["status"], "comment": f["comment"], "demo": f["demo"]}
            for f in follow_ups
        ],
    }


def export_commitments(engine: Engine, kommun: str, out: str | Path) -> int:
    """Write the kommun's promises to ``out`` (.yaml/.yml or .csv); return the count."""
    out = Path(out)
    promises = load_promises(engine, kommun)
    if suffix(out) in {".yaml", ".yml"}:
        text = to_yaml(kommun, promises)
    elif suffix(out) == ".csv":
        text = to_csv(kommun, promises)
    else:
        raise TryggError(t("err.commitments_format_ext", file=out.name))
    out.write_text(text, encoding="utf-8")
    return sum(len(p["commitments"]) for p in promises)
