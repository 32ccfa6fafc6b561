"""What the figures read from the store, and the version of the data they read.

:func:`data_version` is one cheap query whose answer changes with every import,
rollback, restore and follow-up of a kommun (:func:`bump`, called in the same
transaction). Caches key on it instead of on a clock.
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, select

from trygg.store import schema

#: The row that counts every change in the store (a kommun added, any kommun changed).
WHOLE_STORE = "*"


def bump(connection: Connection, kommun: str) -> None:
    """Raise the kommun's revision, and the whole store's, in the caller's transaction."""
    table = schema.data_revision
    for key in (kommun, WHOLE_STORE):
        changed = connection.execute(
            table.update()
            .where(table.c.kommun_kod == key)
            .values(revision=table.c.revision + 1)
        ).rowcount
        if not changed:
            connection.execute(table.insert().values(kommun_kod=key, revision=1))


def data_version(engine: Engine, kommun: str | None = None) -> int:
    """The kommun's revision (0 before any change); without a kommun, the whole store's."""
    table = schema.data_revision
    with engine.connect() as connection:
        found = connection.execute(
            select(table.c.revision).where(table.c.kommun_kod == (kommun or WHOLE_STORE))
        ).scalar()
    return int(found or 0)
