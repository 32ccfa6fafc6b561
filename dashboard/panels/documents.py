"""The coordinator's documents: the lägesbild as an editable Word file, for a chosen year.

Built only when the button is clicked (the button's data is a callable), from the
public figures the core publishes; the page lays out the choice and the button.
"""

from __future__ import annotations

import streamlit as st

import data
from panels.sidebar import Shared
from trygg.strings import current_language, t, use_language
from trygg.text import fold_accents


def lagesbild_download(shared: Shared) -> None:
    """The year of the lägesbild and its download (``trygg lagesbild`` on the server)."""
    survey_years = data.figures(shared.db, shared.kommun, None, True)["years"]
    years = sorted(set(survey_years) | set(data.incident_years(shared.db, shared.kommun)))
    if not years:
        return
    st.header(t("lagesbild.section"))
    st.caption(t("lagesbild.section_help"))
    year = st.selectbox(t("lagesbild.year"), list(reversed(years)), key="lagesbild_year")
    engine, kommun, lang = data.engine(shared.db), shared.kommun, current_language()

    def docx() -> bytes:
        from trygg.documents.lagesbild import build_lagesbild

        use_language(lang)
        return build_lagesbild(engine, kommun, int(year))

    name = "-".join(fold_accents(shared.kommun_namn).split())
    st.download_button(
        t("lagesbild.download"),
        data=docx,
        file_name=f"lagesbild_{name}_{year}.docx",
        mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        icon=":material/description:",
        key="lagesbild_download",
        on_click="ignore",
    )
