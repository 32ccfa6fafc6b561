"""What the map and the CLI list: the commitments of a kommun or a place, grouped.
"""

from __future__ import annotations

from sqlalchemy import Engine

from trygg.commitments.store import load_promises
from trygg.places.lookup import place_index, resolve_place
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
