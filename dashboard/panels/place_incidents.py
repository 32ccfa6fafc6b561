"""The Plats page's incidents: by category with the period before and the change, by
month, and by hour and weekday in a table with large type and the numbers in it."""

from __future__ import annotations

import html

import streamlit as st

import data
from markup import md, message, table
from panels.sidebar import Shared
from trygg import formatting
from trygg.pages import place as place_page
from trygg.strings import t

#: At least 16 px type, for a projector; the table scrolls sideways on a narrow screen.
HEAT_STYLE = """
<style>
  .trygg-heat-wrap { overflow-x: auto; }
  table.trygg-heat-place { border-collapse: collapse; font: 16px/1.2 system-ui, sans-serif;
    color: #10253a; }
  table.trygg-heat-place th { font-weight: 600; font-size: 16px; padding: 2px 3px;
    color: #10253a; }
  table.trygg-heat-place th.day { text-align: left; padding-right: 8px; }
  table.trygg-heat-place td { min-width: 30px; height: 32px; text-align: center;
    padding: 0 2px; border: 1px solid #c8ccd0; font-size: 16px; }
</style>
"""


def panel(shared: Shared, figures: dict, plats: str) -> None:
    """The place's incidents of the figures' year, or why there are none."""
    if "kommun_incidents" not in figures:
        return
    year = figures["year"]
    st.header(md(t("plats.incidents_heading", year=year)))
    if not data.incident_years(shared.db, shared.kommun):
        st.info(message("dash.no_incidents", kommun=shared.kommun_namn))
        return
    entry = data.place_entry(figures, plats)
    before = data.comparison(shared.db, shared.kommun, figures, shared.public)
    texts = formatting.describe_incidents(data.incidents_of(figures, entry), figures["k"])
    st.metric(t("dash.incidents_total"), md(texts["total"]))
    st.markdown(md(formatting.dotted(texts["per_1000"], texts["per_km2"])))
    categories(figures, entry, before)
    profile = data.time_profile(shared.db, shared.kommun, year, plats, shared.public)
    st.subheader(t("dash.by_month"))
    st.vega_lite_chart(
        spec=place_page.month_spec(profile, year),
        width="stretch",
        theme=None,
        alt=t("plats.month_alt", place=plats, year=year),
    )
    st.subheader(t("dash.hour_weekday"))
    st.caption(message("plats.heat_caption", k=figures["k"]))
    st.html(heat_table(profile, figures["k"]))
    if shared.public:
        st.caption(message("dash.fewer_public", k=figures["k"]))
    if data.incidents_synthetic(shared.db, shared.kommun):
        st.caption(t("dash.synthetic_incidents"))


def categories(figures: dict, entry: dict | None, before: data.Comparison) -> None:
    """This year and the year before by category, with the change."""
    previous = None if before.figures is None else data.incidents_of(before.figures, entry)
    labels = (str(figures["year"]), before.label)
    rows = place_page.category_change_rows(
        data.incidents_of(figures, entry), previous, labels, figures["k"]
    )
    st.subheader(t("dash.by_category"))
    st.table(table(rows), hide_index=True)
    if previous is None:
        st.caption(message("dash.incidents_no_previous", period=before.label))


def heat_table(profile: dict, k: int) -> str:
    """The hour × weekday cells of :func:`trygg.pages.place.heat_cells` as HTML,
    every text escaped."""
    hours = "".join(f"<th scope='col'>{hour:02d}</th>" for hour in range(24))
    rows = []
    for day, cells in place_page.heat_cells(profile, k):
        tds = "".join(
            f"<td style='background-color: {cell['background']}; color: {cell['colour']}' "
            f"title='{html.escape(cell['title'])}'>{html.escape(cell['text'])}</td>"
            for cell in cells
        )
        rows.append(f"<tr><th scope='row' class='day'>{html.escape(day)}</th>{tds}</tr>")
    return (
        f"{HEAT_STYLE}<div class='trygg-heat-wrap'><table class='trygg-heat-place'>"
        f"<thead><tr><td></td>{hours}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )
