"""Jamfor: placeholder until the page is built (issue 10)."""

from __future__ import annotations

import streamlit as st

from trygg.strings import t

st.title(t("page.jamfor"))
