"""The presentation's parts: the map of a slide, the slides themselves, the keys.

Each slide is what :func:`trygg.pages.slides.slides` returns, laid out large: the map
zoomed to the slide's place on the left, the words on the right. Data text (place
names, commitment texts, the promise's title) reaches Streamlit only through
:func:`markup.md`, :func:`markup.message` and :func:`markup.badge`.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import streamlit as st
import streamlit_folium

import data
from markup import badge, md, message
from panels.sidebar import Shared
from trygg import formatting, maps
from trygg.commitments import follow_up
from trygg.pages import slides as slide_list
from trygg.scales import STATUS_COLOURS, UNKNOWN_STATUS_COLOUR
from trygg.strings import current_language, t

#: The map's height: with the page's padding it fills a 1080 px high screen.
MAP_HEIGHT = 960
PADDING_PX = 16
ZOOM_SNAP = 0.1
KEYS_SCRIPT = Path(__file__).resolve().parent.parent / "static" / "presentation_keys.js"
#: Runs in ``st.iframe``'s same-origin frame: tells the page how many slides there are
#: and puts the key script into the page itself once.
FRAME_SCRIPT = """<!doctype html>
<html lang="%(lang)s"><head><meta charset="utf-8"><title>%(title)s</title></head><body>
<script>
(function () {
  const page = window.parent;
  page.__tryggSlides = {total: %(total)d};
  if (page.document.getElementById("trygg-slide-keys")) return;
  const script = page.document.createElement("script");
  script.id = "trygg-slide-keys";
  script.textContent = %(source)s;
  page.document.head.appendChild(script);
})();
</script></body></html>"""


def slide_map(shared: Shared, places, place: str | None, number: int) -> None:
    """The kommun's places; with ``place`` zoomed to it, outlined, its neighbours around."""
    fmap = maps.place_map(
        places, tiles=shared.tiles, context=data.context(shared.db, shared.kommun)
    )
    bounds = None if place is None else slide_list.slide_bounds(places, place)
    if bounds is not None:
        fmap.options["zoom_snap"] = ZOOM_SNAP
        fmap.fit_bounds(bounds, padding=(PADDING_PX, PADDING_PX))
    streamlit_folium.st_folium(
        fmap,
        key=f"presentation_map_{shared.kommun}",
        height=MAP_HEIGHT,
        use_container_width=True,
        returned_objects=[],
        feature_group_to_add=None if place is None else maps.selection_layer(places, place),
    )


def title_slide(slide: dict, kommun_namn: str) -> None:
    st.title(message("presentation.title", kommun=kommun_namn))
    if slide["promise"] is None:
        st.markdown(t("presentation.no_promise"))
    else:
        st.header(md(slide["promise"]))
        period = slide["period"]
        st.markdown(md(follow_up.period_span(period["from"], period["to"])))
        st.markdown(message("presentation.place_count", count=len(slide["places"])))
    st.markdown(t("presentation.public"))
    if slide["synthetic"]:
        st.markdown(t("presentation.synthetic"))


def place_slide(slide: dict) -> None:
    st.title(md(slide["place"]))
    for index, figure in enumerate(slide["figures"]):
        if figure["value"]:
            with st.container(key=f"slide_figure_{index}"):
                st.markdown(md(figure["value"]))
        st.markdown(md(figure["text"]))
    st.subheader(t("presentation.commitments"))
    if not slide["commitments"]:
        st.markdown(t("presentation.no_commitments"))
    commitment_lines(slide["commitments"])


def closing_slide(slide: dict) -> None:
    st.title(t("presentation.closing"))
    counts = follow_up.status_counts(item["status"] for item in slide["commitments"])
    for column, (status, count) in zip(st.columns(len(counts)), counts.items(), strict=True):
        word = follow_up.STATUS_WORDS.get(status, "other")
        with column, st.container(key=f"slide_figure_summary_{word}"):
            st.markdown(md(formatting.integer(count)))
        column.markdown(md(follow_up.summary_label(status)))
    commitment_lines(slide["commitments"])


def commitment_lines(items: list[dict]) -> None:
    """Each commitment on a line: its status as a coloured badge, then its text."""
    for item in items:
        colour = STATUS_COLOURS.get(item["status"], UNKNOWN_STATUS_COLOUR)
        st.markdown(f"{badge(colour, follow_up.status_label(item['status']))} {md(item['text'])}")


def navigation(number: int, total: int) -> None:
    """Föregående and Nästa for the mouse, and the slide's number. A button sets
    ``?bild=``, so the address names the slide the keys step on from."""
    with st.container(key="slide_nav", horizontal=True):
        st.button(
            t("presentation.previous"),
            key="slide_previous",
            icon=":material/arrow_back:",
            on_click=go_to,
            args=(number - 1,),
            disabled=number <= 1,
        )
        st.markdown(message("presentation.slide_of", number=number, total=total))
        st.button(
            t("presentation.next"),
            key="slide_next",
            icon=":material/arrow_forward:",
            on_click=go_to,
            args=(number + 1,),
            disabled=number >= total,
        )


def go_to(number: int) -> None:
    st.query_params["bild"] = str(number)


def keys(total: int) -> None:
    """How the keys step, and the key script (:data:`KEYS_SCRIPT`), told how many slides
    there are."""
    st.caption(t("presentation.keys_help"))
    source = json.dumps(KEYS_SCRIPT.read_text(encoding="utf-8"))
    lang = current_language()
    values = {"total": int(total), "source": source, "lang": lang, "title": ""}
    values["title"] = html.escape(t("presentation.keys_frame", lang))
    st.iframe(FRAME_SCRIPT % values, height=1)
