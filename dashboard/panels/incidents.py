"""The incident panel: the chosen place's (or the kommun's) incidents this year and the
year before, by category, by month, and by hour and weekday."""

from __future__ import annotations

import streamlit as st

import data
from markup import md, message, table
from panels.place_incidents import heat_table
from panels.sidebar import Shared
from trygg import formatting
from trygg.strings import t


def panel(shared: Shared, figures: dict | None, plats: str | None) -> None:
    """The incidents of the place called ``plats`` (None: the kommun's)."""
    if figures is None or "kommun_incidents" not in figures:
        return
    year = figures["year"]
    entry = data.place_entry(figures, plats)
    if entry is None:
        heading = t("dash.incidents_heading_kommun", year=year, kommun=shared.kommun_namn)
    else:
        heading = t("dash.incidents_heading_place", year=year, place=entry["place"])
    st.header(md(heading))
    if not data.incident_years(shared.db, shared.kommun):
        st.info(message("dash.no_incidents", kommun=shared.kommun_namn))
        return
    before = data.comparison(shared.db, shared.kommun, figures, shared.public)
    totals(figures, entry, before)
    categories(figures, entry, before)
    place = None if entry is None else entry["place"]
    profile = data.time_profile(shared.db, shared.kommun, year, place, shared.public)
    by_month(profile, year)
    hour_weekday(profile, figures["k"])
    if shared.public:
        st.caption(message("dash.fewer_public", k=figures["k"]))
    if data.incidents_synthetic(shared.db, shared.kommun):
        st.caption(t("dash.synthetic_incidents"))


def totals(figures: dict, entry: dict | None, before: data.Comparison) -> None:
    texts = formatting.describe_incidents(data.incidents_of(figures, entry), figures["k"])
    st.metric(t("dash.incidents_total"), md(texts["total"]))
    if entry is not None:
        st.markdown(md(formatting.dotted(texts["per_1000"], texts["per_km2"])))
    if before.figures is None:
        st.caption(message("dash.incidents_no_previous", period=before.label))
    else:
        st.markdown(md(t("dash.incidents_previous", period=before.label, value=texts["previous"])))


def categories(figures: dict, entry: dict | None, before: data.Comparison) -> None:
    """This period and the previous one by category, with the total last."""
    blocks = {str(figures["year"]): data.incidents_of(figures, entry)}
    if before.figures is not None:
        blocks[before.label] = data.incidents_of(before.figures, entry)
    st.subheader(t("dash.by_category"))
    st.table(table(formatting.category_rows(blocks, figures["k"])), hide_index=True)


def by_month(profile: dict, year: int) -> None:
    """A small bar chart over the year's twelve months; hidden months show no bar."""
    st.subheader(t("dash.by_month"))
    st.bar_chart(
        formatting.month_rows(profile, year),
        x=t("dash.col_month"),
        y=t("dash.col_count"),
        x_label=t("dash.col_month"),
        y_label=t("dash.col_count"),
        height=220,
    )


def hour_weekday(profile: dict, k: int) -> None:
    """The hour × weekday heat table, Monday first; suppressed cells are grey "<3"."""
    st.subheader(t("dash.hour_weekday"))
    st.caption(t("dash.hour_weekday_help"))
    st.html(heat_table(profile, k))
