"""Accessibility: axe-core on the four public pages, in Swedish and English, offline.

The real app is started once for the module, as ``make run`` does, and every request to
a host other than this machine is aborted (tests/browser_harness.py). Each page is opened
in headless Chromium and left to render (Streamlit's script no longer running, no
skeleton or stale element in the main area, the map's polygons drawn); then axe-core
(the copy that the PyPI package ``axe-playwright-python`` ships) runs in the main
document and, separately, in every frame: the map is an ``st_folium`` component frame.
A page passes with no violation of impact "serious" or "critical"; text contrast is
axe's ``color-contrast`` rule (serious, 4.5:1 for body text), which must also have
found text to check, with large text held to 4.5:1 too (:func:`blocking`). Screenshots
go to tests/artifacts/ (git-ignored).

The theme's own colours are checked without a browser as well, by the WCAG formula.
"""

from __future__ import annotations

import re
import sys
import tomllib

import pytest

from tests import browser_harness as harness
from tests.browser_harness import REPO, Offline, screenshot

sys.path.insert(0, str(REPO / "dashboard"))
import markup  # the dashboard's own folder, as Streamlit runs it

pytestmark = harness.BROWSER_MARKS
PAGES = {
    "karta": "/?kommun=1381",
    "plats": "/plats?kommun=1381&plats=Stadsparken",
    "jamfor": "/jamfor?kommun=1381",
    "loften": "/loften?kommun=1381",
}
BLOCKING = {"serious", "critical"}
WAIT_MS = 60_000
#: Streamlit has finished the run and drawn every element of the main area.
RENDERED = """() => {
    const app = document.querySelector("[data-testid='stApp']");
    const main = document.querySelector("[data-testid='stMain']");
    return !!app && app.dataset.testScriptState === 'notRunning' && !!main &&
        !!main.querySelector('h1') &&
        !main.querySelector("[data-testid='stSkeleton'], [data-stale='true']");
}"""


@pytest.fixture(scope="module")
def app_url(demo_db):
    with harness.streamlit_app(demo_db) as base_url:
        yield base_url


browser = harness.browser_fixture()


def open_rendered(page, url: str) -> None:
    """Open ``url`` and wait until the page and every map in it are drawn.

    A page often reruns once after its first run (the choices written into the
    address), so the rendered state must hold again after a short pause.
    """
    page.goto(url, wait_until="domcontentloaded")
    for _ in range(2):
        page.wait_for_function(RENDERED, timeout=WAIT_MS)
        for element in page.query_selector_all("iframe[title*='st_folium']"):
            frame = element.content_frame()
            frame.wait_for_function("() => window.L !== undefined", timeout=WAIT_MS)
            frame.wait_for_selector("path.leaflet-interactive", state="attached", timeout=WAIT_MS)
        page.wait_for_timeout(1_000)


def axe_results(frame) -> dict:
    """axe-core's results for one document, its frames left out (each is run on its own)."""
    from axe_playwright_python.base import AXE_SCRIPT

    frame.evaluate(AXE_SCRIPT)
    return frame.evaluate(
        """async () => await axe.run(document, {iframes: false, resultTypes: ['violations'],
            rules: {'color-contrast-enhanced': {enabled: true}}})"""
    )


def blocking(violations: list[dict]) -> list[dict]:
    """The serious and critical violations, with every text held to 4.5:1.

    axe's ``color-contrast`` asks 4.5:1 of body text but only 3:1 of large text; its
    AAA rule ``color-contrast-enhanced`` asks 4.5:1 of large text (and 7:1 of the
    rest, which is not our target), so only its large-text nodes are kept.
    """
    found = []
    for violation in violations:
        if violation["id"] == "color-contrast-enhanced":
            nodes = [node for node in violation["nodes"] if _expected_ratio(node) == "4.5:1"]
            violation = {**violation, "nodes": nodes} if nodes else None
        if violation is not None and violation["impact"] in BLOCKING:
            found.append(violation)
    return found


def _expected_ratio(node: dict) -> str | None:
    return next(
        (c["data"].get("expectedContrastRatio") for c in node["any"] if c.get("data")), None
    )


def describe(violations: list[tuple[str, dict]]) -> str:
    """Each violation's id, impact, help and first targets, with axe's own summary."""
    lines = []
    for where, violation in violations:
        lines.append(f"{where}: {violation['id']} ({violation['impact']}) {violation['help']}")
        for node in violation["nodes"][:3]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    {node['target']} {summary[:240]}")
    return "\n".join(lines)


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("name", list(PAGES))
def test_page_has_no_serious_violations(app_url, browser, name, lang):
    offline = Offline(browser)
    page = offline.page
    suffix = "&lang=en" if lang == "en" else ""
    open_rendered(page, f"{app_url}{PAGES[name]}{suffix}")
    screenshot(page, f"a11y_{name}_{lang}.png", full_page=True)

    found, contrast_checked = [], False
    for frame in page.frames:
        results = axe_results(frame)
        where = "main" if frame == page.main_frame else f"frame {frame.url.split('?')[0]}"
        found += [(where, v) for v in blocking(results["violations"])]
        checked = {rule["id"] for rule in results["passes"] + results["violations"]}
        contrast_checked |= frame == page.main_frame and "color-contrast" in checked
    frames = len(page.frames)
    offline.context.close()

    assert frames >= (2 if name in {"karta", "plats"} else 1), "the map frame"
    assert contrast_checked, "axe found no text to check for contrast"
    assert not found, describe(found)


def relative_luminance(colour: tuple[float, float, float]) -> float:
    """WCAG 2 relative luminance of an sRGB colour with channels 0–255."""
    linear = [
        c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
        for c in (channel / 255 for channel in colour)
    ]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first, second) -> float:
    lighter, darker = sorted(map(relative_luminance, (first, second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))


def over(colour, background, alpha: float) -> tuple[float, float, float]:
    """``colour`` at ``alpha`` opacity drawn over ``background``."""
    return tuple(alpha * c + (1 - alpha) * b for c, b in zip(colour, background, strict=True))


def test_contrast_formula_matches_known_pairs():
    assert contrast(rgb("#000000"), rgb("#ffffff")) == pytest.approx(21.0)
    assert contrast(rgb("#767676"), rgb("#ffffff")) == pytest.approx(4.54, abs=0.01)
    assert contrast(rgb("#777777"), rgb("#ffffff")) < 4.5  # the classic AA boundary


#: Streamlit's light backgrounds: the page, the sidebar, a widget.
BACKGROUNDS = ("#ffffff", "#f8f8f7", "#f1f0ee")


def test_theme_caption_and_disabled_label_reach_aa():
    """Captions are the text colour at 60 % opacity; disabled labels get markup's grey."""
    theme = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text())["theme"]
    assert theme["baseFontSize"] == 19
    text = rgb(theme["textColor"])
    default_caption = over(rgb("#2f2d2b"), rgb("#ffffff"), 0.6)  # Streamlit's own: 3.9:1
    assert contrast(default_caption, rgb("#ffffff")) < 4.5
    style = markup.page_style()
    disabled = re.search(r"\[disabled\] \{ color: (#[0-9a-f]{6}); \}", style)
    assert disabled, style
    for background in map(rgb, BACKGROUNDS):
        assert contrast(over(text, background, 0.6), background) >= 4.5
        assert contrast(rgb(disabled[1]), background) >= 4.5


def test_every_place_on_the_map_is_reachable_by_keyboard(app_url, browser):
    """The map's places are all in the place list, and the list works from the keyboard:
    focus, type part of a name, Enter, and the place is chosen."""
    offline = Offline(browser)
    page = offline.page
    open_rendered(page, f"{app_url}{PAGES['karta']}")
    frame = page.frames[1]
    on_map = frame.evaluate(
        "() => [...document.querySelectorAll('path.leaflet-interactive[aria-label]')]"
        ".map(path => path.getAttribute('aria-label'))"
    )
    chooser = page.locator(".st-key-plats_select input")
    chooser.focus()
    page.keyboard.press("ArrowDown")
    listed = page.get_by_role("option").all_inner_texts()
    page.keyboard.press("Escape")
    chooser.focus()
    page.keyboard.type("Stadspark")
    page.keyboard.press("Enter")
    page.wait_for_url("**plats=Stadsparken**", timeout=WAIT_MS)
    offline.context.close()

    assert len(on_map) >= 10
    assert set(on_map) <= {name.strip() for name in listed}


def _contrast_node(expected: str) -> dict:
    return {"target": ["h1"], "any": [{"data": {"expectedContrastRatio": expected}}]}


def test_blocking_holds_large_text_to_aa_only():
    large, body = _contrast_node("4.5:1"), _contrast_node("7:1")
    enhanced = {"id": "color-contrast-enhanced", "impact": "serious", "nodes": [large, body]}
    only_body = {**enhanced, "nodes": [body]}
    minor = {"id": "region", "impact": "moderate", "nodes": [body]}
    assert blocking([enhanced]) == [{**enhanced, "nodes": [large]}]
    assert blocking([only_body, minor]) == []
