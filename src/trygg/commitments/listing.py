"""What the map and the CLI list: the commitments of a kommun or a place, grouped."""

from __future__ import annotations

from sqlalchemy import Engine

from trygg.commitments.store import load_promises
from trygg.places.lookup import NameIndex
from trygg.scales import (
    PARTIES,
)


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
            wanted = NameIndex.of(connection, kommun).resolve(place, kommun)[1]
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


def latest_follow_up(item: dict) -> dict | None:
    """The commitment's most recent follow-up (by date), or None before the first one.

    Examples
    --------
    >>> latest_follow_up({"follow_ups": [{"date": "2024-09-30"}, {"date": "2024-05-02"}]})
    {'date': '2024-09-30'}
    >>> latest_follow_up({"follow_ups": []}) is None
    True
    """
    return max(item["follow_ups"], key=lambda follow_up: follow_up["date"], default=None)


def promise_titles(commitments: list[dict]) -> list[str]:
    """The titles of the medborgarlöften the commitments come from, each once, sorted."""
    return sorted({item["medborgarlofte"] for item in commitments})


def has_demo_follow_ups(commitments: list[dict]) -> bool:
    """Whether any follow-up is made-up demo data (``trygg demo`` marks them ``demo``)."""
    return any(f.get("demo") for item in commitments for f in item["follow_ups"])
