"""This browser session's coordinator: login, logout, and the writes made as them.

The login is a :class:`trygg.auth.Session` in ``st.session_state`` (server side). Every
run reads the coordinator afresh from the store through :func:`current_actor`, which
ends an idle, too old or revoked session; the writes here pass that Actor (or None) to
the core, which refuses what it does not allow. A write raises the kommun's data
version, so the map shows it on its next run (see ``data.py``).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping

import streamlit as st

import data
from trygg import auth
from trygg.auth import Actor, LoginRefused
from trygg.errors import TryggError
from trygg.importers import survey_answers
from trygg.store import batches
from trygg.strings import t

LOGIN_KEY = "trygg_login"
NOTICE_KEY = "trygg_login_notice"
CLIENT_KEY = "trygg_client"
OIDC_REFUSED_KEY = "trygg_oidc_refused"


def _engine():
    return data.engine(data.db_setting())


def current_actor() -> Actor | None:
    """This session's coordinator, read from the store; None when nobody is logged in.

    An ended session (idle, too old, user removed or given a new password) is dropped,
    with a notice saying why. With OIDC configured, a provider login is mapped to a
    user by e-mail the first time.
    """
    session = st.session_state.get(LOGIN_KEY)
    if session is None:
        return _oidc_actor()
    try:
        actor = auth.resume_session(_engine(), session)
    except LoginRefused as err:
        log_out(notice=str(err))
        return None
    st.session_state[LOGIN_KEY] = session.seen()
    return actor


def may_change(kommun: str | None) -> bool:
    """Whether this session's coordinator may change ``kommun``'s data."""
    actor = current_actor()
    return actor is not None and kommun is not None and actor.may_change(kommun)


def log_in(name: str, password: str) -> str | None:
    """Check a name and password against the store; None on success, else the refusal."""
    try:
        actor = auth.authenticate(_engine(), name, password, client_key())
    except LoginRefused as err:
        return str(err)
    st.session_state[LOGIN_KEY] = auth.Session.begin(actor.name)
    st.session_state.pop(NOTICE_KEY, None)
    return None


def log_out(notice: str | None = None) -> None:
    """End this session's login (and the provider's, for an OIDC login)."""
    session = st.session_state.pop(LOGIN_KEY, None)
    st.session_state[NOTICE_KEY] = notice or t("login.logged_out")
    if (session is not None and session.method == auth.BY_OIDC) or _oidc_logged_in():
        st.session_state.pop(OIDC_REFUSED_KEY, None)
        st.logout()


def take_notice() -> str | None:
    """The last login notice (logged out, session ended, no access), once."""
    return st.session_state.pop(NOTICE_KEY, None)


def client_key() -> str:
    """Who this browser is, for the per-client login limit (see :func:`auth.client_key`)."""
    fallback = st.session_state.setdefault(CLIENT_KEY, secrets.token_hex(8))
    ip, headers = st.context.ip_address, st.context.headers
    return auth.client_key(
        ip if isinstance(ip, str) else None,
        headers if isinstance(headers, Mapping) else {},
        fallback,
    )


def oidc_configured() -> bool:
    """Whether ``.streamlit/secrets.toml`` has an ``[auth]`` section for ``st.login``."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:  # no secrets file at all
        return False


def _oidc_logged_in() -> bool:
    return oidc_configured() and bool(st.user.get("is_logged_in"))


def _oidc_actor() -> Actor | None:
    """Map a provider login to a user by e-mail, once per session."""
    if not _oidc_logged_in() or st.session_state.get(OIDC_REFUSED_KEY):
        return None
    try:
        actor = auth.actor_for_email(
            _engine(), st.user.get("email"), verified=st.user.get("email_verified")
        )
    except LoginRefused as err:
        st.session_state[OIDC_REFUSED_KEY] = True
        st.session_state[NOTICE_KEY] = str(err)
        return None
    st.session_state[LOGIN_KEY] = auth.Session.begin(actor.name, auth.BY_OIDC)
    return actor


# --- Writes, as this session's coordinator ------------------------------------------------


def import_survey(upload: dict, allow_duplicates: bool = False) -> dict:
    """Import one uploaded survey file; a refusal becomes a message, never a traceback.

    Parameters
    ----------
    upload : dict
        ``kommun``, ``file`` (its name), ``data`` (its bytes), ``year`` and ``source``.
    allow_duplicates : bool
        Store answers that look like ones already imported (the coordinator said so).

    Returns
    -------
    dict
        ``kommun`` and ``file``, and one of ``summary`` (the importer's counts and row
        errors), ``refused`` (why nothing was stored) or ``duplicates`` (the warning
        about respondents already stored: nothing was stored, the page asks first).
    """
    outcome = {"kommun": upload["kommun"], "file": upload["file"]}
    try:
        summary = survey_answers.import_survey(
            _engine(),
            upload["file"],
            upload["kommun"],
            year=upload["year"],
            source=upload["source"],
            data=upload["data"],
            actor=current_actor(),
            allow_duplicates=allow_duplicates,
        )
    except survey_answers.DuplicateRespondents as err:
        return outcome | {"duplicates": str(err)}
    except TryggError as err:
        return outcome | {"refused": str(err)}
    except Exception as err:  # the page must not show a traceback
        return outcome | {"refused": t("err.unexpected", kind=type(err).__name__, reason=err)}
    return outcome | {"summary": summary}


def set_batch_status(batch_id: int, status: str) -> tuple[str, str]:
    """Roll back or restore a batch as this session's coordinator; the core decides.

    Returns
    -------
    tuple
        ``("success" | "error", message)`` for the page to show.
    """
    try:
        batches.set_status(_engine(), batch_id, status, actor=current_actor())
    except TryggError as err:
        return "error", str(err)
    except Exception as err:  # a button's callback runs outside app.py's guard
        return "error", t("err.unexpected", kind=type(err).__name__, reason=err)
    key = "upload.rolled_back" if status == batches.ROLLED_BACK else "upload.restored"
    return "success", t(key, id=batch_id)


def roll_back(batch_id: int) -> tuple[str, str]:
    """Take a batch out of the figures (its data is kept); see :func:`set_batch_status`."""
    return set_batch_status(batch_id, batches.ROLLED_BACK)


def restore(batch_id: int) -> tuple[str, str]:
    """Put a rolled-back batch back into the figures; see :func:`set_batch_status`."""
    return set_batch_status(batch_id, batches.ACTIVE)
