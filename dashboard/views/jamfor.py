"""Jämför: every place of the kommun ranked by one figure (``/jamfor?visa=…&ar=…``).

The same figures as the map (:func:`trygg.maps.metric_options`): a Vega-Lite chart with
interval whiskers and the kommun's value as a line, the places whose figure is hidden
listed with the reason, and the ranking as a sortable table with a CSV download and a
link to each place's page.
"""

from __future__ import annotations

import streamlit as st

import data
import url_state
from markup import md, message
from panels import compare, sidebar
from trygg import maps
from trygg.pages import ranking
from trygg.strings import t

CORE = "andel_otrygga"
METRIC_KEY = "jamfor_metric"
YEAR_KEY = "jamfor_year"


def main() -> None:
    shared = sidebar.current()
    st.title(md(t("jamfor.title", kommun=shared.kommun_namn)))
    latest = data.figures(shared.db, shared.kommun, None, shared.public)
    if not latest["years"]:
        st.info(message("jamfor.nothing", kommun=shared.kommun_namn))
        return
    years = [str(year) for year in reversed(latest["years"])]
    year = int(url_state.choose("ar", YEAR_KEY, years, str(latest["year"])).value)
    figures = (
        latest
        if year == latest["year"]
        else data.figures(shared.db, shared.kommun, year, shared.public)
    )
    options = maps.metric_options(figures)
    if not options:
        st.info(message("jamfor.nothing", kommun=shared.kommun_namn))
        return
    default = CORE if CORE in options else next(iter(options))
    metric = url_state.choose("visa", METRIC_KEY, list(options), default).value
    metric_column, year_column = st.columns([3, 1])
    metric_column.selectbox(
        t("jamfor.metric"),
        list(options),
        key=METRIC_KEY,
        format_func=options.get,
        on_change=url_state.to_url,
        args=("visa", METRIC_KEY),
    )
    year_column.selectbox(
        t("dash.year"), years, key=YEAR_KEY, on_change=url_state.to_url, args=("ar", YEAR_KEY)
    )
    st.caption(t("jamfor.intro"))
    rank = ranking.ranking(figures, metric)
    compare.chart(shared, rank)
    compare.hidden(rank)
    compare.sortable_table(shared, rank)
    compare.place_links(shared, rank)


main()
