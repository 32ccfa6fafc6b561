"""The commitments panel: what the medborgarlöfte promises for the chosen place, by
party, then what holds for the whole kommun; each with its status and latest follow-up."""

from __future__ import annotations

import streamlit as st

import data
from markup import badge, md, message
from panels.sidebar import Shared
from trygg import formatting
from trygg.commitments.listing import (
    group_for_place,
    has_demo_follow_ups,
    latest_follow_up,
    promise_titles,
)
from trygg.scales import PARTIES, STATUS_COLOURS, UNKNOWN_STATUS_COLOUR
from trygg.strings import t


def panel(shared: Shared, plats: str | None) -> None:
    """Place-bound promises by party, then the kommun-wide ones."""
    items = data.kommun_commitments(shared.db, shared.kommun)
    grouped = group_for_place(items, plats)
    if plats:
        st.header(md(t("dash.heading_place", place=plats)))
    else:
        st.header(md(t("dash.heading_kommun", kommun=shared.kommun_namn)))
    titles = promise_titles(items)
    if titles:
        st.caption(md(formatting.dotted(*titles)))
    if has_demo_follow_ups(items):
        st.caption(t("dash.demo_caption"))
    if not items:
        st.info(message("dash.no_commitments", kommun=shared.kommun_namn))
        return
    if plats and not any(grouped["by_party"].values()):
        st.info(message("dash.no_place_commitments", place=plats))
    for party, title in PARTIES.items():
        group(title, grouped["by_party"][party])
    group(t("dash.kommun_wide"), grouped["kommun_wide"])


def group(title: str, items: list[dict]) -> None:
    if not items:
        return
    st.subheader(md(title))
    for item in items:
        with st.container(border=True):
            commitment(item)


def commitment(item: dict) -> None:
    colour = STATUS_COLOURS.get(item["status"], UNKNOWN_STATUS_COLOUR)
    st.markdown(f"**{md(item['text'])}**")
    st.markdown(badge(colour, t("dash.status", status=item["status"])))
    if item["partners"]:
        st.caption(md(t("dash.partners", partners=", ".join(item["partners"]))))
    latest = latest_follow_up(item)
    if latest is None:
        st.caption(t("dash.no_follow_up"))
    else:
        st.markdown(md(formatting.follow_up_line(latest)))
