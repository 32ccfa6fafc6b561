"""End to end: a coordinator logs in to the real dashboard in headless Chromium, offline.

The visitor without a login sees the map but no import page and no public switch; a
wrong password changes nothing; the right one brings the import page with its upload
and rollback controls. Every request to a host other than this machine is aborted and
recorded (tests/browser_harness.py).
"""

from __future__ import annotations

import pytest

from tests import browser_harness as harness
from tests.browser_harness import Offline
from trygg import auth, store

pytestmark = harness.BROWSER_MARKS
NAME, PASSWORD = "samordnare", "samordnarens-lösenord"
WAIT_MS = 60_000


@pytest.fixture(scope="module")
def login_app_url(demo_db, tmp_path_factory):
    """The real app on a copy of the demo database holding the coordinator of Laholm."""
    db = tmp_path_factory.mktemp("login") / "demo.sqlite"
    db.write_bytes(demo_db.read_bytes())
    engine = store.make_engine(str(db))
    auth.add_user(engine, NAME, PASSWORD, kommuner=["1381"])
    engine.dispose()
    with harness.streamlit_app(db, host="localhost") as base_url:
        yield base_url


browser = harness.browser_fixture()


def _nav_link(page, title: str):
    return page.get_by_test_id("stSidebarNav").get_by_role("link", name=title)


def _log_in(page, password: str) -> None:
    page.get_by_label("Användarnamn").fill(NAME)
    page.get_by_label("Lösenord", exact=True).fill(password)
    page.get_by_role("button", name="Logga in").click()


def test_only_a_logged_in_coordinator_gets_the_import_page(login_app_url, browser):
    offline = Offline(browser)
    page = offline.page
    page.goto(f"{login_app_url}/?kommun=1381", wait_until="domcontentloaded")
    page.get_by_text("Trygghetskartan – Laholm").wait_for(timeout=WAIT_MS)
    _nav_link(page, "Logga in").wait_for(timeout=WAIT_MS)
    assert _nav_link(page, "Importera enkät").count() == 0
    assert page.get_by_text("Publik visning (projektor)").count() == 0
    page.goto(f"{login_app_url}/importera?kommun=1381", wait_until="domcontentloaded")
    page.get_by_text("Logga in som samordnare för att importera filer för Laholm.").wait_for(
        timeout=WAIT_MS
    )
    assert page.get_by_test_id("stFileUploader").count() == 0
    assert page.get_by_role("button", name="Rulla tillbaka").count() == 0

    _nav_link(page, "Logga in").click()
    page.get_by_text("Logga in som samordnare").wait_for(timeout=WAIT_MS)
    _log_in(page, "fel-lösenord-helt")
    page.get_by_text("Fel användarnamn eller lösenord.").wait_for(timeout=WAIT_MS)
    assert _nav_link(page, "Importera enkät").count() == 0

    _log_in(page, PASSWORD)
    page.get_by_text("Inloggad som samordnare (kommun 1381).").wait_for(timeout=WAIT_MS)
    _nav_link(page, "Importera enkät").click()
    page.get_by_text("Importera enkät – Laholm").wait_for(timeout=WAIT_MS)
    page.get_by_test_id("stFileUploader").wait_for(timeout=WAIT_MS)
    assert page.get_by_role("button", name="Rulla tillbaka").count() >= 2
    assert page.get_by_test_id("stSidebar").get_by_text("Inloggad: samordnare").count() == 1

    _nav_link(page, "Karta").click()
    page.get_by_text("Publik visning (projektor)").wait_for(timeout=WAIT_MS)
    page.get_by_role("button", name="Logga ut").click()
    page.get_by_text("Du är utloggad.").wait_for(timeout=WAIT_MS)
    _nav_link(page, "Importera enkät").wait_for(state="detached", timeout=WAIT_MS)
    page.get_by_text("Publik visning (projektor)").wait_for(state="detached", timeout=WAIT_MS)
    assert offline.external == []
    assert offline.errors == []
    offline.context.close()
