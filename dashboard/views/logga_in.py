"""Logga in: a coordinator logs in with a user name and password, or with OIDC.

The password is checked by :func:`trygg.auth.authenticate` (argon2, rate-limited per
user name and per client); the session keeps only who logged in and when. With an
``[auth]`` section in ``.streamlit/secrets.toml`` the organisation's login
(``st.login``) is offered too, mapped to the users table by e-mail.
"""

from __future__ import annotations

import streamlit as st

import session
from markup import md, message
from panels import sidebar
from trygg import auth, settings
from trygg.auth import Actor
from trygg.strings import t

NAME_MAX_CHARS = 64


def main() -> None:
    actor = sidebar.current().actor
    st.title(t("login.title"))
    if actor is not None:
        logged_in(actor)
        return
    st.caption(t("login.help"))
    if session.oidc_configured():
        st.button(t("login.oidc"), key="oidc_login", type="primary", on_click=st.login)
        st.caption(t("login.or_password"))
    login_form()
    policy = settings.login_policy()
    st.caption(message("login.session_rules", minutes=policy.idle_minutes, hours=policy.max_hours))


def logged_in(actor: Actor) -> None:
    """Who is logged in, for which kommuner; the way on to the import page, or out."""
    st.success(message("login.logged_in_as", name=actor.name, scope=scope(actor)))
    st.page_link("views/importera.py", label=t("login.to_import"), icon=":material/upload_file:")
    st.button(t("login.logout"), key="logout_page", on_click=session.log_out)


def scope(actor: Actor) -> str:
    if actor.admin:
        return t("login.scope_admin")
    return t("login.scope_kommuner", kommuner=", ".join(sorted(actor.kommuner)))


def login_form() -> None:
    """User name and password; the password field is emptied after every try."""
    with st.form("login_form", clear_on_submit=True):
        name = st.text_input(
            t("login.name"), key="login_name", max_chars=NAME_MAX_CHARS, autocomplete="username"
        )
        password = st.text_input(
            t("login.password"),
            key="login_password",
            type="password",
            max_chars=auth.MAX_PASSWORD_LENGTH,
            autocomplete="current-password",
        )
        submitted = st.form_submit_button(t("login.submit"), type="primary")
    if not submitted:
        return
    if not name.strip() or not password:
        st.warning(t("login.missing"))
        return
    refusal = session.log_in(name, password)
    if refusal:
        st.error(md(refusal))
        return
    st.rerun()


main()
