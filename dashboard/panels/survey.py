"""The survey panel: the chosen place's (or the kommun's) share of otrygga, its
interval and trend, the problem and worry items, and the results delivered as they are."""

from __future__ import annotations

import streamlit as st

import data
from markup import md, message, table
from trygg import formatting, maps
from trygg.pages.place import result_label
from trygg.strings import t

CORE = "andel_otrygga"


def panel(figures: dict | None, plats: str | None, kommun_namn: str) -> None:
    """The survey figures of the place called ``plats`` (None: the kommun's totals)."""
    if figures is None:
        st.info(message("dash.no_survey", kommun=kommun_namn))
        return
    if not figures["kommun_total"]:
        st.info(message("dash.no_survey_year", kommun=kommun_namn, year=figures["year"]))
        return
    entry = data.place_entry(figures, plats)
    found = data.survey_of(figures, entry)
    if entry is None:
        heading = t("dash.survey_heading_kommun", year=figures["year"], kommun=kommun_namn)
    else:
        heading = t("dash.survey_heading_place", year=figures["year"], place=entry["place"])
    st.header(md(heading))
    core_figure(found[CORE], figures["min_n"])
    if entry is not None:
        trend_line(entry["survey"], figures)
    items = {indicator: figure for indicator, figure in found.items() if indicator != CORE}
    for scale, rows in formatting.item_tables(items, maps.item_label).items():
        st.subheader(t(f"dash.items_{scale}"))
        st.caption(md(maps.indicator_about(scale + "_")))
        st.table(table(rows), hide_index=True)
    if entry is None:
        delivered(figures["kommun_results"], None)
    else:
        delivered(entry["results"], entry["place"])
    if figures["synthetic"]:
        st.caption(t("dash.synthetic_survey"))


def core_figure(figure: dict, min_n: int) -> None:
    texts = formatting.describe(figure)
    st.metric(md(maps.indicator_label(CORE)), md(texts["value"]))
    st.markdown(md(formatting.dotted(texts["n"], texts["interval"])))
    if figure.get("secondary_suppression"):
        st.caption(t("dash.total_secondary"))
    elif figure["suppressed"]:
        st.caption(message("dash.too_few", min_n=min_n))


def trend_line(survey: dict, figures: dict) -> None:
    """The change since the last survey year, or why there is none."""
    if "trend" in survey:
        st.markdown(md(formatting.trend(survey["trend"])))
    else:
        st.caption(md(formatting.no_trend(figures["years"], figures["year"])))


def delivered(results: list[dict], place: str | None) -> None:
    """Area-level figures as delivered (Police index, NTU), each under its source."""
    if not results:
        return
    st.subheader(t("dash.delivered_heading"))
    for result in results:
        line = t(
            "dash.delivered_line",
            indicator=result_label(result["indicator"]),
            value=formatting.delivered(result),
        )
        st.markdown(f"**{md(line)}**")
        st.caption(md(formatting.delivered_details(result, place)))
