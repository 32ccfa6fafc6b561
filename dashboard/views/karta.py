"""Karta: survey and incident figures per place on a map, hot spots, the chosen place's
figures and promises.

The URL carries the view (``?kommun=0683&plats=Stadsparken&visa=problem_klotter&ar=2023``)
so a link opens the same map; the selectors, a click on the map and the place list all
update it. The sidebar's public switch (on by default, for the projector) asks the core
for public figures: incident counts below k say "färre än 3" and grid cells under k are
left out. Raw incident points never reach the page, in either mode.
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
    st.title(f"{t('app.title')} – {md(shared.kommun_namn)}")
    left, right = st.columns([5, 3], gap="medium")
    with left:
        shown = karta.figure_selectors(shared)
        overlays = layers.controls(shared, shown.figures)
        drawn = karta.show(shared, places, plats, karta.colouring(shared, shown), overlays)
        incidents.panel(shared, shown.figures, plats)
    with right:
        karta.place_selector(shared)
        survey.panel(shown.figures, plats, shared.kommun_namn)
        commitments.panel(shared, plats)
    karta.download(shared, drawn)


main()
