"""Trygghetskartan's Streamlit entry point: page setup, offline assets, login and navigation.

Run from the repo root: ``streamlit run dashboard/app.py`` (``make run``). The pages
live in ``views/``, not ``pages/``: Streamlit runs an app with a ``pages/`` folder in
its old multipage mode until ``st.navigation`` is first called, so a first visit to
a deep link such as ``/importera`` would skip this file.

The map is public. The import page is in the menu only for a logged-in coordinator
(without a login it only asks the visitor to log in), and the core refuses every write
that the session's coordinator may not make, whatever the page shows.
"""

from __future__ import annotations

import logging

import streamlit as st

import state
from markup import md, message
from trygg.auth import Actor
from trygg.strings import t

LOG = logging.getLogger("trygg.dashboard")
st.set_page_config(page_title=t("app.title"), page_icon="🗺️", layout="wide")
state.static_assets()


def login_sidebar(actor: Actor | None) -> None:
    """Who is logged in, the log-out button, and a notice such as "session ended"."""
    notice = state.take_notice()
    if notice:
        st.sidebar.info(md(notice))
    if actor is None:
        return
    st.sidebar.caption(message("login.sidebar", name=actor.name))
    st.sidebar.button(t("login.logout"), key="logout", on_click=state.log_out)


actor = state.current_actor()
login_sidebar(actor)
pages = [
    st.Page("views/karta.py", title=t("page.karta"), icon=":material/map:", default=True),
    # Hidden from the menu without a login; a deep link then asks the visitor to log in.
    st.Page(
        "views/importera.py",
        title=t("page.importera"),
        icon=":material/upload_file:",
        url_path="importera",
        visibility="visible" if actor is not None else "hidden",
    ),
    st.Page(
        "views/logga_in.py",
        title=t("page.login" if actor is None else "page.account"),
        icon=":material/login:" if actor is None else ":material/account_circle:",
        url_path="logga-in",
    ),
]
try:
    st.navigation(pages).run()
except Exception:  # a page never shows a traceback; the server log keeps it
    LOG.exception("a page failed")
    st.error(t("err.page_failed"))
