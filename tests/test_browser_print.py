"""Printing the place page (Ctrl+P): at most two A4 pages, no sidebar and no widgets.

Chromium's own PDF print of the real page, with every request off this machine aborted;
the pages and their text are read back with pypdf.
"""

from __future__ import annotations

import io

import pytest

from tests import browser_harness as harness
from tests.browser_harness import Offline
from trygg.strings import t

pytestmark = harness.BROWSER_MARKS


@pytest.fixture(scope="module")
def app_url(demo_db):
    with harness.streamlit_app(demo_db) as base_url:
        yield base_url


browser = harness.browser_fixture()


def test_the_place_page_prints_on_two_a4_pages_without_the_sidebar(app_url, browser):
    from pypdf import PdfReader

    offline = Offline(browser, viewport=(1400, 900))
    page = offline.page
    page.goto(f"{app_url}/plats?kommun=1381&plats=Stadsparken", wait_until="domcontentloaded")
    page.get_by_text(t("dash.print_kommun_wide", n=0).split("0")[0], exact=False).first.wait_for(
        state="attached", timeout=90_000
    )
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000
    )
    page.wait_for_timeout(2000)
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4", prefer_css_page_size=True)))
    assert 1 <= len(pdf.pages) <= 2
    for sheet in pdf.pages:
        width, height = float(sheet.mediabox.width), float(sheet.mediabox.height)
        assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = "".join(sheet.extract_text() for sheet in pdf.pages)
    assert "Stadsparken" in text
    for sidebar in (t("dash.language"), t("dash.tiles"), t("dash.layers"), t("dash.download_html")):
        assert sidebar not in text
    assert t("dash.kommun_wide") not in text  # the kommun-wide list is named, not printed
    assert offline.external == []
