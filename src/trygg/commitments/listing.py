"""What the map, the Löften page and the CLI list: the commitments of a kommun or a
place, grouped, filtered, counted by status and written as a spreadsheet."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date

from sqlalchemy import Engine

from trygg.commitments import follow_up
from trygg.commitments.store import load_promises
from trygg.exports import write_csv, write_xlsx
from trygg.places.lookup import NameIndex
from trygg.scales import PARTIES
from trygg.text import fold

#: The place filter's value for the commitments that hold for the whole kommun.
KOMMUN_WIDE = ""

#: The columns of the Löften page's CSV and XLSX downloads.
EXPORT_COLUMNS = (
    "id",
    "medborgarlofte",
    "party",
    "text",
    "places",
    "themes",
    "partners",
    "status",
    "latest_follow_up",
    "next_follow_up",
    "overdue",
    "period_from",
    "period_to",
    "follow_up_cadence",
    "follow_ups",
)


def list_commitments(
    engine: Engine, kommun: str, place: str | None = None, *, today: date | None = None
) -> list[dict]:
    """One dict per commitment: party, text, places, themes, status, medborgarlofte, …

    ``places`` holds the places the commitment is tied to directly and, when it is tied
    to the promise's designated places (utpekade områden), those too. ``place`` keeps only
    the commitments tied to that place (by name or alias).

    ``status`` is decided by :func:`trygg.commitments.follow_up.current_status` (the
    latest follow-up's status); ``recorded_status`` is the one stored with the
    commitment. ``next_follow_up``, ``overdue`` and ``ended`` are judged on ``today``
    (default: the computer's date), see :func:`trygg.commitments.follow_up.progress`.
    """
    today = today or date.today()
    promises = load_promises(engine, kommun)
    wanted = None
    if place is not None:
        with engine.connect() as connection:
            wanted = NameIndex.of(connection, kommun).resolve(place, kommun)[1]
    listed = []
    for promise in promises:
        for item in promise["commitments"]:
            places = list(item["places"])
            if item["designated"]:
                places += [p for p in promise["designated_places"] if p not in places]
            if wanted is not None and wanted not in places:
                continue
            listed.append(_listed(promise, item, places, today))
    return listed


def _listed(promise: dict, item: dict, places: list[str], today: date) -> dict:
    period = promise["period"]
    state = follow_up.progress(
        stored_status=item["status"],
        follow_ups=item["follow_ups"],
        cadence=promise["follow_up_cadence"],
        period_from=period["from"],
        period_to=period["to"],
        today=today,
    )
    return {
        "id": item["id"],
        "party": item["party"],
        "text": item["text"],
        "places": places,
        "themes": item["themes"],
        "status": state.status,
        "recorded_status": item["status"],
        "medborgarlofte": promise["title"],
        "designated": item["designated"],
        "partners": item["partners"],
        "follow_ups": [{**f, "date": f["date"].isoformat()} for f in item["follow_ups"]],
        "period": {"from": _iso(period["from"]), "to": _iso(period["to"])},
        "follow_up_cadence": promise["follow_up_cadence"],
        "latest_follow_up": _iso(state.latest),
        "next_follow_up": _iso(state.next_due),
        "overdue": state.overdue,
        "ended": state.ended,
    }


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


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


def latest_follow_up(item: dict) -> dict | None:
    """The commitment's most recent follow-up (by date), or None before the first one.

    Examples
    --------
    >>> latest_follow_up({"follow_ups": [{"date": "2024-09-30"}, {"date": "2024-05-02"}]})
    {'date': '2024-09-30'}
    >>> latest_follow_up({"follow_ups": []}) is None
    True
    """
    return follow_up.latest(item["follow_ups"])


def promise_titles(commitments: list[dict]) -> list[str]:
    """The titles of the medborgarlöften the commitments come from, each once, sorted."""
    return sorted({item["medborgarlofte"] for item in commitments})


def has_demo_follow_ups(commitments: list[dict]) -> bool:
    """Whether any follow-up is made-up demo data (``trygg demo`` marks them ``demo``)."""
    return any(f.get("demo") for item in commitments for f in item["follow_ups"])


def filter_commitments(
    commitments: Iterable[dict],
    *,
    parties: Sequence[str] = (),
    themes: Sequence[str] = (),
    places: Sequence[str] = (),
    statuses: Sequence[str] = (),
) -> list[dict]:
    """The commitments that pass every filter; an empty filter lets everything through.

    A commitment passes ``themes`` or ``places`` when it has one of them;
    :data:`KOMMUN_WIDE` in ``places`` lets through those tied to no place.
    """

    def passes(item: dict) -> bool:
        where = set(item["places"]) | ({KOMMUN_WIDE} if not item["places"] else set())
        return (
            (not parties or item["party"] in parties)
            and (not themes or bool(set(item["themes"]) & set(themes)))
            and (not places or bool(where & set(places)))
            and (not statuses or item["status"] in statuses)
        )

    return [item for item in commitments if passes(item)]


def filter_options(commitments: Iterable[dict]) -> dict[str, list[str]]:
    """What the commitments' filters can offer: the parties, themes and places they have.

    Places are sorted by name, :data:`KOMMUN_WIDE` first when a commitment holds for the
    whole kommun.
    """
    items = list(commitments)
    named = {p for item in items for p in item["places"]}
    kommun_wide = [KOMMUN_WIDE] if any(not item["places"] for item in items) else []
    return {
        "parties": [p for p in PARTIES if any(item["party"] == p for item in items)],
        "themes": sorted({theme for item in items for theme in item["themes"]}),
        "places": kommun_wide + sorted(named, key=fold),
    }


def status_summary(commitments: Iterable[dict]) -> dict[str, int]:
    """How many of the commitments have each status (genomförd, pågår, ej påbörjad,
    inställd)."""
    return follow_up.status_counts(item["status"] for item in commitments)


def by_promise(commitments: Iterable[dict]) -> list[dict]:
    """The commitments under their medborgarlöfte, in the order they come.

    Each group: ``{"title", "period", "follow_up_cadence", "ended", "commitments"}``.
    """
    groups: dict[str, dict] = {}
    for item in commitments:
        group = groups.setdefault(
            item["medborgarlofte"],
            {
                "title": item["medborgarlofte"],
                "period": item["period"],
                "follow_up_cadence": item["follow_up_cadence"],
                "ended": item["ended"],
                "commitments": [],
            },
        )
        group["commitments"].append(item)
    return list(groups.values())


def export_rows(commitments: Iterable[dict]) -> list[list]:
    """One spreadsheet row per commitment, in :data:`EXPORT_COLUMNS`' order."""
    return [
        [
            item["id"],
            item["medborgarlofte"],
            item["party"],
            item["text"],
            "; ".join(item["places"]),
            "; ".join(item["themes"]),
            "; ".join(item["partners"]),
            item["status"],
            item["latest_follow_up"] or "",
            item["next_follow_up"] or "",
            "ja" if item["overdue"] else "nej",
            item["period"]["from"] or "",
            item["period"]["to"] or "",
            item["follow_up_cadence"] or "",
            " | ".join(_history_cell(f) for f in item["follow_ups"]),
        ]
        for item in commitments
    ]


def _history_cell(follow: dict) -> str:
    comment = f": {follow['comment']}" if follow.get("comment") else ""
    return f"{follow['date']} {follow['status']}{comment}"


def to_csv_bytes(commitments: Iterable[dict]) -> bytes:
    """The commitments as UTF-8 CSV; text a spreadsheet would run is quoted
    (:func:`trygg.exports.safe_cell`)."""
    buffer = io.StringIO()
    write_csv(buffer, EXPORT_COLUMNS, export_rows(commitments))
    return buffer.getvalue().encode("utf-8")


def to_xlsx_bytes(commitments: Iterable[dict]) -> bytes:
    """The commitments as a one-sheet XLSX workbook; no cell is a formula."""
    buffer = io.BytesIO()
    write_xlsx(buffer, EXPORT_COLUMNS, export_rows(commitments), sheet="Åtaganden")
    return buffer.getvalue()
