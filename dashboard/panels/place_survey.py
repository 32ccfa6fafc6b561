"""The Plats page's survey figures: the headline sentence, the comparison with the rest
of the kommun, the trend over every year, the items and the delivered results."""

from __future__ import annotations

import streamlit as st

from markup import md, message, table
from panels import sidebar
from trygg.pages import place as place_page
from trygg.strings import t


def headline(figures: dict, plats: str) -> None:
    """The year's core share as a sentence with interval and n, and vs the rest."""
    st.header(md(t("plats.survey_heading", year=figures["year"])))
    survey = place_page.place_survey(figures, plats)
    if survey is None or not figures["kommun_total"]:
        st.info(t("plats.headline_no_answers"))
        references(figures)
        return
    figure = place_page.figure_of(survey, place_page.CORE)
    st.markdown(f"### {md(place_page.headline(figure, figures['min_n']))}")
    if not figure["suppressed"] and figure["n"]:
        st.caption(t("plats.interval_note"))
    sentence = place_page.vs_rest_sentence(survey.get("vs_rest"))
    if sentence:
        st.markdown(f"**{md(sentence)}**")
    references(figures)


def references(figures: dict, indicators: list[str] | None = None) -> None:
    """The kommun's delivered figures beside its län's and the country's (NTU)."""
    kommun = sidebar.current().kommun_namn
    for sentence in place_page.reference_sentences(figures, kommun, indicators):
        st.markdown(md(sentence))


def trend(by_year: dict, plats: str) -> None:
    """The core share in every survey year with its interval band."""
    st.subheader(t("plats.trend_heading"))
    points = place_page.trend_points(by_year, plats)
    if points["points"]:
        st.vega_lite_chart(
            spec=place_page.trend_spec(points),
            width="stretch",
            theme=None,
            alt=t("plats.trend_alt", place=plats),
        )
    else:
        st.info(t("plats.trend_none"))
    note = place_page.trend_note(points)
    if note:
        st.caption(md(note))


def items(figures: dict, plats: str) -> None:
    """The problem and worry items, each against the rest of the kommun."""
    survey = place_page.place_survey(figures, plats)
    if survey is None:
        return
    for scale, rows in place_page.item_rows(survey).items():
        st.subheader(t(f"dash.items_{scale}"))
        st.table(table(rows), hide_index=True)


def delivered(by_year: dict, plats: str) -> None:
    """Area-level results (Police index 0–6, NTU) for the years that have them."""
    rows = place_page.delivered_rows(by_year, plats)
    if rows:
        st.subheader(t("dash.delivered_heading"))
        st.table(table(rows), hide_index=True)


def synthetic_note(figures: dict) -> None:
    if figures.get("synthetic"):
        st.caption(message("dash.synthetic_survey"))
