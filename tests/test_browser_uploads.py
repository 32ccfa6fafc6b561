"""End to end: hostile files uploaded through the real dashboard cannot stop it.

A coordinator logs in to the dashboard in headless Chromium (no outside requests) and
uploads, one after the other, every hand-made hostile survey file of
:mod:`tests.hostile_files` (a sparse sheet declaring XFD1048576, a cell at ZZ200000,
a zip bomb, NUL bytes, 100 000 columns, absurd numbers …). After each, the page shows
one Swedish sentence naming what is wrong and no traceback, the server process is
still running, and its health check answers; finally a valid file still imports.
"""

from __future__ import annotations

import subprocess
import urllib.request

import pytest

from tests import browser_harness as harness
from tests.browser_harness import Offline, screenshot
from tests.hostile_files import hostile_files, seeds
from trygg import auth, store

pytestmark = harness.BROWSER_MARKS
NAME, PASSWORD = "samordnare", "samordnarens-lösenord"
WAIT_MS = 90_000
MIME = {
    "csv": "text/csv",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@pytest.fixture(scope="module")
def server(demo_db, tmp_path_factory):
    """The real app on a copy of the demo database, with a coordinator of Laholm."""
    db = tmp_path_factory.mktemp("uploads") / "demo.sqlite"
    db.write_bytes(demo_db.read_bytes())
    engine = store.make_engine(str(db))
    auth.add_user(engine, NAME, PASSWORD, kommuner=["1381"])
    engine.dispose()
    with harness.streamlit_server(db, host="localhost") as (base_url, process):
        yield base_url, process


browser = harness.browser_fixture()


def _alive(base_url: str, process: subprocess.Popen) -> bool:
    if process.poll() is not None:
        return False
    with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=10) as answer:
        return answer.status == 200


def _upload(page, name: str, data: bytes, *expected: str) -> str:
    """Upload one file; return the outcome the page shows once it names one of ``expected``."""
    page.locator("input[type=file]").set_input_files(
        files=[{"name": name, "mimeType": MIME[name.rsplit(".", 1)[-1]], "buffer": data}]
    )
    page.get_by_test_id("stFileUploader").get_by_text(name).wait_for(timeout=WAIT_MS)
    page.get_by_role("button", name="Importera", exact=True).click()
    alerts = (
        page.get_by_test_id("stAlertContentError")
        .or_(page.get_by_test_id("stAlertContentWarning"))
        .or_(page.get_by_test_id("stAlertContentSuccess"))
    )
    outcome = alerts.filter(has_text=expected[0])
    for text in expected[1:]:
        outcome = outcome.or_(alerts.filter(has_text=text))
    try:
        outcome.first.wait_for(timeout=WAIT_MS)
    except Exception:
        screenshot(page, f"upload-{name}.png", full_page=True)
        raise
    return outcome.first.inner_text()


def test_no_uploaded_file_stops_the_dashboard(server, browser):
    base_url, process = server
    offline = Offline(browser)
    page = offline.page
    page.goto(f"{base_url}/logga-in?kommun=1381", wait_until="domcontentloaded")
    page.get_by_label("Användarnamn").fill(NAME)
    page.get_by_label("Lösenord", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.get_by_text("Inloggad som samordnare").first.wait_for(timeout=WAIT_MS)
    files = [f for f in hostile_files("http://localhost:9/") if f.importer == "survey"]
    files = [f for f in files if f.name.rsplit(".", 1)[-1] in MIME]
    assert len(files) >= 8
    page.get_by_role("link", name="Importera enkät").click()
    page.get_by_test_id("stFileUploader").wait_for(timeout=WAIT_MS)
    for number, hostile in enumerate(files):
        # A new, short name each time, so the page's answer can be told from the one
        # before (the uploader shortens long names).
        name = f"f{number:02d}.{hostile.name.rsplit('.', 1)[-1]}"
        text = _upload(page, name, hostile.data, name, hostile.expect)
        assert _alive(base_url, process), f"the dashboard died on {hostile.name}"
        assert "Traceback" not in page.content(), hostile.name
        assert "Ett oväntat fel" not in text, (hostile.name, text)
    valid, _kind = seeds()["enkat.csv"]
    assert "är inläst" in _upload(page, "ny.csv", valid, "ny.csv")
    assert _alive(base_url, process)
    assert offline.external == []
    offline.context.close()
