"""The Jämför page's parts: the ranking chart, the hidden places, the sortable table with
its CSV, and a link to every place's page (the keyboard path to each place)."""

from __future__ import annotations

import streamlit as st

import data
from markup import md, message
from panels.place_survey import references
from panels.sidebar import Shared
from trygg.pages import ranking
from trygg.strings import t
from trygg.text import fold


def chart(shared: Shared, rank: dict) -> None:
    """The ranked places with interval whiskers and the kommun as a rule."""
    if rank["rows"]:
        st.vega_lite_chart(
            spec=ranking.chart_spec(rank),
            width="stretch",
            theme=None,
            alt=t("jamfor.chart_alt", kommun=shared.kommun_namn, metric=rank["label"]),
        )
    if rank["kind"] == ranking.SHARE:
        st.caption(t("jamfor.whiskers"))
    st.markdown(md(ranking.kommun_sentence(rank, shared.kommun_namn)))
    figures = data.figures(shared.db, shared.kommun, rank["year"], shared.public)
    references(figures, [rank["metric"]])


def hidden(rank: dict) -> None:
    """The places the ranking leaves out, each with its reason."""
    if not rank["hidden"]:
        return
    st.header(t("jamfor.hidden_heading"))
    for row in rank["hidden"]:
        st.markdown(message("jamfor.hidden_line", place=row["place"], reason=row["reason"]))


def sortable_table(shared: Shared, rank: dict) -> None:
    """The ranking as a table a click on a heading sorts, and its CSV file."""
    st.header(t("jamfor.table_heading"))
    st.caption(t("jamfor.table_help"))
    header, rows = ranking.table_rows(rank)
    columns = {name: [row[i] for row in rows] for i, name in enumerate(header)}
    st.dataframe(columns, hide_index=True, width="stretch")
    name = t(
        "jamfor.file_name",
        kommun=fold(shared.kommun_namn),
        metric=rank["metric"],
        year=rank["year"],
    )
    st.download_button(
        t("jamfor.download"),
        data=ranking.csv_bytes(rank),
        file_name=name,
        mime="text/csv",
        on_click="ignore",
    )


def place_links(shared: Shared, rank: dict) -> None:
    """One link per place, in the ranking's order, to its own page."""
    st.header(t("jamfor.links_heading"))
    for row in [*rank["rows"], *rank["hidden"]]:
        st.page_link(
            "views/plats.py",
            label=md(t("plats.open", place=row["place"])),
            icon=":material/place:",
            query_params={"kommun": shared.kommun, "plats": row["place"]},
        )
