"""Trygghetskartan's Streamlit entry point: page setup, offline assets and navigation.

Run from the repo root: ``streamlit run dashboard/app.py`` (``make run``).
"""

from __future__ import annotations

import streamlit as st

import state
from trygg.strings import t

st.set_page_config(page_title=t("app.title"), page_icon="🗺️", layout="wide")
state.static_assets()
navigation = st.navigation(
    [st.Page("pages/karta.py", title=t("page.karta"), icon="🗺️", default=True)]
)
navigation.run()
