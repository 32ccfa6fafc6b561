"""Trygghetskartan's Streamlit entry point: page setup, offline assets, the shared sidebar,
navigation.

Run from the repo root: ``streamlit run dashboard/app.py`` (``make run``). The rooms:

- ``views/``: one file per page, each a short list of panels. Not ``pages/``:
  Streamlit runs an app with a ``pages/`` folder in its old multipage mode until
  ``st.navigation`` is first called, so a first visit to a deep link such as
  ``/importera`` would skip this file;
- ``panels/``: the parts of a page (map, survey, incidents, commitments, layers,
  upload, batches) and the sidebar every page shares, drawn here once per run;
- ``data.py``: every cached read, keyed on the data version; ``session.py``: the login
  and the writes made as the coordinator; ``url_state.py``: choices in the address;
  ``markup.py``: data as text that Streamlit shows as typed.

The map is public. The import page is in the menu only for a logged-in coordinator
(without a login it only asks the visitor to log in), and the core refuses every write
that the session's coordinator may not make, whatever the page shows.
"""

from __future__ import annotations

import logging
from pathlib import Path

import streamlit as st

import data
import session
from markup import md, page_style
from panels import language, sidebar
from trygg.auth import Actor
from trygg.maps import offline
from trygg.strings import t

LOG = logging.getLogger("trygg.dashboard")
STATIC_DIR = Path(__file__).parent / "static"


def pages(actor: Actor | None) -> list:
    return [
        st.Page("views/karta.py", title=t("page.karta"), icon=":material/map:", default=True),
        st.Page("views/plats.py", title=t("page.plats"), icon=":material/place:", url_path="plats"),
        st.Page(
            "views/jamfor.py",
            title=t("page.jamfor"),
            icon=":material/leaderboard:",
            url_path="jamfor",
        ),
        st.Page(
            "views/loften.py",
            title=t("page.loften"),
            icon=":material/handshake:",
            url_path="loften",
        ),
        st.Page(
            "views/presentation.py",
            title=t("page.presentation"),
            url_path="presentation",
            icon=":material/slideshow:",
        ),
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


def require_database() -> str:
    """The database setting; without a usable database the page says why and stops."""
    db = data.db_setting()
    problem = data.db_problem(db)
    if problem:
        st.title(t("app.title"))
        st.warning(md(problem))
        st.stop()
    return db


language.choose()
st.set_page_config(page_title=t("app.title"), page_icon="🗺️", layout="wide")
st.html(page_style())
offline.ensure_assets(STATIC_DIR)
try:  # a page never shows a traceback; the server log keeps it
    db = require_database()
    actor = session.current_actor()
    navigation = st.navigation(pages(actor))
    sidebar.draw(db, actor)
    navigation.run()
except Exception:
    LOG.exception("a page failed")
    st.error(t("err.page_failed"))
