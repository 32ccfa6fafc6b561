"""The places a coordinator adds to the kommun's presentation, after the löfte's own.

The presentation steps through the löfte's designated places in the document's order
(:func:`trygg.pages.slides.slides`); a coordinator may add other places after them (a
place the dialogue will ask about, a new trouble spot). The choice is stored per kommun
in ``presentation_place`` (migration 0010), in the order given; setting it replaces the
whole list, so the list on screen is what the hall sees. Changing it needs a coordinator
of the kommun (:func:`trygg.auth.require_write`) and raises the kommun's data version.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Engine, select

from trygg.auth import Actor, require_write
from trygg.errors import TryggError
from trygg.places.lookup import NameIndex
from trygg.store import batches, require_kommun, schema, write_transaction
from trygg.strings import t

#: At most this many added places: a dialogue evening has room for a handful.
MAX_CHOSEN = 20


def chosen_places(engine: Engine, kommun: str) -> list[str]:
    """The names of the places added to the kommun's presentation, in their order."""
    chosen, place = schema.presentation_place, schema.place
    with engine.connect() as connection:
        rows = connection.execute(
            select(place.c.name)
            .join(chosen, chosen.c.place_id == place.c.id)
            .where(chosen.c.kommun_kod == kommun)
            .order_by(chosen.c.position, place.c.id)
        ).all()
    return [row.name for row in rows]


def set_chosen_places(
    engine: Engine, kommun: str, names: Sequence[str], *, actor: Actor | None
) -> list[str]:
    """Replace the kommun's added places by ``names`` (names or aliases, in order).

    Returns the places' own names as stored. Refuses, with nothing changed, an unknown
    name (with at most three suggestions), more than :data:`MAX_CHOSEN` places and an
    actor who may not change the kommun. A name given twice counts once.
    """
    require_write(actor, kommun)
    with write_transaction(engine) as connection:
        require_kommun(connection, kommun)
        index = NameIndex.of(connection, kommun)
        found: dict[int, str] = {}
        for name in names:
            hit = index.find(name)
            if hit is None:
                close = ", ".join(index.suggestions(name))
                key = "err.chosen_unknown_close" if close else "err.chosen_unknown"
                raise TryggError(t(key, name=name, close=close))
            found.setdefault(*hit)
        if len(found) > MAX_CHOSEN:
            raise TryggError(t("err.chosen_too_many", max=MAX_CHOSEN, count=len(found)))
        table = schema.presentation_place
        connection.execute(table.delete().where(table.c.kommun_kod == kommun))
        if found:
            connection.execute(
                table.insert(),
                [
                    {"kommun_kod": kommun, "place_id": place_id, "position": position}
                    for position, place_id in enumerate(found, start=1)
                ],
            )
        batches.bump(connection, kommun)
    return list(found.values())
