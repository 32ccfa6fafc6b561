"""Who may change data: coordinators, their passwords, logins and sessions.

Every function that changes data takes a required keyword ``actor`` and calls
:func:`require_write` before it writes. The dashboard passes the logged-in
coordinator (or None, which is refused); the command line, which only someone with
the database file in hand can run, passes :func:`local_admin`.

Passwords are stored only as argon2 hashes (argon2-cffi). A login is refused, without
looking at the password, once a user name or a client has had
``LoginPolicy.max_failures`` failed attempts within ``LoginPolicy.window_s``; the
attempts are rows in the store, so the limit holds across processes. No password or
hash is ever put in a log line or a message.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
import secrets
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, Engine, delete, func, or_, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from trygg import settings, store
from trygg.errors import TryggError
from trygg.store import check_kommun_code, schema
from trygg.strings import t
from trygg.text import fold

LOG = logging.getLogger(__name__)
HASHER = PasswordHasher()
NAME_PATTERN = re.compile(r"[\w.@-]{2,64}")
EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
#: Names that batches are already recorded under (``batches.DEMO_USER``, the CLI's
#: default): a user with one of them would pass their uploads off as those.
RESERVED_NAMES = frozenset({"demo", settings.CLI_USER_DEFAULT})
#: Longer passwords are refused before hashing (argon2 itself would accept them).
MAX_PASSWORD_LENGTH = 1024
#: Client keys come from request headers; a longer one is cut.
MAX_CLIENT_KEY = 200
#: Login attempts older than this are deleted (the window is far shorter).
ATTEMPTS_KEPT = timedelta(days=1)
#: How a session was begun: the login form, or the organisation's OIDC provider.
BY_PASSWORD = "password"
BY_OIDC = "oidc"


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


# --- Users -------------------------------------------------------------------------


def add_user(
    engine: Engine,
    name: str,
    password: str,
    *,
    kommuner: Iterable[str] = (),
    admin: bool = False,
    email: str | None = None,
) -> dict:
    """Create a coordinator of ``kommuner`` (or an admin of every kommun).

    Parameters
    ----------
    engine : Engine
        The store.
    name : str
        2–64 letters, digits or ``. _ @ -``; recorded on every batch they import.
    password : str
        At least ``LoginPolicy.min_password_length`` characters; only its hash is kept.
    kommuner : iterable of str
        Kommunkoder the user may change; at least one unless ``admin``.
    admin : bool
        May change every kommun.
    email : str, optional
        The address an OIDC provider vouches for, to log in with ``st.login``.

    Returns
    -------
    dict
        The user as :func:`list_users` shows them.

    Examples
    --------
    >>> add_user(engine, "anna", "lång nog lösen", kommuner=["1381"])  # doctest: +SKIP
    {'name': 'anna', 'email': None, 'admin': False, 'kommuner': ['1381'], ...}
    """
    name, codes, email = check_new_user(engine, name, kommuner=kommuner, admin=admin, email=email)
    hashed = hash_password(password)
    now = _now()
    with _storing(name), store.write_transaction(engine) as connection:
        if _user_row(connection, name) is not None:
            raise TryggError(t("auth.user_exists", name=name))
        if email and _email_taken(connection, email):
            raise TryggError(t("auth.email_taken", email=email))
        user_id = connection.execute(
            schema.users.insert().values(
                name=name,
                email=email,
                password_hash=hashed,
                admin=admin,
                created_at=now,
                changed_at=now,
            )
        ).inserted_primary_key[0]
        if codes:
            connection.execute(
                schema.user_kommun.insert(),
                [{"user_id": user_id, "kommun_kod": code} for code in codes],
            )
    LOG.info("Användaren %s skapades (kommuner %s, admin %s).", name, codes, admin)
    return next(user for user in list_users(engine) if user["name"] == name)


def check_new_user(
    engine: Engine,
    name: str,
    *,
    kommuner: Iterable[str] = (),
    admin: bool = False,
    email: str | None = None,
) -> tuple[str, list[str], str | None]:
    """Refuse a new user that :func:`add_user` would refuse, before a password is asked.

    Returns
    -------
    tuple
        The cleaned ``(name, kommunkoder, email)``.
    """
    name = check_name(name)
    codes = sorted({check_kommun_code(code) for code in kommuner})
    if not codes and not admin:
        raise TryggError(t("auth.needs_kommun"))
    email = check_email(email)
    with engine.connect() as connection:
        if _user_row(connection, name) is not None:
            raise TryggError(t("auth.user_exists", name=name))
        if email and _email_taken(connection, email):
            raise TryggError(t("auth.email_taken", email=email))
    return name, codes, email


def set_password(engine: Engine, name: str, password: str) -> None:
    """Replace a user's password; their sessions begun before now end."""
    hashed = hash_password(password)
    with _storing(name), store.write_transaction(engine) as connection:
        found = connection.execute(
            schema.users.update()
            .where(schema.users.c.name == name)
            .values(password_hash=hashed, changed_at=_now())
        ).rowcount
    if not found:
        raise TryggError(t("auth.user_unknown", name=name))
    LOG.info("Lösenordet för %s byttes.", name)


def remove_user(engine: Engine, name: str) -> None:
    """Delete a user and their kommuner; their sessions end at the next page view."""
    with _storing(name), store.write_transaction(engine) as connection:
        row = _user_row(connection, name)
        if row is None:
            raise TryggError(t("auth.user_unknown", name=name))
        connection.execute(delete(schema.user_kommun).where(schema.user_kommun.c.user_id == row.id))
        connection.execute(delete(schema.users).where(schema.users.c.id == row.id))
    LOG.info("Användaren %s togs bort.", name)


def list_users(engine: Engine) -> list[dict]:
    """Every user by name: ``name, email, admin, kommuner, created_at, changed_at`` (UTC).

    Never the password hash.
    """
    users = schema.users
    with engine.connect() as connection:
        rows = connection.execute(
            select(
                users.c.id,
                users.c.name,
                users.c.email,
                users.c.admin,
                users.c.created_at,
                users.c.changed_at,
            ).order_by(users.c.name)
        ).all()
        kommuner = _kommuner_by_user(connection)
    return [
        {
            "name": row.name,
            "email": row.email,
            "admin": bool(row.admin),
            "kommuner": kommuner.get(row.id, []),
            "created_at": row.created_at.isoformat(sep=" ", timespec="seconds"),
            "changed_at": row.changed_at.isoformat(sep=" ", timespec="seconds"),
        }
        for row in rows
    ]


def check_name(name: str) -> str:
    """A user name, stripped; refuse a malformed or reserved one."""
    name = (name or "").strip()
    if not NAME_PATTERN.fullmatch(name):
        raise TryggError(t("auth.name_invalid", name=name))
    if fold(name) in RESERVED_NAMES:
        raise TryggError(t("auth.name_reserved", name=name))
    return name


def check_email(email: str | None) -> str | None:
    """An e-mail address in lower case (or None); refuse a malformed one."""
    if email is None or not email.strip():
        return None
    email = email.strip().lower()
    if not EMAIL_PATTERN.fullmatch(email):
        raise TryggError(t("auth.email_invalid", email=email))
    return email


def check_password(password: str, policy: settings.LoginPolicy | None = None) -> str:
    """Refuse a password that is too short or absurdly long (the message never holds it)."""
    policy = policy or settings.login_policy()
    if len(password or "") < policy.min_password_length:
        raise TryggError(t("auth.password_short", min=policy.min_password_length))
    if len(password) > MAX_PASSWORD_LENGTH:
        raise TryggError(t("auth.password_long", max=MAX_PASSWORD_LENGTH))
    return password


def hash_password(password: str) -> str:
    """The argon2 hash of an acceptable password (see :func:`check_password`)."""
    return HASHER.hash(check_password(password))


# --- Logging in --------------------------------------------------------------------


def authenticate(
    engine: Engine,
    name: str,
    password: str,
    client: str,
    *,
    policy: settings.LoginPolicy | None = None,
    now: datetime | None = None,
) -> Actor:
    """Check a user name and password from ``client``; return the user's Actor.

    Parameters
    ----------
    engine : Engine
        The store.
    name, password : str
        As typed.
    client : str
        Who is asking (see :func:`client_key`): failures are counted per client too.
    policy : LoginPolicy, optional
        Default :func:`trygg.settings.login_policy`.
    now : datetime, optional
        The time of the attempt (UTC, naive); default now.

    Raises
    ------
    LoginRefused
        Wrong name or password (one message for both), or too many failed attempts
        for the name or the client within the window, even with the right password.

    Notes
    -----
    The attempt is written first, which takes the store's write lock, so concurrent
    logins queue and the failure counts they read are exact. An unknown name is
    checked against a dummy hash, so it takes as long as a wrong password.
    """
    policy = policy or settings.login_policy()
    now = now or _now()
    client = client[:MAX_CLIENT_KEY]
    with _storing(), store.write_transaction(engine) as connection:
        user = _user_row(connection, name)
        key = user.name if user is not None else _unknown_name_key(name)
        attempt = _record_attempt(connection, key, client, now)
        since = now - timedelta(seconds=policy.window_s)
        if _failures(connection, key, client, since, attempt) >= policy.max_failures:
            # Raising rolls this attempt back: a refused attempt does not lengthen the lock.
            LOG.warning("Inloggning spärrad för %s från %s: för många försök.", key, client)
            raise LoginRefused(t("auth.rate_limited", seconds=policy.window_s))
        hashed = user.password_hash if user is not None else _dummy_hash()
        actor = None
        if _verify(hashed, password) and user is not None:
            _succeeded(connection, attempt, user, password)
            actor = _actor(connection, user)
        _forget_old_attempts(connection, now)
    if actor is None:
        LOG.warning("Inloggning misslyckades för %s från %s.", key, client)
        raise LoginRefused(t("auth.wrong_password"))
    LOG.info("%s loggade in från %s.", actor.name, client)
    return actor


def load_actor(engine: Engine, name: str) -> Actor | None:
    """The Actor of the user called ``name``, or None if there is none."""
    with engine.connect() as connection:
        row = _user_row(connection, name)
        return None if row is None else _actor(connection, row)


def actor_for_email(engine: Engine, email: str | None, *, verified: bool | None = None) -> Actor:
    """The Actor whose e-mail an OIDC provider vouched for; refuse "ingen behörighet".

    ``verified`` is the provider's ``email_verified`` claim: False is refused, None
    (a provider that does not send it) is accepted.
    """
    address = (email or "").strip().lower()
    if not address or verified is False:
        raise LoginRefused(t("auth.oidc_no_access", email=address or "?"))
    with engine.connect() as connection:
        row = connection.execute(
            select(schema.users).where(func.lower(schema.users.c.email) == address)
        ).first()
        if row is None:
            raise LoginRefused(t("auth.oidc_no_access", email=address))
        actor = _actor(connection, row)
    LOG.info("%s loggade in via OIDC.", actor.name)
    return actor


def client_key(ip: str | None, headers: Mapping[str, str], fallback: str) -> str:
    """Who a login comes from, for the per-client limit.

    The connection's address when it is remote. A connection from this machine is
    either a browser here or the reverse proxy in front of the app, so then the
    address the proxy forwards (the last ``X-Forwarded-For`` entry, or
    ``X-Real-IP``) is used; without one, ``fallback`` (the browser session).

    Examples
    --------
    >>> client_key(None, {"X-Forwarded-For": "203.0.113.9, 198.51.100.7"}, "s1")
    'ip:198.51.100.7'
    >>> client_key(None, {}, "s1")
    'session:s1'
    """
    if ip:
        return f"ip:{ip}"[:MAX_CLIENT_KEY]
    lowered = {str(key).lower(): str(value) for key, value in headers.items()}
    forwarded = lowered.get("x-forwarded-for", "").split(",")[-1].strip()
    forwarded = forwarded or lowered.get("x-real-ip", "").strip()
    return (f"ip:{forwarded}" if forwarded else f"session:{fallback}")[:MAX_CLIENT_KEY]


# --- Sessions ----------------------------------------------------------------------


@dataclass(frozen=True)
class Session:
    """A dashboard login: who, how, when it began and when it was last used (UTC)."""

    name: str
    started: datetime
    last_seen: datetime
    method: str = BY_PASSWORD

    @classmethod
    def begin(cls, name: str, method: str = BY_PASSWORD, now: datetime | None = None) -> Session:
        now = now or _now()
        return cls(name=name, started=now, last_seen=now, method=method)

    def seen(self, now: datetime | None = None) -> Session:
        return Session(self.name, self.started, now or _now(), self.method)


def resume_session(
    engine: Engine,
    session: Session,
    *,
    policy: settings.LoginPolicy | None = None,
    now: datetime | None = None,
) -> Actor:
    """The session's Actor, read afresh from the store; refuse an ended session.

    Raises
    ------
    LoginRefused
        Idle for ``idle_minutes``, older than ``max_hours``, or the user was removed or
        got a new password after the session began.
    """
    policy = policy or settings.login_policy()
    now = now or _now()
    if now - session.last_seen > timedelta(minutes=policy.idle_minutes):
        raise LoginRefused(t("auth.session_idle", minutes=policy.idle_minutes))
    if now - session.started > timedelta(hours=policy.max_hours):
        raise LoginRefused(t("auth.session_max", hours=policy.max_hours))
    with engine.connect() as connection:
        row = _user_row(connection, session.name)
        if row is None or row.changed_at > session.started:
            raise LoginRefused(t("auth.session_revoked"))
        return _actor(connection, row)


# --- Helpers -----------------------------------------------------------------------


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@functools.cache
def _dummy_hash() -> str:
    return HASHER.hash(secrets.token_urlsafe(24))


def _verify(hashed: str, password: str) -> bool:
    if not password or len(password) > MAX_PASSWORD_LENGTH:
        return False
    try:
        return HASHER.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


def _unknown_name_key(name: str) -> str:
    """How an unknown name is counted: a digest, in case a password was typed there."""
    return "?" + hashlib.sha256((name or "").encode()).hexdigest()[:16]


def _user_row(connection: Connection, name: str):
    return connection.execute(
        select(schema.users).where(schema.users.c.name == (name or "").strip())
    ).first()


def _email_taken(connection: Connection, email: str) -> bool:
    found = select(schema.users.c.id).where(func.lower(schema.users.c.email) == email)
    return connection.execute(found).first() is not None


def _actor(connection: Connection, row) -> Actor:
    codes = connection.execute(
        select(schema.user_kommun.c.kommun_kod).where(schema.user_kommun.c.user_id == row.id)
    ).scalars()
    return Actor(name=row.name, kommuner=frozenset(codes), admin=bool(row.admin))


def _kommuner_by_user(connection: Connection) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    table = schema.user_kommun
    for user_id, code in connection.execute(
        select(table.c.user_id, table.c.kommun_kod).order_by(table.c.kommun_kod)
    ):
        found.setdefault(user_id, []).append(code)
    return found


def _record_attempt(connection: Connection, key: str, client: str, now: datetime) -> int:
    return connection.execute(
        schema.login_attempt.insert().values(
            user_name=key, client=client, attempted_at=now, success=False
        )
    ).inserted_primary_key[0]


def _failures(connection: Connection, key: str, client: str, since: datetime, attempt: int):
    """The larger of the name's and the client's failed attempts since ``since``."""
    table = schema.login_attempt
    failed = (
        select(table.c.user_name, table.c.client)
        .where(table.c.attempted_at >= since, table.c.id != attempt)
        .where(table.c.success.is_(False))
        .where(or_(table.c.user_name == key, table.c.client == client))
    )
    rows = connection.execute(failed).all()
    by_name = sum(1 for row in rows if row.user_name == key)
    by_client = sum(1 for row in rows if row.client == client)
    return max(by_name, by_client)


def _succeeded(connection: Connection, attempt: int, user, password: str) -> None:
    """Mark the attempt good, and rehash the password if argon2's parameters changed."""
    table = schema.login_attempt
    connection.execute(table.update().where(table.c.id == attempt).values(success=True))
    if HASHER.check_needs_rehash(user.password_hash):
        connection.execute(
            schema.users.update()
            .where(schema.users.c.id == user.id)
            .values(password_hash=HASHER.hash(password))
        )
        LOG.info("Lösenordet för %s hashades om med nya argon2-parametrar.", user.name)


def _forget_old_attempts(connection: Connection, now: datetime) -> None:
    table = schema.login_attempt
    connection.execute(delete(table).where(table.c.attempted_at < now - ATTEMPTS_KEPT))


@contextmanager
def _storing(name: str | None = None) -> Iterator[None]:
    """Turn a store error into a Swedish sentence without its SQL parameters (a hash).

    With ``name``, a broken unique constraint means that user (or e-mail) exists.
    """
    try:
        yield
    except IntegrityError:
        if name is None:
            raise TryggError(t("auth.store_failed", reason="IntegrityError")) from None
        raise TryggError(t("auth.user_exists", name=name)) from None
    except SQLAlchemyError as err:
        raise TryggError(t("auth.store_failed", reason=type(err).__name__)) from None
