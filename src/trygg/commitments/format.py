"""The medborgarlöfte file formats: YAML and CSV, read, validated and written back.

See README "Medborgarlöften". A file that cannot be read, or a value that is not
allowed, is refused with a Swedish sentence naming where it is.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import yaml

from trygg import filecheck
from trygg.errors import TryggError
from trygg.exports import restore_cell, write_csv
from trygg.scales import (
    CADENCES,
    DEFAULT_STATUS,
    FIRST_YEAR,
    LAST_YEAR,
    PARTIES,
    STATUSES,
    THEMES,
)
from trygg.strings import t
from trygg.tabular import load_yaml, read_rows
from trygg.text import fold, split_list, suffix

FORMAT = "trygg-medborgarlofte/1"

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
                where=t("commitments.where_file"),
                reason=t("commitments.no_promises"),
            )
        )
    kommun = document.get("kommun")
    return (None if kommun is None else _text(kommun).zfill(4)), document["medborgarloften"]


def _read_csv(path: Path, data: bytes) -> tuple[str | None, list]:
    rows = read_rows(data, path.name)
    if not rows:
        raise TryggError(
            t(
                "err.commitments_format",
                file=path.name,
                where=t("commitments.where_file"),
                reason=t("commitments.empty_file"),
            )
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
                where=t("commitments.where_cell", row=row_number, column="designated"),
                reason=t("commitments.designated_yes_no", value=row.get("designated")),
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
        fail(t("commitments.period_keys"))
    cadence = item.get("follow_up_cadence")
    if cadence is not None and cadence not in CADENCES:
        fail(_not_allowed("follow_up_cadence", cadence, [*CADENCES, "null"]))
    commitments = item.get("commitments")
    if not isinstance(commitments, list) or not commitments:
        fail(t("commitments.no_commitments"))
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
        fail(t("commitments.designated_bool"))
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
        fail(t("commitments.follow_up_keys"))
    when = _date(value.get("date"), "follow_ups.date", fail)
    if when is None:
        fail(t("err.commitments_missing", field="follow_ups.date"))
    return {
        "date": when,
        "status": _status(value.get("status") or DEFAULT_STATUS, fail),
        "comment": _text(value.get("comment")),
        "demo": bool(value.get("demo", False)),
    }


def parse_date_arg(value: str) -> date:
    """An ISO date from the command line, refused in Swedish if malformed."""
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise TryggError(t("err.commitments_date", field="--date", value=value)) from None


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
