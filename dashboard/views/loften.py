"""Löften: every commitment of the kommun's medborgarlöften and whether it has been done.

Filters by party, theme, place and status (``?plats=`` chooses the place, by name or
alias); a summary of the shown commitments by status; each löfte's period ("gäller
till …", "avslutat …") and cadence; each commitment's status (its latest follow-up's),
its next follow-up or how long it is overdue, and its whole follow-up history. What is
shown can be downloaded as CSV and Excel, written by the core's formula-safe writer.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

import data
from markup import badge, md, message
from panels import sidebar
from trygg.commitments import follow_up
from trygg.commitments.listing import (
    KOMMUN_WIDE,
    by_promise,
    filter_commitments,
    filter_options,
    has_demo_follow_ups,
    status_summary,
    to_csv_bytes,
    to_xlsx_bytes,
)
from trygg.scales import STATUS_COLOURS, STATUS_SUMMARY_ORDER, UNKNOWN_STATUS_COLOUR
from trygg.strings import t

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def main() -> None:
    shared = sidebar.current()
    items = data.kommun_commitments(shared.db, shared.kommun)
    st.title(message("loften.title", kommun=shared.kommun_namn))
    st.caption(t("loften.intro"))
    if not items:
        st.info(message("dash.no_commitments", kommun=shared.kommun_namn))
        return
    chosen = filters(shared, items)
    shown = filter_commitments(items, **chosen)
    summary(shown)
    st.caption(message("loften.shown", shown=len(shown), total=len(items)))
    if has_demo_follow_ups(shown):
        st.caption(t("dash.demo_caption"))
    downloads(shared.kommun, shown)
    if not shown:
        st.info(t("loften.none_match"))
    today = date.today()
    for group in by_promise(shown):
        promise(group, today)


def filters(shared: sidebar.Shared, items: list[dict]) -> dict[str, list[str]]:
    """The four multiselects; an empty one means all. ``?plats=`` fills the place one."""
    options = filter_options(items)
    place_key = f"loften_places_{shared.kommun}"
    if place_key not in st.session_state:
        st.session_state[place_key] = _place_from_url(shared, options["places"])
    columns = st.columns(4)
    common = {
        "placeholder": t("loften.filter_placeholder"),
        "select_all": False,
    }
    with columns[0]:
        parties = st.multiselect(
            t("loften.filter_party"),
            options["parties"],
            format_func=follow_up.party_label,
            key=f"loften_parties_{shared.kommun}",
            **common,
        )
    with columns[1]:
        themes = st.multiselect(
            t("loften.filter_theme"),
            options["themes"],
            format_func=follow_up.theme_label,
            key=f"loften_themes_{shared.kommun}",
            **common,
        )
    with columns[2]:
        places = st.multiselect(
            t("loften.filter_place"),
            options["places"],
            format_func=_place_label,
            key=place_key,
            on_change=_places_to_url,
            args=(place_key,),
            **common,
        )
    with columns[3]:
        statuses = st.multiselect(
            t("loften.filter_status"),
            list(STATUS_SUMMARY_ORDER),
            format_func=follow_up.status_label,
            key=f"loften_statuses_{shared.kommun}",
            **common,
        )
    return {"parties": parties, "themes": themes, "places": places, "statuses": statuses}


def _place_label(place: str) -> str:
    return t("loften.kommun_wide_option") if place == KOMMUN_WIDE else place


def _place_from_url(shared: sidebar.Shared, places: list[str]) -> list[str]:
    wanted = st.query_params.get("plats")
    if not wanted:
        return []
    found = data.name_index(shared.db, shared.kommun).find_in_link(wanted)
    if found is None or found[1] not in places:
        st.warning(message("loften.unknown_place", place=wanted, kommun=shared.kommun_namn))
        return []
    return [found[1]]


def _places_to_url(key: str) -> None:
    """One named place chosen goes in ``?plats=``, so the link opens the same list."""
    chosen = [p for p in st.session_state[key] if p != KOMMUN_WIDE]
    if len(chosen) == 1 and len(st.session_state[key]) == 1:
        st.query_params["plats"] = chosen[0]
    else:
        st.query_params.pop("plats", None)


def summary(shown: list[dict]) -> None:
    """How many of the shown commitments have each status, and how many are late."""
    st.header(t("loften.summary"))
    counts = status_summary(shown)
    for column, (status, count) in zip(st.columns(len(counts)), counts.items(), strict=True):
        column.metric(md(follow_up.summary_label(status)), md(count))
    late = sum(item["overdue"] for item in shown)
    if late:
        st.markdown(badge("red", t("loften.overdue_count", count=late)))


def downloads(kommun: str, shown: list[dict]) -> None:
    with st.container(horizontal=True, gap="small"):
        st.download_button(
            t("loften.download_csv"),
            data=to_csv_bytes(shown),
            file_name=f"loften_{kommun}.csv",
            mime="text/csv",
            icon=":material/download:",
            key="loften_csv",
        )
        st.download_button(
            t("loften.download_xlsx"),
            data=to_xlsx_bytes(shown),
            file_name=f"loften_{kommun}.xlsx",
            mime=XLSX_MIME,
            icon=":material/download:",
            key="loften_xlsx",
        )


def promise(group: dict, today: date) -> None:
    """A löfte's title, period and cadence, then its commitments."""
    st.header(md(group["title"]))
    period = group["period"]
    holds = follow_up.holds_phrase(period["to"], today)
    span = follow_up.period_span(period["from"], period["to"])
    cadence = follow_up.cadence_phrase(group["follow_up_cadence"])
    st.markdown(f"{badge('gray' if group['ended'] else 'green', holds)} {md(span)} · {md(cadence)}")
    for item in group["commitments"]:
        with st.container(border=True):
            commitment(item)


def commitment(item: dict) -> None:
    """The promise, its status and when it is next due, who and where, its history."""
    st.markdown(f"**{md(item['text'])}**")
    colour = STATUS_COLOURS.get(item["status"], UNKNOWN_STATUS_COLOUR)
    status = badge(colour, t("dash.status", status=follow_up.status_label(item["status"])))
    due = follow_up.due_phrase(item["next_follow_up"], item["overdue"])
    due_mark = badge("red" if item["overdue"] else "blue", due) if due else ""
    st.markdown(f"{status} {due_mark}")
    where = ", ".join(item["places"]) or t("loften.kommun_wide_option")
    about = [follow_up.party_label(item["party"]), t("loften.places", places=where)]
    if item["themes"]:
        themes = ", ".join(follow_up.theme_label(theme) for theme in item["themes"])
        about.append(t("loften.themes", themes=themes))
    if item["partners"]:
        about.append(t("dash.partners", partners=", ".join(item["partners"])))
    st.caption(md(" · ".join(about)))
    timeline(item["follow_ups"])


def timeline(follow_ups: list[dict]) -> None:
    """Every follow-up, the latest first: date, status, comment, as plain text."""
    if not follow_ups:
        st.caption(t("dash.no_follow_up"))
        return
    st.caption(t("loften.history"))
    with st.container(gap=None):
        for entry in follow_up.newest_first(follow_ups):
            st.markdown(f"**{md(entry['date'])}** · {md(follow_up.timeline_text(entry))}")


main()
