"""End to end: the Plats page in headless Chromium, with the internet cut off.

The app is started as ``make run`` does and every request to a host other than this
machine is aborted (tests/browser_harness.py). Expected figures come from
:func:`trygg.stats.report.place_figures` (public, as ``trygg stats --public``), written
out here by hand. Screenshots go to tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

import pytest

from tests import browser_harness as harness
from tests.browser_harness import Offline, screenshot
from trygg import store
from trygg.stats import report

PLACE_URL = "/plats?kommun=1381&plats=stadsparken"

pytestmark = harness.BROWSER_MARKS


@pytest.fixture(scope="module")
def app_url(demo_db):
    """The real app on a free port, offline basemap."""
    with harness.streamlit_app(demo_db) as base_url:
        yield base_url


browser = harness.browser_fixture()


def _park(demo_db) -> dict:
    engine = store.make_engine(str(demo_db))
    try:
        figures = report.place_figures(engine, "1381", public=True)
    finally:
        engine.dispose()
    return next(p for p in figures["places"] if p["place"] == "Stadsparken")


def _pct(share: float, lang: str) -> str:
    text = f"{share * 100:.1f}"
    return text.replace(".", ",") if lang == "sv" else text


def _park_fill(frame) -> float:
    """The share of the map's area that Stadsparken's bounds cover on screen."""
    return frame.evaluate(
        """() => {
            const m = window.map, size = m.getSize();
            const park = Object.values(m._layers).find(
                l => l.feature && l.feature.properties.tooltip.startsWith('<b>Stadsparken<'));
            const b = park.getBounds();
            const sw = m.latLngToContainerPoint(b.getSouthWest());
            const ne = m.latLngToContainerPoint(b.getNorthEast());
            const w = Math.min(ne.x, size.x) - Math.max(sw.x, 0);
            const h = Math.min(sw.y, size.y) - Math.max(ne.y, 0);
            return Math.max(w, 0) * Math.max(h, 0) / (size.x * size.y);
        }"""
    )


def _top(page, text: str) -> float:
    return page.get_by_text(text, exact=True).first.bounding_box()["y"]


def _open(offline: Offline, url: str, last_heading: str):
    page = offline.page
    page.goto(url, wait_until="domcontentloaded")
    frame = page.wait_for_selector("iframe[title*='st_folium']", timeout=60_000).content_frame()
    frame.wait_for_function("() => window.map !== undefined", timeout=30_000)
    frame.wait_for_selector("path.leaflet-interactive", state="attached", timeout=30_000)
    page.get_by_text(last_heading).first.wait_for(timeout=60_000)
    page.wait_for_timeout(2000)
    return page, frame


@pytest.mark.parametrize(
    ("lang", "size", "headings"),
    [
        ("sv", (1920, 1080), ("Enkätsvar 2024", "Händelser 2024", "Åtaganden för Stadsparken")),
        (
            "en",
            (1400, 900),
            ("Survey answers 2024", "Incidents 2024", "Commitments for Stadsparken"),
        ),
    ],
)
def test_place_page_zooms_to_the_park_and_tells_its_figures(
    app_url, browser, demo_db, lang, size, headings
):
    offline = Offline(browser, size)
    url = app_url + PLACE_URL + ("&lang=en" if lang == "en" else "")
    page, frame = _open(offline, url, headings[-1])

    assert _park_fill(frame) >= 0.25
    survey = _park(demo_db)["survey"]
    share, low, high = (_pct(survey[k], lang) for k in ("andel_otrygga", "ki_lag", "ki_hog"))
    text = page.locator("[data-testid='stMain']").inner_text().replace("\u2060", "")
    text = text.replace("\u00a0", " ")
    unit = " %" if lang == "sv" else "%"
    respondents = "svarande" if lang == "sv" else "respondents"
    assert f"{share}{unit} ({low}–{high}{unit}) " in text
    assert f" {survey['n']} {respondents}" in text
    for heading in headings:
        assert page.get_by_role("heading", name=heading).count() == 1
    assert page.locator("[data-testid='stVegaLiteChart'] svg, "
                        "[data-testid='stVegaLiteChart'] canvas").count() >= 2  # fmt: skip
    wide = "Gäller hela kommunen" if lang == "sv" else "Applies to the whole municipality"
    police = "Polisen" if lang == "sv" else "The police"
    assert _top(page, headings[-1]) < _top(page, police) < _top(page, wide)
    assert offline.errors == []
    assert offline.external == []
    screenshot(page, f"plats_stadsparken_{lang}.png")
    offline.context.close()
