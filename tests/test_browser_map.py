"""End to end: the Karta map as a council member meets it, in headless Chromium, offline.

The map must be seen whole without scrolling at 1920×1080 and 1400×900 (sidebar open),
take the first click on a small place, zoom to a place chosen on it or in the list, and
speak the page's language in its controls. One app serves the module; every request to
a host other than this machine is aborted (tests/browser_harness.py).
"""

from __future__ import annotations

import re

import pytest

from tests import browser_harness as harness
from tests.browser_harness import Offline, screenshot
from trygg import formatting, places, store
from trygg.stats import report

pytestmark = harness.BROWSER_MARKS
WAIT_MS = 60_000
FRAME = "iframe[title*='st_folium']"
#: Viewport → the smallest map (width, height) it must show, whole, above the fold.
SIZES = {(1920, 1080): (1100, 650), (1400, 900): (800, 560)}

#: The drawn box of a place (by its name, the first line of its tooltip) and the map's
#: size, both in the frame's pixels.
PLACE_BOX = """name => {
    const layer = Object.values(window.map._layers).find(l => l.feature && l._path &&
        (l.feature.properties.tooltip || '').startsWith('<b>' + name + '<'));
    const r = layer._path.getBoundingClientRect(), m = window.map.getContainer()
        .getBoundingClientRect();
    return {left: r.left - m.left, top: r.top - m.top, width: r.width, height: r.height,
            mapWidth: m.width, mapHeight: m.height};
}"""


#: Records, every frame, how far down the line under the map sits.
WATCH_BELOW_MAP = """() => {
    window.trygg_below_map = [];
    const help = [...document.querySelectorAll('[data-testid=stCaptionContainer]')]
        .find(c => c.textContent.startsWith('Klicka på ett område'));
    const tick = () => {
        if (help.isConnected) { window.trygg_below_map.push(help.getBoundingClientRect().top); }
        requestAnimationFrame(tick);
    };
    tick();
}"""


@pytest.fixture(scope="module")
def map_url(demo_db):
    """The real app on the demo database, no basemap (a projector without internet)."""
    with harness.streamlit_app(demo_db) as base_url:
        yield base_url


browser = harness.browser_fixture()


@pytest.fixture(scope="module")
def laholm(demo_db):
    """Laholm's public figures and its place names, from the core."""
    engine = store.make_engine(str(demo_db))
    try:
        return report.compute_stats(engine, "1381"), list(places.load_places(engine, "1381").name)
    finally:
        engine.dispose()


def _open(browser, url: str, width: int = 1400, height: int = 900):
    offline = Offline(browser, (width, height))
    offline.page.goto(url, wait_until="domcontentloaded")
    frame = _frame(offline.page)
    frame.wait_for_selector(".trygg-label span", state="attached", timeout=30_000)
    offline.page.wait_for_timeout(1500)  # the frame takes its size, the map its view
    return offline, frame


def _frame(page):
    return page.wait_for_selector(FRAME, timeout=WAIT_MS).content_frame()


def _fills(box: dict) -> float:
    return box["width"] * box["height"] / (box["mapWidth"] * box["mapHeight"])


def _inside(box: dict) -> bool:
    return (
        box["left"] >= 0
        and box["top"] >= 0
        and box["left"] + box["width"] <= box["mapWidth"] + 1
        and box["top"] + box["height"] <= box["mapHeight"] + 1
    )


def _labels_clear_of_controls(frame) -> list[str]:
    """The visible place names that overlap a control (buttons, scale, legend)."""
    return frame.evaluate(
        """() => {
            const controls = [...document.querySelectorAll('.leaflet-control')]
                .map(c => c.getBoundingClientRect()).filter(r => r.width > 0);
            return [...document.querySelectorAll('.trygg-label span')]
              .filter(s => getComputedStyle(s).visibility === 'visible')
              .filter(s => { const a = s.getBoundingClientRect();
                  return controls.some(b => a.left < b.right && b.left < a.right &&
                                            a.top < b.bottom && b.top < a.bottom); })
              .map(s => s.textContent);
        }"""
    )


@pytest.mark.parametrize(("viewport", "smallest"), SIZES.items(), ids=["1920x1080", "1400x900"])
def test_the_whole_map_is_above_the_fold(map_url, browser, laholm, viewport, smallest):
    width, height = viewport
    offline, frame = _open(browser, f"{map_url}/?kommun=1381", width, height)
    page = offline.page
    box = page.locator(FRAME).bounding_box()
    assert box["width"] >= smallest[0] and box["height"] >= smallest[1], box
    assert box["y"] >= 0
    assert box["y"] + box["height"] <= height, f"the map ends {box['y'] + box['height']} px down"
    assert page.get_by_test_id("stSidebar").bounding_box()["width"] > 200  # sidebar open

    figures, names = laholm
    assert sorted(frame.locator(".trygg-label span").all_text_contents()) == sorted(names)
    assert _labels_clear_of_controls(frame) == []
    # The kommun headline: a share with its interval and n, not "för få svar".
    total = figures["kommun_total"]["andel_otrygga"]
    assert not total["suppressed"]
    main = page.get_by_test_id("stMain")
    main.get_by_text(formatting.percent(total["andel"])).first.wait_for(timeout=WAIT_MS)
    text = main.inner_text()
    assert formatting.count(total["n"]) in text
    assert formatting.interval(total["ki_lag"], total["ki_hog"]) in text
    assert offline.errors == []
    screenshot(page, f"karta_{width}x{height}.png")
    offline.context.close()


def test_the_first_click_on_stadsparken_selects_it_and_zooms(map_url, browser):
    """A real click at the middle of the park's drawn box, at 1400×900, no scrolling."""
    offline, frame = _open(browser, f"{map_url}/?kommun=1381")
    page = offline.page
    park = frame.evaluate(PLACE_BOX, "Stadsparken")
    assert park["width"] >= 3 and park["height"] >= 8  # small, yet on the map
    frame.evaluate("() => { window.trygg_test_mark = 'same map'; }")
    origin = page.locator(FRAME).bounding_box()
    page.mouse.click(
        origin["x"] + park["left"] + park["width"] / 2,
        origin["y"] + park["top"] + park["height"] / 2,
    )
    page.get_by_text("Enkätsvar 2024 – Stadsparken").wait_for(timeout=WAIT_MS)
    assert "plats=Stadsparken" in page.url
    frame = _frame(page)
    frame.wait_for_function(
        "name => (" + PLACE_BOX + ")(name).height > 300", arg="Stadsparken", timeout=30_000
    )
    zoomed = frame.evaluate(PLACE_BOX, "Stadsparken")
    assert _inside(zoomed)
    # The park is three times as tall as wide: it fills the map's height instead.
    assert zoomed["height"] >= 0.8 * zoomed["mapHeight"]
    assert frame.evaluate("() => window.trygg_test_mark") == "same map"  # not reloaded
    assert page.locator(FRAME).bounding_box()["height"] == origin["height"]
    screenshot(page, "karta_stadsparken_clicked.png")

    frame.get_by_role("button", name="Visa hela kommunen").click()
    frame.wait_for_function(
        "name => (" + PLACE_BOX + ")(name).height < 60", arg="Stadsparken", timeout=10_000
    )
    for name in ("Mellbystrand", "Hishult", "Veinge", "Knäred"):
        assert _inside(frame.evaluate(PLACE_BOX, name)), name
    assert "plats=Stadsparken" in page.url  # the view changes, not the choice
    assert offline.errors == []
    offline.context.close()


def test_choosing_in_the_list_or_the_address_zooms_to_the_place(map_url, browser):
    offline, frame = _open(browser, f"{map_url}/?kommun=1381")
    page = offline.page
    before = frame.evaluate(PLACE_BOX, "Campus Laholm")
    assert _fills(before) < 0.01
    frame.evaluate("() => { window.trygg_test_mark = 'same map'; }")
    page.get_by_test_id("stSelectbox").filter(has_text="Plats").click()
    page.get_by_role("option", name="Campus Laholm", exact=True).click()
    page.get_by_text("Enkätsvar 2024 – Campus Laholm").wait_for(timeout=WAIT_MS)
    frame.wait_for_function(
        "name => { const b = (" + PLACE_BOX + ")(name); "
        "return b.width * b.height > 0.25 * b.mapWidth * b.mapHeight; }",
        arg="Campus Laholm",
        timeout=30_000,
    )
    chosen = frame.evaluate(PLACE_BOX, "Campus Laholm")
    assert _inside(chosen) and _fills(chosen) >= 0.25
    assert frame.evaluate("() => window.trygg_test_mark") == "same map"
    assert "plats=Campus+Laholm" in page.url or "plats=Campus%20Laholm" in page.url

    # A new metric reloads the map, but the page below it never jumps (a projector
    # would flash): the line under the map stays where it is all along.
    page.evaluate(WATCH_BELOW_MAP)
    page.get_by_test_id("stSelectbox").filter(has_text="Visa på kartan").click()
    page.get_by_role("option", name="Problem: Nedskräpning", exact=True).click()
    page.wait_for_function(
        """() => [...document.querySelectorAll("iframe[title*='st_folium']")].some(f =>
            f.contentDocument && f.contentDocument.querySelector('.trygg-legend') &&
            f.contentDocument.querySelector('.trygg-legend').innerText.includes('Nedskräpning'))""",
        timeout=WAIT_MS,
    )
    tops = page.evaluate("() => window.trygg_below_map")
    assert len(tops) > 10 and max(tops) - min(tops) <= 2, sorted(set(tops))
    offline.context.close()

    # A link names the place by an alias, in lower case.
    offline, frame = _open(browser, f"{map_url}/?kommun=1381&plats=gl%C3%A4nninge")
    offline.page.get_by_text("Enkätsvar 2024 – Glänningeområdet").wait_for(timeout=WAIT_MS)
    frame.wait_for_function(
        "name => { const b = (" + PLACE_BOX + ")(name); "
        "return b.width * b.height > 0.25 * b.mapWidth * b.mapHeight; }",
        arg="Glänningeområdet",
        timeout=30_000,
    )
    assert _inside(frame.evaluate(PLACE_BOX, "Glänningeområdet"))
    assert offline.errors == []
    offline.context.close()


def _controls(frame) -> dict:
    return frame.evaluate(
        """() => ({
            titles: [...document.querySelectorAll('.leaflet-control-zoom a')].map(a => a.title),
            reset: document.querySelector('.trygg-reset button').textContent,
            scale: [...document.querySelectorAll('.leaflet-control-scale-line')]
                .map(s => s.textContent),
            prefix: document.querySelector('.leaflet-control-attribution').textContent,
        })"""
    )


def test_controls_speak_the_page_language_and_places_take_the_keyboard(map_url, browser):
    offline, frame = _open(browser, f"{map_url}/?kommun=1381")
    swedish = _controls(frame)
    assert swedish["titles"] == ["Zooma in", "Zooma ut"]
    assert swedish["reset"] == "Visa hela kommunen"
    assert len(swedish["scale"]) == 1 and re.fullmatch(r"\d+ k?m", swedish["scale"][0])
    assert "Kartverktyg: Leaflet" in swedish["prefix"]
    assert not re.search(r"\b(mi|ft)\b|Zoom in|Zoom out", frame.locator("body").inner_text())

    # A place too small for its name at this zoom still says it, on keyboard focus.
    park = frame.locator("path[aria-label='Stadsparken']")
    assert park.get_attribute("tabindex") == "0"
    park.focus()
    frame.locator(".leaflet-tooltip", has_text="Stadsparken").wait_for(timeout=10_000)
    park.press("Enter")  # and the keyboard chooses it, as a click does
    offline.page.get_by_text("Enkätsvar 2024 – Stadsparken").wait_for(timeout=WAIT_MS)
    assert "plats=Stadsparken" in offline.page.url
    assert offline.errors == []
    offline.context.close()

    offline, frame = _open(browser, f"{map_url}/?kommun=1381&lang=en")
    english = _controls(frame)
    assert english["titles"] == ["Zoom in", "Zoom out"]
    assert english["reset"] == "Show the whole municipality"
    assert re.fullmatch(r"\d+ k?m", english["scale"][0]) and len(english["scale"]) == 1
    assert "Map software: Leaflet" in english["prefix"]
    assert offline.errors == []
    offline.context.close()
