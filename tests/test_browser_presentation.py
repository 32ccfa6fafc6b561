"""The presentation in the real app, in Chromium at 1920 × 1080, with the internet cut off.

The keys step through the slides and the address follows (a key reloads the page at
``?bild=``, so a reload stays on the slide); the type is large enough for a hall and the
map fills most of the screen, zoomed to the slide's place. The harness is
tests/browser_harness.py.
"""

from __future__ import annotations

import re

import pytest

from tests import browser_harness as harness
from tests.browser_harness import Offline, screenshot
from trygg import store
from trygg.commitments.store import load_promises
from trygg.pages.place import place_bounds
from trygg.places import load_places
from trygg.strings import t

pytestmark = harness.BROWSER_MARKS
WIDTH, HEIGHT = 1920, 1080


@pytest.fixture(scope="module")
def app_url(demo_db):
    with harness.streamlit_app(demo_db) as base_url:
        yield base_url


browser = harness.browser_fixture()


@pytest.fixture(scope="module")
def laholm(demo_db):
    engine = store.make_engine(str(demo_db))
    try:
        (promise,) = load_promises(engine, "1381")
        places = load_places(engine, "1381")
        return {"places": promise["designated_places"], "frame": places}
    finally:
        engine.dispose()


def shown_slide(page, number: int) -> None:
    """Until the address names slide ``number`` and its page has told the keys the count."""
    page.wait_for_url(re.compile(rf"[?&]bild={number}(&|$)"), timeout=60_000)
    page.wait_for_function(f"() => location.search.includes('bild={number}')", timeout=60_000)
    page.wait_for_function("() => window.__tryggSlides && window.__tryggSlideKey", timeout=60_000)


def heading(page) -> str:
    page.locator("h1").first.wait_for(timeout=60_000)
    return page.locator("h1").first.inner_text().strip()


def small_text(page) -> list[str]:
    """Body text on the slide with a computed size below 28 px."""
    return page.evaluate(
        """() => [...document.querySelectorAll(
                '[data-testid=stMain] p, [data-testid=stMain] li, [data-testid=stMain] span')]
            .filter(e => e.offsetParent !== null && e.textContent.trim()
                    && !e.closest('[class*=st-key-slide_figure]'))
            .filter(e => parseFloat(getComputedStyle(e).fontSize) < 28)
            .map(e => e.textContent.trim() + ' ' + getComputedStyle(e).fontSize)"""
    )


def figure_sizes(page) -> list[float]:
    return page.evaluate(
        """() => [...document.querySelectorAll('[class*=st-key-slide_figure] p')]
            .map(e => parseFloat(getComputedStyle(e).fontSize))"""
    )


def zoomed_to(frame, bounds) -> bool:
    """Whether the map in ``frame`` shows all of ``bounds`` and not much more (the
    kommun is many times wider than one place)."""
    (south, west), (north, east) = bounds
    return frame.evaluate(
        f"""() => {{ const b = window.map.getBounds();
            return b.contains([[{south}, {west}], [{north}, {east}]])
                && b.getEast() - b.getWest() < 20 * ({east} - {west}); }}"""
    )


def test_keys_step_through_the_slides_and_a_reload_stays(app_url, browser, laholm):
    offline = Offline(browser, viewport=(WIDTH, HEIGHT))
    page = offline.page
    try:
        page.goto(f"{app_url}/presentation?kommun=1381")
        shown_slide(page, 1)
        assert small_text(page) == []
        page.keyboard.press("ArrowRight")
        shown_slide(page, 2)
        first = laholm["places"][0]
        assert heading(page) == first
        assert small_text(page) == []
        assert figure_sizes(page) and min(figure_sizes(page)) >= 64
        assert not page.locator('[data-testid="stSidebar"]').is_visible()

        frame_element = page.wait_for_selector("iframe[title*='st_folium']", timeout=60_000)
        frame = frame_element.content_frame()
        frame.wait_for_function("() => window.map !== undefined", timeout=30_000)
        box = frame_element.bounding_box()
        assert box["width"] * box["height"] >= 0.55 * WIDTH * HEIGHT, box
        assert box["y"] + box["height"] <= HEIGHT
        assert zoomed_to(frame, place_bounds(laholm["frame"], first)), "not zoomed to the place"
        screenshot(page, "presentation_place.png")

        page.keyboard.press("PageDown")
        shown_slide(page, 3)
        assert heading(page) == laholm["places"][1]
        page.reload()
        shown_slide(page, 3)
        assert heading(page) == laholm["places"][1]
        page.keyboard.press("ArrowLeft")
        shown_slide(page, 2)
        page.keyboard.press("PageUp")
        shown_slide(page, 1)
        page.keyboard.press("End")
        shown_slide(page, len(laholm["places"]) + 2)
        assert small_text(page) == []
        page.keyboard.press("Home")
        shown_slide(page, 1)
        # For the mouse: Nästa steps as the keys do.
        page.get_by_role("button", name=t("presentation.next")).click()
        shown_slide(page, 2)
        page.get_by_role("heading", name=laholm["places"][0]).wait_for(timeout=60_000)
        frame = page.wait_for_selector("iframe[title*='st_folium']").content_frame()
        bounds = place_bounds(laholm["frame"], laholm["places"][0])
        frame.wait_for_function(
            f"() => window.map && window.map.getBounds().contains({bounds})", timeout=30_000
        )
        assert zoomed_to(frame, bounds)
        assert offline.external == []
        assert offline.errors == []
    finally:
        offline.context.close()


@pytest.mark.parametrize("bild", ["1", "2", "99"])
def test_a_slide_has_no_serious_accessibility_violations(app_url, browser, bild):
    from tests.test_accessibility import axe_results, blocking, describe

    offline = Offline(browser, viewport=(WIDTH, HEIGHT))
    page = offline.page
    try:
        page.goto(f"{app_url}/presentation?kommun=1381&bild={bild}")
        page.wait_for_function("() => window.__tryggSlides && window.__tryggSlideKey")
        frame = page.wait_for_selector("iframe[title*='st_folium']", timeout=60_000)
        frame.content_frame().wait_for_function("() => window.map !== undefined")
        page.wait_for_timeout(1000)
        found = []
        for each in page.frames:
            where = "main" if each == page.main_frame else f"frame {each.url.split('?')[0]}"
            found += [(where, v) for v in blocking(axe_results(each)["violations"])]
        assert found == [], describe(found)
        assert offline.external == []
    finally:
        offline.context.close()
