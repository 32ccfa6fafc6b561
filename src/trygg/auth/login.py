"""Logging in and sessions.

A login is refused, without looking at the password, once a user name or a client has
had ``LoginPolicy.max_failures`` failed attempts within ``LoginPolicy.window_s``; the
attempts are rows in the store, so the limit holds across processes. A session ends
after ``idle_minutes`` without a page view or ``max_hours`` in all."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine, delete, func, or_, select

from trygg import settings, store
from trygg.auth.actors import Actor, LoginRefused
from trygg.auth.users import HASHER, dummy_hash, storing, user_row, utc_now, verify
from trygg.store import schema
from trygg.strings import t

LOG = logging.getLogger(__name__)

#: Client keys come from request headers; a longer one is cut.
MAX_CLIENT_KEY = 200

#: Login attempts older than this are deleted (the window is far shorter).
ATTEMPTS_KEPT = timedelta(days=1)

#: How a session was begun: the login form, or the organisation's OIDC provider.
BY_PASSWORD = "password"

BY_OIDC = "oidc"


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
    now = now or utc_now()
    client = client[:MAX_CLIENT_KEY]
    with storing(), store.write_transaction(engine) as connection:
        user = user_row(connection, name)
        key = user.name if user is not None else _unknown_name_key(name)
        attempt = _record_attempt(connection, key, client, now)
        since = now - timedelta(seconds=policy.window_s)
        if _failures(connection, key, client, since, attempt) >= policy.max_failures:
            # Raising rolls this attempt back: a refused attempt does not lengthen the lock.
            LOG.warning(t("log.login_blocked", name=key, client=client))
            raise LoginRefused(t("auth.rate_limited", seconds=policy.window_s))
        hashed = user.password_hash if user is not None else dummy_hash()
        actor = None
        if verify(hashed, password) and user is not None:
            _succeeded(connection, attempt, user, password)
            actor = _actor(connection, user)
        _forget_old_attempts(connection, now)
    if actor is None:
        LOG.warning(t("log.login_failed", name=key, client=client))
        raise LoginRefused(t("auth.wrong_password"))
    LOG.info(t("log.logged_in", name=actor.name, client=client))
    return actor


def load_actor(engine: Engine, name: str) -> Actor | None:
    """The Actor of the user called ``name``, or None if there is none."""
    with engine.connect() as connection:
        row = user_row(connection, name)
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
    LOG.info(t("log.logged_in_oidc", name=actor.name))
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


@dataclass(frozen=True)
class Session:
    """A dashboard login: who, how, when it began and when it was last used (UTC)."""

    name: str
    started: datetime
    last_seen: datetime
    method: str = BY_PASSWORD

    @classmethod
    def begin(cls, name: str, method: str = BY_PASSWORD, now: datetime | None = None) -> Session:
        now = now or utc_now()
        return cls(name=name, started=now, last_seen=now, method=method)

    def seen(self, now: datetime | None = None) -> Session:
        return Session(self.name, self.started, now or utc_now(), self.method)


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
    now = now or utc_now()
    if now - session.last_seen > timedelta(minutes=policy.idle_minutes):
        raise LoginRefused(t("auth.session_idle", minutes=policy.idle_minutes))
    if now - session.started > timedelta(hours=policy.max_hours):
        raise LoginRefused(t("auth.session_max", hours=policy.max_hours))
    with engine.connect() as connection:
        row = user_row(connection, session.name)
        if row is None or row.changed_at > session.started:
            raise LoginRefused(t("auth.session_revoked"))
        return _actor(connection, row)


def _unknown_name_key(name: str) -> str:
    """How an unknown name is counted: a digest, in case a password was typed there."""
    return "?" + hashlib.sha256((name or "").encode()).hexdigest()[:16]


def _actor(connection: Connection, row) -> Actor:
    codes = connection.execute(
        select(schema.user_kommun.c.kommun_kod).where(schema.user_kommun.c.user_id == row.id)
    ).scalars()
    return Actor(name=row.name, kommuner=frozenset(codes), admin=bool(row.admin))


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
        LOG.info(t("log.rehashed", name=user.name))


def _forget_old_attempts(connection: Connection, now: datetime) -> None:
    table = schema.login_attempt
    connection.execute(delete(table).where(table.c.attempted_at < now - ATTEMPTS_KEPT))
