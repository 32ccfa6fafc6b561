"""Who may change data: an actor, the command line's local administrator, and the
one check every write makes (:func:`require_write`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from trygg import settings
from trygg.errors import TryggError
from trygg.strings import t


class LoginRefused(TryggError):
    """A login or a session that is refused: wrong password, too many attempts, expired."""


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
