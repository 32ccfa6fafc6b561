"""The map a reader meets (trygg.maps.view, dashboard/panels/map.py), without a browser.

The controls speak the page's language, the scale is metric only, the names sit on the
label points stored at import whatever the map is coloured by, and the selection layer
carries the zoom to its place, so ``st_folium`` zooms without reloading the map. The
Karta page hands ``st_folium`` one key, one height and the click only, and the same map
script whichever place is chosen, under one row of selectors. tests/test_browser_map.py
drives the real thing.
"""

from __future__ import annotations

import json
import re
from unittest.mock import patch

import pytest
import streamlit_folium
from streamlit.testing.v1 import AppTest

from tests.test_dashboard import APP, FakeMap
from trygg import maps, places, store
from trygg.maps.view import PlaceLabels, ShowPlace
from trygg.stats import report


@pytest.fixture(scope="module")
def laholm(demo_db):
    engine = store.make_engine(str(demo_db))
    try:
        return places.load_places(engine, "1381"), report.compute_stats(engine, "1381")
    finally:
        engine.dispose()


def elements(element, kind) -> list:
    return [e for e in maps.walk(element) if isinstance(e, kind)]


def call_arguments(page: str, call: str) -> tuple:
    """The two JSON arguments of the ``call(`` that follows its definition in ``page``."""
    decoder = json.JSONDecoder()
    at = page.index(call, page.index(f"function {call}") + len(call)) + len(call)
    first, at = decoder.raw_decode(page, at)
    at = re.compile(r"\s*,\s*").match(page, at).end()
    second, _end = decoder.raw_decode(page, at)
    return first, second


@pytest.mark.parametrize(
    ("lang", "zoom_in", "zoom_out", "prefix"),
    [("sv", "Zooma in", "Zooma ut", "Kartverktyg: Leaflet"), ("en", "Zoom in", "Zoom out", None)],
)
def test_controls_speak_the_language_and_measure_in_metres(laholm, lang, zoom_in, zoom_out, prefix):
    page = maps.place_map(laholm[0], lang=lang).get_root().render()
    assert f'"zoomInTitle": "{zoom_in}"' in page and f'"zoomOutTitle": "{zoom_out}"' in page
    assert "L.control.scale({imperial: false, metric: true" in page
    assert page.count("L.control.scale(") == 1  # folium's own (mi and km) is off
    assert '"zoomControl": false' in page  # Leaflet's English buttons are not drawn
    assert (prefix or "Map software: Leaflet") in page
    assert "Zoom in" not in page if lang == "sv" else "Zooma in" not in page


def test_every_place_is_named_at_its_stored_label_point_whatever_the_colour(laholm):
    frame, figures = laholm
    shown = {}
    for metric in ("andel_otrygga", "problem_nedskrapning"):
        fmap = maps.place_map(frame, choropleth=maps.choropleth(figures, metric))
        (labels,) = elements(fmap, PlaceLabels)
        shown[metric] = labels.labels
    assert shown["andel_otrygga"] == shown["problem_nedskrapning"]
    stored = frame.set_index("id")
    for label in shown["andel_otrygga"]:
        place = stored.loc[label["place_id"]]
        assert label["text"] == place["name"]  # these names need no escaping
        assert label["lon"] == pytest.approx(place["label_lon"], abs=1e-5)
        assert label["lat"] == pytest.approx(place["label_lat"], abs=1e-5)
    assert sorted(label["place_id"] for label in shown["andel_otrygga"]) == sorted(stored.index)


def test_the_labels_call_carries_the_button_text_in_the_page_language(laholm):
    page = maps.place_map(laholm[0], lang="en").get_root().render()
    labels, options = call_arguments(page, "tryggPlaceLabels(")
    assert len(labels) == len(laholm[0])
    assert options["reset"] == "Show the whole municipality"
    assert options["pad"] == maps.MAP_PADDING_PX and options["maxZoom"] >= 16


def test_the_selection_zooms_to_its_place(laholm):
    frame = laholm[0]
    selection = maps.selection_layer(frame, "Stadsparken")
    (show,) = elements(selection, ShowPlace)
    west, south, east, north = frame[frame["name"] == "Stadsparken"].to_crs(4326).total_bounds
    (sw, ne) = show.bounds
    assert sw == pytest.approx([south, west], abs=2e-4)  # the drawn, simplified shape
    assert ne == pytest.approx([north, east], abs=2e-4)
    # The whole kommun when none is chosen; nothing for a name that is not a place.
    (whole,) = elements(maps.selection_layer(frame, None), ShowPlace)
    assert whole.bounds is None
    assert elements(maps.selection_layer(frame, "Finns inte"), ShowPlace) == []
    # The map's own highlight (the one a file is drawn with) marks without zooming.
    assert elements(maps.selection_layer(frame, "Stadsparken", zoom=False), ShowPlace) == []
    assert elements(maps.place_map(frame, "Stadsparken"), ShowPlace) == []


def test_the_downloaded_file_opens_on_the_whole_kommun(laholm):
    frame = laholm[0]
    shown, selection = maps.place_map(frame), maps.selection_layer(frame, "Stadsparken")
    page = maps.standalone_html(shown, selection=selection)
    assert maps.SELECTED in page and ".tryggShow([[" not in page
    assert len(elements(selection, ShowPlace)) == 1  # the page's layer keeps its zoom


def test_st_folium_draws_the_zoom_with_the_selection_on_the_named_map(laholm):
    """``st_folium`` renames the map ``map_div`` and draws ``feature_group_to_add`` again
    whenever it changes: the zoom must be in that string, naming that map."""
    frame = laholm[0]
    fmap = maps.place_map(frame)
    fmap.get_root().render()
    streamlit_folium._get_map_string(fmap)
    drawn = streamlit_folium._get_feature_group_string(
        maps.selection_layer(frame, "Stadsparken"), map=fmap
    )
    assert re.search(r"map_div\.tryggShow\(\[\[56\.\d+, 13\.\d+\], \[56\.\d+, 13\.\d+\]\]\)", drawn)


# --- the Karta page ------------------------------------------------------------------


def run_karta(fake: FakeMap, **query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    with patch("streamlit_folium.st_folium", fake):
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture
def app_env(monkeypatch, demo_db):
    monkeypatch.setenv("TRYGG_DB", str(demo_db))
    monkeypatch.setenv("TRYGG_TILES", "none")


def test_karta_hands_st_folium_one_key_one_height_and_the_click_only(app_env, laholm):
    fake = FakeMap()
    at = run_karta(fake, kommun="1381", plats="Stadsparken")
    with patch("streamlit_folium.st_folium", fake):
        at.selectbox(key="plats_select").set_value("Hishult").run()
    first_args, second_args = fake.calls[0][1], fake.calls[-1][1]
    for kwargs in (first_args, second_args):
        assert kwargs["key"] == "karta_1381"
        assert kwargs["height"] == 650 and kwargs["use_container_width"] is True
        assert set(kwargs["returned_objects"]) == {
            "last_active_drawing",
            "last_object_clicked",
            "last_object_clicked_tooltip",
        }
        assert "center" not in kwargs and "zoom" not in kwargs
    frame = laholm[0]
    for kwargs, name in ((first_args, "Stadsparken"), (second_args, "Hishult")):
        (show,) = elements(kwargs["feature_group_to_add"], ShowPlace)
        west, south, east, north = frame[frame["name"] == name].to_crs(4326).total_bounds
        assert show.bounds == [
            pytest.approx([south, west], abs=2e-4),
            pytest.approx([north, east], abs=2e-4),
        ]
    assert at.query_params["plats"] == "Hishult"
    # The component reloads when its main script changes: choosing a place must not.
    hashes = set()
    for fmap, _kwargs in (fake.calls[0], fake.calls[-1]):
        fmap.get_root().render()
        script = streamlit_folium._get_map_string(fmap)
        hashes.add(streamlit_folium.generate_js_hash(script, "karta_1381"))
    assert len(hashes) == 1


def test_karta_puts_the_selectors_in_one_row_above_the_map(app_env):
    fake = FakeMap()
    at = run_karta(fake, kommun="1381")
    assert [t.value for t in at.title] == ["Trygghetskartan – Laholm"]
    assert [s.label for s in at.main.selectbox] == ["Visa på kartan", "År", "Plats"]
    (row,) = [
        block
        for block in at.main.children.values()
        if block.type in ("horizontal", "flex_container")
        and [s.label for s in block.selectbox] == ["Visa på kartan", "År", "Plats"]
    ]
    assert len(row.children) == 3  # three columns: figure, year, place
