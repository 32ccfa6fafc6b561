"""No console errors: the four public pages in headless Chromium, offline.

Every console message of type "error" and every uncaught exception ("pageerror") is
recorded, from the main document and from the map's component frame alike (Playwright
reports both through the page). Only Streamlit's own messages listed in
:data:`STREAMLIT_OWN` are let through, by their exact text and the address they concern.
Screenshots go to tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

import re

import pytest

from tests import browser_harness as harness
from tests.browser_harness import Offline, screenshot
from tests.test_accessibility import PAGES, open_rendered

pytestmark = harness.BROWSER_MARKS
#: Streamlit's own console errors, each (exact text, address it concerns). On a page
#: below the root (``/plats``) Streamlit's frontend first asks for its endpoints under
#: that path, as if the app were served there, and falls back to the root when they
#: answer 404; the browser logs each of those two probes as an error. (Its sandbox
#: warning for component frames, "An iframe which has both allow-scripts and
#: allow-same-origin …", is a warning and not counted.)
PROBE = re.compile(r"^http://127\.0\.0\.1:\d+/[a-z-]+/_stcore/(health|host-config)$")
STREAMLIT_OWN = [
    ("Failed to load resource: the server responded with a status of 404 (Not Found)", PROBE),
]
#: Logged from inside the map's frame by the test, to show that its errors are heard.
MARK = "trygg-console-test"


@pytest.fixture(scope="module")
def app_url(demo_db):
    with harness.streamlit_app(demo_db) as base_url:
        yield base_url


browser = harness.browser_fixture()


def streamlit_own(text: str, url: str) -> bool:
    return any(text == known and pattern.match(url) for known, pattern in STREAMLIT_OWN)


def test_allow_list_is_narrow():
    text, _pattern = STREAMLIT_OWN[0]
    assert streamlit_own(text, "http://127.0.0.1:8501/plats/_stcore/health")
    assert not streamlit_own(text, "http://127.0.0.1:8501/app/static/vendor/leaflet.js")
    assert not streamlit_own("Uncaught TypeError: x is undefined", "http://127.0.0.1:8501/")


@pytest.mark.parametrize("name", list(PAGES))
def test_page_logs_no_console_error(app_url, browser, name):
    offline = Offline(browser)
    page = offline.page
    logged: list[tuple[str, str, str]] = []
    page.on(
        "console",
        lambda message: logged.append((message.type, message.text, message.location["url"])),
    )
    open_rendered(page, f"{app_url}{PAGES[name]}")
    for frame in page.frames[1:]:
        frame.evaluate(f"() => console.error('{MARK}')")
    page.wait_for_timeout(1_000)
    screenshot(page, f"console_{name}.png")
    frames = len(page.frames)
    offline.context.close()

    errors = [(text, url) for kind, text, url in logged if kind == "error"]
    assert frames >= (2 if name in {"karta", "plats"} else 1), "the map frame"
    assert sum(text == MARK for text, _url in errors) == frames - 1, "the frames are heard"
    assert [e for e in errors if e[0] != MARK and not streamlit_own(*e)] == []
    assert offline.errors == []  # uncaught exceptions
    assert [f for f in offline.failed_local if not PROBE.match(f.split(" ", 1)[1])] == []
