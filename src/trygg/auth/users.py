"""Coordinators and their passwords: add, change, remove, list.

Passwords are stored only as argon2 hashes (argon2-cffi) and never put in a log line or
a message."""

from __future__ import annotations

import functools
import logging
import re
import secrets
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, Engine, delete, func, select
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
    now = utc_now()
    with storing(name), store.write_transaction(engine) as connection:
        if user_row(connection, name) is not None:
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
    LOG.info(t("log.user_added", name=name, kommuner=codes, admin=admin))
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
        if user_row(connection, name) is not None:
            raise TryggError(t("auth.user_exists", name=name))
        if email and _email_taken(connection, email):
            raise TryggError(t("auth.email_taken", email=email))
    return name, codes, email


def set_password(engine: Engine, name: str, password: str) -> None:
    """Replace a user's password; their sessions begun before now end."""
    hashed = hash_password(password)
    with storing(name), store.write_transaction(engine) as connection:
        found = connection.execute(
            schema.users.update()
            .where(schema.users.c.name == name)
            .values(password_hash=hashed, changed_at=utc_now())
        ).rowcount
    if not found:
        raise TryggError(t("auth.user_unknown", name=name))
    LOG.info(t("log.password_changed", name=name))


def remove_user(engine: Engine, name: str) -> None:
    """Delete a user and their kommuner; their sessions end at the next page view."""
    with storing(name), store.write_transaction(engine) as connection:
        row = user_row(connection, name)
        if row is None:
            raise TryggError(t("auth.user_unknown", name=name))
        connection.execute(delete(schema.user_kommun).where(schema.user_kommun.c.user_id == row.id))
        connection.execute(delete(schema.users).where(schema.users.c.id == row.id))
    LOG.info(t("log.user_removed", name=name))


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


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@functools.cache
def dummy_hash() -> str:
    return HASHER.hash(secrets.token_urlsafe(24))


def verify(hashed: str, password: str) -> bool:
    if not password or len(password) > MAX_PASSWORD_LENGTH:
        return False
    try:
        return HASHER.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


def user_row(connection: Connection, name: str):
    return connection.execute(
        select(schema.users).where(schema.users.c.name == (name or "").strip())
    ).first()


def _email_taken(connection: Connection, email: str) -> bool:
    found = select(schema.users.c.id).where(func.lower(schema.users.c.email) == email)
    return connection.execute(found).first() is not None


def _kommuner_by_user(connection: Connection) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    table = schema.user_kommun
    for user_id, code in connection.execute(
        select(table.c.user_id, table.c.kommun_kod).order_by(table.c.kommun_kod)
    ):
        found.setdefault(user_id, []).append(code)
    return found


@contextmanager
def storing(name: str | None = None) -> Iterator[None]:
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
