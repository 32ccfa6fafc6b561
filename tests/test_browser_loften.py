"""The Löften page in headless Chromium, with every non-localhost request cut off.

The app is started as in tests/test_browser.py (whose offline browser context this
reuses); screenshots go to tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter

import pytest

from tests.conftest import run_cli
from tests.test_browser import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    REPO,
    Offline,
    _free_port,
    _wait_for_health,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed"),
]
#: Streamlit texts that must not leak into the Swedish page.
ENGLISH_WIDGET_TEXTS = ("Choose an option", "Select all", "Upload")


@pytest.fixture(scope="module")
def app_url(demo_db, tmp_path_factory):
    port = _free_port()
    log = (tmp_path_factory.mktemp("streamlit") / "streamlit.log").open("w")
    env = {**os.environ, "TRYGG_DB": str(demo_db), "TRYGG_TILES": "none"}
    command = [sys.executable, "-m", "streamlit", "run", "dashboard/app.py"]
    options = ["--server.headless", "true", "--server.port", str(port)]
    server = subprocess.Popen(
        [*command, *options], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_for_health(base_url, server)
        yield base_url
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


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
    ARTIFACTS.mkdir(exist_ok=True)
    link.first.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "karta_commitments_panel.png"))
    link.first.click()
    page.get_by_text("Medborgarlöften i Laholm").wait_for(timeout=60_000)
    page.get_by_text("avslutat 2025-12-31").first.wait_for(timeout=30_000)
    page.wait_for_timeout(1000)
    assert "/loften" in page.url and "plats=Stadsparken" in page.url
    page.screenshot(path=str(ARTIFACTS / "loften_laholm_stadsparken.png"), full_page=True)

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
    page.screenshot(path=str(ARTIFACTS / "loften_laholm.png"), full_page=True)
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
    page.screenshot(path=str(ARTIFACTS / "loften_laholm_en.png"), full_page=True)
    assert offline.errors == []
    offline.context.close()
