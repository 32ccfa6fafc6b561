"""The page's language: ``?lang=en`` or the sidebar switch, Swedish by default.

:func:`choose` runs first in every run, before any text is looked up, and makes the
language the one :func:`trygg.strings.t` uses for the rest of the run. Swedish, the
default, leaves the parameter out of the address; any other language is kept in it so
that a link opens in the language it was copied in.
"""

from __future__ import annotations

import streamlit as st

from trygg.strings import DEFAULT_LANG, LANGUAGES, t, use_language

KEY = "lang_select"
#: Each language named in itself, so the switch reads the same in either language.
NAMES = {"sv": "Svenska", "en": "English"}


def choose() -> str:
    """The run's language, from the address, else the switch, else Swedish."""
    wanted = st.query_params.get("lang")
    lang = wanted if wanted in LANGUAGES else st.session_state.get(KEY, DEFAULT_LANG)
    lang = use_language(lang)
    st.session_state[KEY] = lang
    _write(lang)
    return lang


def switch() -> None:
    """The sidebar's language switch (``Språk / Language``)."""
    st.sidebar.radio(
        t("dash.language"),
        LANGUAGES,
        key=KEY,
        format_func=NAMES.get,
        horizontal=True,
        on_change=lambda: _write(st.session_state[KEY]),
    )


def _write(lang: str) -> None:
    if lang == DEFAULT_LANG:
        st.query_params.pop("lang", None)
    elif st.query_params.get("lang") != lang:
        st.query_params["lang"] = lang
