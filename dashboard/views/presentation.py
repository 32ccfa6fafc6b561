"""Presentation: the kommun's medborgarlöfte place by place, for a projector in a hall
(``/presentation?kommun=1381&bild=3``).

A title slide, one slide per designated place of the löfte (then per place a coordinator
added on Importera, :mod:`trygg.pages.chosen`) with the map zoomed to it,
its key figures in words and its commitments, and a closing slide with every
commitment's status (:func:`trygg.pages.slides.slides`). Full screen and large type; the
slide is ``?bild=`` (1-based, clamped to the slides there are), so a reload stays on it;
the keys → PageDown Space Enter, ← PageUp, Home, End step through. The figures are always
the public ones: the sidebar's switch does not reach this page.
"""

from __future__ import annotations

import streamlit as st

import data
from markup import PRESENTATION_STYLE
from panels import sidebar, slides
from trygg.pages import slides as slide_list
from trygg.strings import current_language

#: Always the public figures, whoever is logged in.
PUBLIC = True


def main() -> None:
    st.html(PRESENTATION_STYLE)  # markup.presentation_style()'s fixed stylesheet
    shared = sidebar.current()
    lang = current_language()
    figures = data.figures(shared.db, shared.kommun, None, PUBLIC)
    shown = slide_list.slides(
        figures,
        data.kommun_promises(shared.db, shared.kommun),
        data.kommun_commitments(shared.db, shared.kommun),
        lang,
        data.chosen_places(shared.db, shared.kommun),
    )
    total = len(shown)
    number = slide_list.slide_number(st.query_params.get("bild"), total)
    if st.query_params.get("bild") != str(number):
        st.query_params["bild"] = str(number)
    slide = shown[number - 1]
    places = data.kommun_places(shared.db, shared.kommun)
    left, right = st.columns([2, 1], gap="medium")
    with left:
        slides.slide_map(shared, places, slide.get("place"), number)
    with right:
        slides.navigation(number, total)
        if slide["kind"] == slide_list.TITLE:
            slides.title_slide(slide, shared.kommun_namn)
        elif slide["kind"] == slide_list.PLACE:
            slides.place_slide(slide)
        else:
            slides.closing_slide(slide)
        slides.keys(total)


main()
