"""The commitments panel: what the medborgarlöfte promises for the chosen place.

:func:`panel` is the map's compact version: the status summary and the first few
commitments, with a link to the Löften page filtered to the place. ``full=True`` gives
the whole list by party, then what holds for the whole kommun, each with its status
(its latest follow-up's) and latest follow-up.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

import data
from markup import badge, md, message
from panels.sidebar import Shared
from trygg import formatting
from trygg.commitments import follow_up
from trygg.commitments.listing import (
    by_promise,
    group_for_place,
    has_demo_follow_ups,
    latest_follow_up,
    promise_titles,
    status_summary,
)
from trygg.scales import PARTIES, STATUS_COLOURS, UNKNOWN_STATUS_COLOUR
from trygg.strings import DEFAULT_LANG, current_language, t

#: How many commitments the map's compact panel lists before its link to the Löften page.
COMPACT_COUNT = 3


def panel(shared: Shared, plats: str | None, *, full: bool = False) -> None:
    """The compact panel (``full``: place-bound promises by party, then kommun-wide)."""
    if not full:
        compact(shared, plats)
        return
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
    for party in PARTIES:
        group(follow_up.party_label(party), grouped["by_party"][party])
    # On paper the kommun-wide ones would fill two pages: the print says where they are.
    with st.container(key="trygg_print_skip_kommun_wide"):
        group(t("dash.kommun_wide"), grouped["kommun_wide"])
    if grouped["kommun_wide"]:
        with st.container(key="trygg_print_only_kommun_wide"):
            st.caption(message("dash.print_kommun_wide", n=len(grouped["kommun_wide"])))


def group(title: str, items: list[dict]) -> None:
    if not items:
        return
    st.subheader(md(title))
    for item in items:
        with st.container(border=True):
            commitment(item)


def commitment(item: dict) -> None:
    st.markdown(f"**{md(item['text'])}**")
    marks(item)
    if item["partners"]:
        st.caption(md(t("dash.partners", partners=", ".join(item["partners"]))))
    latest = latest_follow_up(item)
    if latest is None:
        st.caption(t("dash.no_follow_up"))
    else:
        shown = {**latest, "status": follow_up.status_label(latest["status"])}
        st.markdown(md(formatting.follow_up_line(shown)))


def marks(item: dict, text: str | None = None) -> None:
    """Badges: the commitment's status, its overdue follow-up if it has one, then
    ``text`` (shown as typed) on the same line."""
    colour = STATUS_COLOURS.get(item["status"], UNKNOWN_STATUS_COLOUR)
    status = badge(colour, t("dash.status", status=follow_up.status_label(item["status"])))
    late = follow_up.due_phrase(item["next_follow_up"], True) if item.get("overdue") else None
    late_mark = badge("red", late) if late else ""
    st.markdown(f"{status} {late_mark} {md(text or '')}")


def compact(shared: Shared, plats: str | None) -> None:
    """The status summary and the first few commitments for ``plats`` (None: the kommun),
    with a link to all of them on the Löften page."""
    items = data.kommun_commitments(shared.db, shared.kommun)
    if plats:
        st.header(md(t("dash.heading_place", place=plats)))
    else:
        st.header(md(t("dash.heading_kommun", kommun=shared.kommun_namn)))
    if not items:
        st.info(message("dash.no_commitments", kommun=shared.kommun_namn))
        return
    chosen = [i for i in items if plats in i["places"]] if plats else items
    if not chosen:
        st.info(message("dash.no_place_commitments", place=plats))
    else:
        today = date.today()
        for promise in by_promise(chosen):
            holds = follow_up.holds_phrase(promise["period"]["to"], today)
            st.caption(md(f"{promise['title']} · {holds}"))
        summary_badges(chosen)
        for item in chosen[:COMPACT_COUNT]:
            marks(item, item["text"])
    query = {"kommun": shared.kommun, **({"plats": plats} if plats and chosen else {})}
    if current_language() != DEFAULT_LANG:
        query["lang"] = current_language()
    if plats and chosen:
        label = t("loften.panel_more_place", count=len(chosen), place=plats)
    else:
        label = t("loften.panel_more", count=len(items))
    st.page_link(
        "views/loften.py", label=md(label), icon=":material/handshake:", query_params=query
    )


def summary_badges(items: list[dict]) -> None:
    """The commitments' count per status, as one row of badges."""
    with st.container(horizontal=True, gap="small"):
        for status, count in status_summary(items).items():
            colour = STATUS_COLOURS.get(status, UNKNOWN_STATUS_COLOUR)
            label = f"{follow_up.summary_label(status)}: {count}"
            st.markdown(badge(colour, label), width="content")
