"""Trygghetskartan's Streamlit entry point: page setup, offline assets and navigation.

Run from the repo root: ``streamlit run dashboard/app.py`` (``make run``). The pages
live in ``views/``, not ``pages/``: Streamlit runs an app with a ``pages/`` folder in
its old multipage mode until ``st.navigation`` is first called, so a first visit to
a deep link such as ``/importera`` would skip this file.
"""

from __future__ import annotations

import streamlit as st

import state
from trygg.strings import t

st.set_page_config(page_title=t("app.title"), page_icon="🗺️", layout="wide")
state.static_assets()
navigation = st.navigation(
    [
        st.Page("views/karta.py", title=t("page.karta"), icon=":material/map:", default=True),
        st.Page(
            "views/importera.py",
            title=t("page.importera"),
            icon=":material/upload_file:",
            url_path="importera",
        ),
    ]
)
navigation.run()
