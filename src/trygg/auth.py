"""Who may change data.

Every function that changes data takes a required keyword ``actor`` and calls
:func:`require_write` before it writes. The dashboard passes the logged-in
coordinator (or None, which is refused); the command line, which only someone with
the database file in hand can run, passes :func:`local_admin`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from trygg import settings
from trygg.errors import TryggError
from trygg.strings import t


@dataclass(frozen=True)
class Actor:
    """Someone allowed to change data.

    Attributes
    ----------
    name : str
        Recorded as the uploader of a batch and the author of a follow-up.
    kommuner : frozenset of str
        The kommunkoder this actor may change.
    admin : bool
        May change every kommun (and manage users).
    """

    name: str
    kommuner: frozenset[str] = field(default_factory=frozenset)
    admin: bool = False

    def may_change(self, kommun: str) -> bool:
        return self.admin or kommun in self.kommuner


def local_admin() -> Actor:
    """The command line's actor: every kommun, recorded as ``TRYGG_USER`` or "kommandoraden"."""
    return Actor(name=settings.cli_user(), admin=True)


def require_write(actor: Actor | None, kommun: str) -> Actor:
    """Return ``actor`` if they may change ``kommun``'s data; refuse in Swedish otherwise."""
    if actor is None:
        raise TryggError(t("err.login_required"))
    if not actor.may_change(kommun):
        raise TryggError(t("err.not_your_kommun", user=actor.name, kommun=kommun))
    return actor
