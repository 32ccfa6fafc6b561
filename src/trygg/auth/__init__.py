"""Who may change data: coordinators, their passwords, logins and sessions.

Every function that changes data takes a required keyword ``actor`` and calls
:func:`require_write` before it writes. The dashboard passes the logged-in
coordinator (or None, which is refused); the command line, which only someone with
the database file in hand can run, passes :func:`local_admin`.

- :mod:`~trygg.auth.actors`: :class:`Actor`, :func:`local_admin`, :func:`require_write`;
- :mod:`~trygg.auth.users`: add, change, remove and list coordinators (argon2 hashes);
- :mod:`~trygg.auth.login`: logging in (rate-limited), OIDC by e-mail, sessions.
"""

from trygg.auth.actors import Actor, LoginRefused, local_admin, require_write
from trygg.auth.login import (
    BY_OIDC,
    BY_PASSWORD,
    Session,
    actor_for_email,
    authenticate,
    client_key,
    load_actor,
    resume_session,
)
from trygg.auth.users import (
    MAX_PASSWORD_LENGTH,
    RESERVED_NAMES,
    add_user,
    check_new_user,
    check_password,
    hash_password,
    list_users,
    remove_user,
    set_password,
)

__all__ = [
    "BY_OIDC",
    "BY_PASSWORD",
    "MAX_PASSWORD_LENGTH",
    "RESERVED_NAMES",
    "Actor",
    "LoginRefused",
    "Session",
    "actor_for_email",
    "add_user",
    "authenticate",
    "check_new_user",
    "check_password",
    "client_key",
    "hash_password",
    "list_users",
    "load_actor",
    "local_admin",
    "remove_user",
    "require_write",
    "resume_session",
    "set_password",
]
