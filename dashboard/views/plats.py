"""Plats: one page per place (``/plats?kommun=1381&plats=stadsparken``).

A map zoomed to the place heads the page; beside it the year's share of otrygga in a
sentence with interval and n, the comparison with the rest of the kommun and the trend
over every year; then the items, delivered results, incidents, and the medborgarlöfte's
commitments for the place (by party) and for the whole kommun. Without ``?plats=`` the
page lists the places to choose from. The place may be named by its name or an alias,
in any case and with or without diacritics.
"""

from __future__ import annotations

import re

import streamlit as st

import data
import url_state
from markup import md, message
from panels import commitments, place_incidents, place_map, place_survey, sidebar
from panels.sidebar import Shared
from trygg.strings import current_language, t, use_language
from trygg.text import fold_accents

KEY = "plats_page_select"
YEAR_KEY = "plats_page_year"


def chosen_place(shared: Shared) -> str:
    """The place of ``?plats=`` (name or alias), or "" when none is chosen."""
    index = data.name_index(shared.db, shared.kommun)
    choice = url_state.choose(
        "plats",
        KEY,
        ["", *index.known_names()],
        "",
        find=lambda text: (index.find_in_link(text) or (None, None))[1],
    )
    if choice.unknown:
        st.warning(
            message("dash.place_unknown_url", name=choice.unknown, kommun=shared.kommun_namn)
        )
    return choice.value


def place_selector(shared: Shared) -> None:
    names = data.name_index(shared.db, shared.kommun).known_names()
    placeholder = t("plats.choose_placeholder", kommun=shared.kommun_namn)
    st.selectbox(
        t("plats.choose_label"),
        ["", *names],
        key=KEY,
        format_func=lambda name: name or placeholder,
        on_change=url_state.to_url,
        args=("plats", KEY),
    )


def chooser(shared: Shared) -> None:
    """No place chosen: the list, and a link to every place's page."""
    st.title(md(t("plats.choose_heading")))
    st.markdown(md(t("plats.choose_help")))
    place_selector(shared)
    handout_button(shared, None, None)
    for name in data.name_index(shared.db, shared.kommun).known_names():
        st.page_link(
            "views/plats.py",
            label=md(t("plats.open", place=name)),
            icon=":material/place:",
            query_params={"kommun": shared.kommun, "plats": name},
        )


def year_figures(shared: Shared) -> tuple[dict | None, dict[int, dict]]:
    """The chosen year's figures (``?ar=``, default the latest) and every year's."""
    latest = data.figures(shared.db, shared.kommun, None, shared.public)
    if not latest["years"]:
        return None, {}
    years = [str(year) for year in reversed(latest["years"])]
    year = int(url_state.choose("ar", YEAR_KEY, years, str(latest["year"])).value)
    by_year = {
        y: latest
        if y == latest["year"]
        else data.figures(shared.db, shared.kommun, y, shared.public)
        for y in latest["years"]
    }
    st.selectbox(
        t("dash.year"), years, key=YEAR_KEY, on_change=url_state.to_url, args=("ar", YEAR_KEY)
    )
    return by_year[year], by_year


def handout_button(shared: Shared, plats: str | None, year: int | None) -> None:
    """The A4 handout (PDF, public figures) of the place, or of the kommun (None), built
    only when it is clicked."""
    engine, kommun, lang = data.engine(shared.db), shared.kommun, current_language()
    slug = re.sub(r"[^a-z0-9]+", "-", fold_accents(plats or shared.kommun_namn)).strip("-")

    def pdf() -> bytes:
        from trygg.documents.handout import build_handout

        use_language(lang)
        return build_handout(engine, kommun, plats, year, lang)

    st.download_button(
        t("handout.download" if plats else "handout.download_kommun"),
        data=pdf,
        file_name=f"handout_{kommun}_{slug}.pdf",
        mime="application/pdf",
        icon=":material/picture_as_pdf:",
        key="plats_handout",
    )


def main() -> None:
    shared = sidebar.current()
    plats = chosen_place(shared)
    if not plats:
        chooser(shared)
        return
    places = data.kommun_places(shared.db, shared.kommun)
    st.title(md(t("plats.title", place=plats, kommun=shared.kommun_namn)))
    left, right = st.columns([2, 3], gap="medium")
    with left:
        place_map.show(shared, places, plats)
    with right:
        choose, year = st.columns([3, 1])
        with choose:
            place_selector(shared)
        with year:
            figures, by_year = year_figures(shared)
        if figures is None:
            st.info(message("dash.no_survey", kommun=shared.kommun_namn))
        else:
            place_survey.headline(figures, plats)
            place_survey.trend(by_year, plats)
            handout_button(shared, plats, figures["year"])
    if figures is not None:
        place_survey.items(figures, plats)
        place_survey.delivered(by_year, plats)
        place_survey.synthetic_note(figures)
        place_incidents.panel(shared, figures, plats)
    commitments.panel(shared, plats, full=True)


main()
