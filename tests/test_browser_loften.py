"""The Löften page in headless Chromium, with every non-localhost request cut off.

The app, the browser and its offline context come from tests/browser_harness.py;
screenshots go to tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

import json
from collections import Counter

import pytest

from tests import browser_harness as harness
from tests.browser_harness import Offline, screenshot
from tests.conftest import run_cli

pytestmark = harness.BROWSER_MARKS
#: Streamlit texts that must not leak into the Swedish page.
ENGLISH_WIDGET_TEXTS = ("Choose an option", "Select all", "Upload")


@pytest.fixture(scope="module")
def app_url(demo_db):
    with harness.streamlit_app(demo_db) as base_url:
        yield base_url


browser = harness.browser_fixture()


def streamlit_probe(failed: str) -> bool:
    """Streamlit's own first try of its endpoints under a page's path (``/loften/_stcore/
    health``, ``host-config``) before the root: a 404 it expects and recovers from."""
    return failed.startswith("404 ") and "/loften/_stcore/" in failed


def laholm_statuses(demo_db) -> Counter:
    result = run_cli("--db", str(demo_db), "commitments", "--kommun", "1381", "--format", "json")
    assert result.returncode == 0, result.stderr
    return Counter(item["status"] for item in json.loads(result.stdout))


def metric_values(page) -> dict[str, str]:
    return page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('[data-testid="stMetric"]')]
            .map(m => [m.querySelector('[data-testid="stMetricLabel"]').innerText.trim(),
                       m.querySelector('[data-testid="stMetricValue"]').innerText.trim()]))"""
    )


def test_laholm_loften_offline_from_the_map_link(app_url, browser, demo_db):
    offline = Offline(browser)
    page = offline.page
    page.goto(f"{app_url}/?kommun=1381&plats=Stadsparken", wait_until="domcontentloaded")
    link = page.get_by_role("link", name="på sidan Löften")
    link.first.wait_for(timeout=60_000)
    link.first.scroll_into_view_if_needed()
    screenshot(page, "karta_commitments_panel.png")
    link.first.click()
    page.get_by_text("Medborgarlöften i Laholm").wait_for(timeout=60_000)
    page.get_by_text("avslutat 2025-12-31").first.wait_for(timeout=30_000)
    page.wait_for_timeout(1000)
    assert "/loften" in page.url and "plats=Stadsparken" in page.url
    screenshot(page, "loften_laholm_stadsparken.png", full_page=True)

    page.goto(f"{app_url}/loften?kommun=1381", wait_until="domcontentloaded")
    page.get_by_text("Medborgarlöften i Laholm").wait_for(timeout=60_000)
    page.get_by_text("avslutat 2025-12-31").first.wait_for(timeout=30_000)
    page.wait_for_timeout(1000)
    expected = laholm_statuses(demo_db)
    assert metric_values(page) == {
        "Genomförda": str(expected["genomförd"]),
        "Pågår": str(expected["pågår"]),
        "Ej påbörjade": str(expected["ej påbörjad"]),
        "Inställda": str(expected["inställd"]),
    }
    text = page.inner_text("body")
    assert not [leak for leak in ENGLISH_WIDGET_TEXTS if leak in text]
    assert page.locator("[data-testid='stDownloadButton']").count() == 2
    screenshot(page, "loften_laholm.png", full_page=True)
    assert offline.errors == []
    assert [url for url in offline.failed_local if not streamlit_probe(url)] == []
    offline.context.close()


def test_loften_in_english(app_url, browser):
    offline = Offline(browser)
    page = offline.page
    page.goto(f"{app_url}/loften?kommun=1381&lang=en", wait_until="domcontentloaded")
    page.get_by_text("Citizen promises in Laholm").wait_for(timeout=60_000)
    page.get_by_text("ended 2025-12-31").first.wait_for(timeout=30_000)
    page.wait_for_timeout(1000)
    assert set(metric_values(page)) == {"Done", "Ongoing", "Not started", "Cancelled"}
    text = page.inner_text("[data-testid='stMain']")
    assert "Filter" in text or "Party" in text
    for swedish in ("Genomförda", "Ladda ner", "Uppföljningar, senaste först", "avslutat"):
        assert swedish not in text
    screenshot(page, "loften_laholm_en.png", full_page=True)
    assert offline.errors == []
    offline.context.close()
