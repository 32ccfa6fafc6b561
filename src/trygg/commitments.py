"""Medborgarlöften and their commitments: the file format, import, export and listing.

The YAML form holds whole promises with their commitments and follow-ups; the CSV form
holds one commitment per row with the promise's fields repeated (no follow-ups). Both
are described in README.md, section "Filformat för medborgarlöften".
"""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import yaml
from sqlalchemy import Connection, Engine, delete, select

from trygg import batches, filecheck
from trygg.auth import Actor, require_write
from trygg.errors import TryggError
from trygg.exports import restore_cell, write_csv
from trygg.places import place_index, resolve_place
from trygg.scales import (
    CADENCES,
    DEFAULT_STATUS,
    FIRST_YEAR,
    LAST_YEAR,
    PARTIES,
    STATUSES,
    THEMES,
)
from trygg.store import (
    check_kommun_code,
    ensure_kommun,
    reads,
    require_kommun,
    schema,
    write_transaction,
)
from trygg.strings import t
from trygg.tabular import load_yaml, read_rows
from trygg.text import fold, split_list, suffix

FORMAT = "trygg-medborgarlofte/1"
BATCH_KIND = "commitments"
CSV_COLUMNS = (
    "kommun",
    "medborgarlofte",
    "period_from",
    "period_to",
    "signed",
    "signatories",
    "follow_up_cadence",
    "source",
    "designated_places",
    "party",
    "text",
    "places",
    "designated",
    "themes",
    "partners",
    "status",
)
YES = {"ja", "j", "true", "sant", "1", "yes", "x"}
NO = {"nej", "n", "false", "falskt", "0", "no", ""}


# --- Reading and validating the file -------------------------------------------------


def read_file(path: str | Path) -> tuple[str | None, list[dict]]:
    """Parse a YAML or CSV promise file into (kommun code or None, promises).

    Each promise is a dict with the keys of the YAML form, validated and normalised.
    """
    path = Path(path)
    ending = suffix(path)
    if ending not in {".yaml", ".yml", ".csv"}:
        raise TryggError(t("err.commitments_format_ext", file=path.name))
    data = filecheck.read_bounded(path, limit="max_document_bytes")
    if ending == ".csv":
        kommun, raw = _read_csv(path, data)
    else:
        kommun, raw = _read_yaml(path, data)
    promises = [
        _validated_promise(item, f"medborgarlöfte {number}", path.name)
        for number, item in enumerate(raw, start=1)
    ]
    return kommun, promises


def _read_yaml(path: Path, data: bytes) -> tuple[str | None, list]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        reason = t("reason.not_utf8")
        raise TryggError(t("err.commitments_unreadable", file=path.name, reason=reason)) from None
    document = load_yaml(text, path.name)
    if not isinstance(document, dict) or not isinstance(document.get("medborgarloften"), list):
        raise TryggError(
            t(
                "err.commitments_format",
                file=path.name,
                where="filen",
                reason="nyckeln 'medborgarloften' med en lista av löften saknas",
            )
        )
    kommun = document.get("kommun")
    return (None if kommun is None else _text(kommun).zfill(4)), document["medborgarloften"]


def _read_csv(path: Path, data: bytes) -> tuple[str | None, list]:
    rows = read_rows(data, path.name)
    if not rows:
        raise TryggError(
            t("err.commitments_format", file=path.name, where="filen", reason="filen är tom")
        )
    header = [fold(cell) for cell in rows[0]]
    missing = [c for c in ("medborgarlofte", "party", "text") if c not in header]
    if missing:
        raise TryggError(
            t(
                "err.commitments_format",
                file=path.name,
                where="rad 1",
                reason=f"kolumnerna {', '.join(missing)} saknas",
            )
        )
    promises: dict[str, dict] = {}
    kommun = None
    for row_number, cells in enumerate(rows[1:], start=2):
        row = dict(zip(header, (restore_cell(c.strip()) for c in cells), strict=False))
        kommun = kommun or (row.get("kommun") or None)
        title = row.get("medborgarlofte", "")
        promise = promises.setdefault(title, _promise_from_csv_row(row))
        promise["commitments"].append(_commitment_from_csv_row(row, row_number, path.name))
    return (_text(kommun).zfill(4) if kommun else None), list(promises.values())


def _promise_from_csv_row(row: dict) -> dict:
    signatories = []
    for item in split_list(row.get("signatories")):
        name, _, role = item.partition("(")
        signatories.append({"name": name.strip(), "role": role.rstrip(")").strip()})
    return {
        "title": row.get("medborgarlofte"),
        "period": {"from": row.get("period_from") or None, "to": row.get("period_to") or None},
        "signed": row.get("signed") or None,
        "signatories": signatories,
        "follow_up_cadence": row.get("follow_up_cadence") or None,
        "source": row.get("source") or None,
        "designated_places": split_list(row.get("designated_places")),
        "commitments": [],
    }


def _commitment_from_csv_row(row: dict, row_number: int, file_name: str) -> dict:
    designated = fold(row.get("designated") or "")
    if designated not in YES | NO:
        raise TryggError(
            t(
                "err.commitments_format",
                file=file_name,
                where=f"rad {row_number}, kolumn 'designated'",
                reason=f"värdet {row.get('designated')!r} ska vara ja eller nej",
            )
        )
    return {
        "party": row.get("party"),
        "text": row.get("text"),
        "places": split_list(row.get("places")),
        "designated": designated in YES,
        "themes": split_list(row.get("themes")),
        "partners": split_list(row.get("partners")),
        "status": row.get("status") or DEFAULT_STATUS,
        "follow_ups": [],
    }


def _validated_promise(item, where: str, file_name: str) -> dict:
    def fail(reason: str, at: str = where):
        raise TryggError(t("err.commitments_format", file=file_name, where=at, reason=reason))

    if not isinstance(item, dict):
        fail("ett löfte ska vara en samling nycklar (title, period, commitments …)")
    title = _text(item.get("title"))
    if not title:
        fail(t("err.commitments_missing", field="title"))
    period = item.get("period") or {}
    if not isinstance(period, dict):
        fail("period ska ha nycklarna from och to")
    cadence = item.get("follow_up_cadence")
    if cadence is not None and cadence not in CADENCES:
        fail(_not_allowed("follow_up_cadence", cadence, [*CADENCES, "null"]))
    commitments = item.get("commitments")
    if not isinstance(commitments, list) or not commitments:
        fail("listan commitments saknas eller är tom")
    return {
        "title": title,
        "period": {
            "from": _date(period.get("from"), "period.from", fail),
            "to": _date(period.get("to"), "period.to", fail),
        },
        "signed": _date(item.get("signed"), "signed", fail),
        "signatories": _signatories(item.get("signatories") or [], fail),
        "follow_up_cadence": cadence,
        "source": _text(item.get("source")) or None,
        "designated_places": _string_list(item.get("designated_places"), "designated_places", fail),
        "commitments": [
            _validated_commitment(c, f"{where}, åtagande {n}", file_name)
            for n, c in enumerate(commitments, start=1)
        ],
    }


def _validated_commitment(item, where: str, file_name: str) -> dict:
    def fail(reason: str):
        raise TryggError(t("err.commitments_format", file=file_name, where=where, reason=reason))

    if not isinstance(item, dict):
        fail("ett åtagande ska vara en samling nycklar (party, text, places …)")
    party = fold(_text(item.get("party")))
    if party not in PARTIES:
        fail(_not_allowed("party", item.get("party"), list(PARTIES)))
    text = _text(item.get("text"))
    if not text:
        fail(t("err.commitments_missing", field="text"))
    themes = _string_list(item.get("themes"), "themes", fail)
    for theme in themes:
        if theme not in THEMES:
            fail(_not_allowed("theme", theme, list(THEMES)))
    status = _status(item.get("status") or DEFAULT_STATUS, fail)
    designated = item.get("designated", False)
    if not isinstance(designated, bool):
        fail("designated ska vara true eller false")
    return {
        "party": party,
        "text": text,
        "places": _string_list(item.get("places"), "places", fail),
        "designated": designated,
        "themes": themes,
        "partners": _string_list(item.get("partners"), "partners", fail),
        "status": status,
        "follow_ups": [_follow_up(f, fail) for f in _items(item.get("follow_ups"), fail)],
    }


def _items(value, fail) -> list:
    """A YAML list that may be absent (None); anything else than a list is refused."""
    if value is None:
        return []
    if not isinstance(value, list):
        fail("follow_ups ska vara en lista av {date, status, comment}")
    return value


def _text(value) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def _not_allowed(field: str, value, allowed: list[str]) -> str:
    return t("err.commitments_value", field=field, value=value, allowed=", ".join(allowed))


def _status(value, fail) -> str:
    folded = fold(_text(value)).replace("_", " ")
    if folded not in STATUSES:
        fail(_not_allowed("status", value, list(STATUSES)))
    return folded


def _date(value, field: str, fail) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        try:
            value = date.fromisoformat(str(value).strip())
        except ValueError:
            fail(t("err.commitments_date", field=field, value=value))
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        fail(
            t(
                "err.commitments_date_range",
                field=field,
                value=value.isoformat(),
                min=FIRST_YEAR,
                max=LAST_YEAR,
            )
        )
    return value


def _string_list(value, field: str, fail) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return split_list(value)
    if not isinstance(value, list):
        fail(f"{field} ska vara en lista")
    return [_text(v) for v in value if _text(v)]


def _signatories(value, fail) -> list[dict]:
    if not isinstance(value, list):
        fail("signatories ska vara en lista av {name, role}")
    people = []
    for person in value:
        if isinstance(person, str):
            person = {"name": person, "role": ""}
        if not isinstance(person, dict) or not _text(person.get("name")):
            fail("varje undertecknare behöver ett namn (name)")
        people.append({"name": _text(person.get("name")), "role": _text(person.get("role"))})
    return people


def _follow_up(value, fail) -> dict:
    if not isinstance(value, dict):
        fail("en uppföljning ska ha date, status och comment")
    when = _date(value.get("date"), "follow_ups.date", fail)
    if when is None:
        fail(t("err.commitments_missing", field="follow_ups.date"))
    return {
        "date": when,
        "status": _status(value.get("status") or DEFAULT_STATUS, fail),
        "comment": _text(value.get("comment")),
        "demo": bool(value.get("demo", False)),
    }


# --- Storing -------------------------------------------------------------------------


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
        index = place_index(connection, kommun)
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


def _resolve_places(promise: dict, index: dict, kommun: str) -> dict:
    def ids(names: list[str]) -> list[int]:
        return list(dict.fromkeys(resolve_place(index, name, kommun)[0] for name in names))

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
    for place_id in promise["designated_place_ids"]:
        connection.execute(link.insert().values(medborgarlofte_id=promise_id, place_id=place_id))
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
        reads.bump(connection, kommun)
    return follow_id


def parse_date_arg(value: str) -> date:
    """An ISO date from the command line, refused in Swedish if malformed."""
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise TryggError(t("err.commitments_date", field="--date", value=value)) from None


# --- Reading back --------------------------------------------------------------------


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
        connection.execute(select(link.c.place_id).where(link.c.medborgarlofte_id == row["id"]))
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
        "designated_places": sorted((names[i] for i in designated), key=fold),
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


def list_commitments(engine: Engine, kommun: str, place: str | None = None) -> list[dict]:
    """One dict per commitment: party, text, places, themes, status, medborgarlofte, …

    ``places`` holds the places the commitment is tied to directly and, when it is tied
    to the promise's designated places (utpekade områden), those too. ``place`` keeps only
    the commitments tied to that place (by name or alias).
    """
    promises = load_promises(engine, kommun)
    wanted = None
    if place is not None:
        with engine.connect() as connection:
            wanted = resolve_place(place_index(connection, kommun), place, kommun)[1]
    listed = []
    for promise in promises:
        for item in promise["commitments"]:
            places = list(item["places"])
            if item["designated"]:
                places += [p for p in promise["designated_places"] if p not in places]
            if wanted is not None and wanted not in places:
                continue
            listed.append(
                {
                    "id": item["id"],
                    "party": item["party"],
                    "text": item["text"],
                    "places": places,
                    "themes": item["themes"],
                    "status": item["status"],
                    "medborgarlofte": promise["title"],
                    "designated": item["designated"],
                    "partners": item["partners"],
                    "follow_ups": [
                        {**f, "date": f["date"].isoformat()} for f in item["follow_ups"]
                    ],
                }
            )
    return listed


def group_for_place(commitments: list[dict], place: str | None) -> dict:
    """Split commitments for a place view: tied ones by party, then kommun-wide ones.

    With ``place`` None, every place-bound commitment is grouped by party.
    """
    by_party: dict[str, list[dict]] = {party: [] for party in PARTIES}
    kommun_wide = []
    for item in commitments:
        if not item["places"]:
            kommun_wide.append(item)
        elif place is None or place in item["places"]:
            by_party[item["party"]].append(item)
    return {"by_party": by_party, "kommun_wide": kommun_wide}


# --- Writing the file back -----------------------------------------------------------


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


def to_yaml(kommun: str, promises: list[dict]) -> str:
    """The YAML form of ``promises`` (as returned by :func:`load_promises`)."""
    document = {
        "format": FORMAT,
        "kommun": kommun,
        "medborgarloften": [
            {
                **{k: v for k, v in p.items() if k not in {"id", "commitments"}},
                "commitments": [
                    {k: v for k, v in c.items() if k != "id" and (k != "follow_ups" or v)}
                    for c in p["commitments"]
                ],
            }
            for p in promises
        ],
    }
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)


def to_csv(kommun: str, promises: list[dict]) -> str:
    """The CSV form: one commitment per row, UTF-8, comma-separated.

    Text that a spreadsheet would run as a formula is quoted
    (:func:`trygg.exports.safe_cell`); :func:`read_file` removes the quote again.
    """
    buffer = io.StringIO()
    rows = [_csv_row(kommun, p, c) for p in promises for c in p["commitments"]]
    write_csv(buffer, CSV_COLUMNS, rows)
    return buffer.getvalue()


def _csv_row(kommun: str, p: dict, c: dict) -> list[str]:
    return [
        kommun,
        p["title"],
        _iso(p["period"]["from"]),
        _iso(p["period"]["to"]),
        _iso(p["signed"]),
        "; ".join(
            f"{s['name']} ({s['role']})" if s["role"] else s["name"] for s in p["signatories"]
        ),
        p["follow_up_cadence"] or "",
        p["source"] or "",
        "; ".join(p["designated_places"]),
        c["party"],
        c["text"],
        "; ".join(c["places"]),
        "ja" if c["designated"] else "nej",
        "; ".join(c["themes"]),
        "; ".join(c["partners"]),
        c["status"],
    ]


def _iso(value: date | None) -> str:
    return value.isoformat() if value else ""
