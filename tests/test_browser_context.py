"""End to end: the Laholm map's context and a local PMTiles basemap, with no internet.

The real app runs with ``TRYGG_TILES`` naming a small PMTiles file made here; every
request to another host than this machine is aborted (see ``browser_harness.py``).
"""

from __future__ import annotations

import pytest

from test_context import write_pmtiles
from tests import browser_harness as harness
from tests.browser_harness import REPO, Offline, screenshot
from trygg.maps import tiles

pytestmark = harness.BROWSER_MARKS


@pytest.fixture(scope="module")
def tiled_app(demo_db, tmp_path_factory):
    """The app on the demo database, its basemap a local PMTiles package around Laholm."""
    archive = tmp_path_factory.mktemp("tiles") / "laholm.pmtiles"
    write_pmtiles(archive)
    published = REPO / "dashboard" / "static" / tiles.TILES_FOLDER / tiles.published_name(archive)
    try:
        with harness.streamlit_app(demo_db, env={"TRYGG_TILES": str(archive)}) as base_url:
            yield base_url, published
    finally:
        published.unlink(missing_ok=True)


browser = harness.browser_fixture()


PANES = """() => {
    const pane = (selector) => {
        const element = document.querySelector(selector).closest('.leaflet-pane');
        const style = getComputedStyle(element);
        return [element.className, Number(style.zIndex), style.pointerEvents];
    };
    return {
        context: pane('path.trygg-context'),
        places: pane('path.leaflet-interactive'),
        grans: document.querySelectorAll('path.trygg-context.trygg-context-grans').length,
        vatten: document.querySelectorAll('path.trygg-context.trygg-context-vatten').length,
        asPlaces: Object.values(window.map._layers).filter(l => l.feature && l._path &&
            l._path.classList.contains('trygg-context')).length,
    };
}"""


def test_laholm_context_lies_beneath_the_places_on_a_local_basemap(tiled_app, browser):
    base_url, published = tiled_app
    offline = Offline(browser)
    tile_answers: list[tuple[int, str]] = []
    offline.page.on(
        "response",
        lambda r: "/app/static/tiles/" in r.url and tile_answers.append((r.status, r.url)),
    )
    page = offline.page
    page.goto(f"{base_url}/?kommun=1381", wait_until="domcontentloaded")
    frame = page.wait_for_selector("iframe[title*='st_folium']", timeout=60_000).content_frame()
    frame.wait_for_selector("path.trygg-context", timeout=30_000)
    frame.wait_for_selector("path.leaflet-interactive", timeout=30_000)
    frame.wait_for_selector("img.leaflet-tile-loaded[src^='blob:']", timeout=30_000)
    page.wait_for_timeout(1000)

    panes = frame.evaluate(PANES)
    assert panes["grans"] >= 1 and panes["vatten"] >= 1
    assert panes["asPlaces"] == 0  # no context path passes for a place (no feature)
    context_class, context_z, context_events = panes["context"]
    places_class, places_z, _events = panes["places"]
    assert "leaflet-tryggContext-pane" in context_class and context_events == "none"
    assert "leaflet-overlay-pane" in places_class and context_z < places_z

    assert published.is_file()
    assert tile_answers and all(status in {200, 206} for status, _url in tile_answers)
    assert all(published.name in url for _status, url in tile_answers)
    assert offline.external == [] and offline.failed_local == [] and offline.errors == []
    screenshot(page, "laholm_context.png")
    offline.context.close()
