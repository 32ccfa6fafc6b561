"""Karta: survey and incident figures per place on a map, hot spots, the chosen place's
figures and promises.

The URL carries the view (``?kommun=0683&plats=Stadsparken&visa=problem_klotter&ar=2023``)
so a link opens the same map; the selectors, a click on the map and the place list all
update it, and the map zooms to the chosen place. The map is the page's full width,
above the fold; the chosen place's figures and promises follow below it. The sidebar's
public switch (on by default, for the projector) asks the core for public figures:
incident counts below k say "färre än 3" and grid cells under k are left out. Raw
incident points never reach the page, in either mode.
"""

from __future__ import annotations

import streamlit as st

import data
from markup import md
from panels import commitments, incidents, layers, sidebar, survey
from panels import map as karta
from trygg.strings import t


def main() -> None:
    shared = sidebar.current()
    places = data.kommun_places(shared.db, shared.kommun)
    plats = karta.chosen_place(shared)
    karta.compact_page()
    st.title(f"{t('app.title')} – {md(shared.kommun_namn)}")
    shown = karta.selectors(shared)
    overlays = layers.controls(shared, shown.figures)
    drawn = karta.show(shared, places, plats, karta.colouring(shared, shown), overlays)
    left, right = st.columns([1, 1], gap="medium")
    with left:
        survey.panel(shown.figures, plats, shared.kommun_namn)
    with right:
        commitments.panel(shared, plats)
    incidents.panel(shared, shown.figures, plats)
    karta.download(shared, drawn)


main()
