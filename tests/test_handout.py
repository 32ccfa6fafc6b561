"""``trygg handout``: the A4 PDF handouts, read back with pypdf."""

from __future__ import annotations

import json
import re
from unittest.mock import patch

import geopandas as gpd
import pytest
from pypdf import PdfReader
from shapely.geometry import box
from streamlit.testing.v1 import AppTest

from tests.conftest import REPO, assert_clean_refusal, run_cli
from tests.survey_fixtures import ADMIN
from trygg import places
from trygg.pages import place as place_page

A4_POINTS = (595.28, 841.89)
#: A share as the pages print it: "32,1 %" (any space before the sign).
SHARE = re.compile(r"\d+,\d\s%")
HOSTILE = ["<img src=x onerror=alert(1)>", "{{7*7}}"]


def plain(text: str) -> str:
    """PDF text with line breaks, no-break spaces and word joiners as single spaces."""
    text = text.replace("\u2060", "").replace("\u00a0", " ").replace("\u202f", " ")
    return re.sub(r"\s+", " ", text)


def handout(tmp_path, db, *args: str) -> PdfReader:
    out = tmp_path / "handout.pdf"
    result = run_cli("--db", str(db), "handout", "--kommun", "1381", *args, "--out", str(out))
    assert result.returncode == 0, result.stderr
    return PdfReader(out)


def page_text(reader: PdfReader) -> str:
    return plain(" ".join(page.extract_text() for page in reader.pages))


def cli_json(db, *args: str):
    result = run_cli("--db", str(db), *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def stadsparken(tmp_path_factory, demo_db) -> PdfReader:
    return handout(tmp_path_factory.mktemp("stadsparken"), demo_db, "--place", "Stadsparken")


def test_place_handout_is_one_a4_page_with_a_map(stadsparken):
    assert len(stadsparken.pages) == 1
    box_ = stadsparken.pages[0].mediabox
    assert float(box_.width) == pytest.approx(A4_POINTS[0], abs=1)
    assert float(box_.height) == pytest.approx(A4_POINTS[1], abs=1)
    assert len(stadsparken.pages[0].images) >= 1


def test_place_handout_has_the_place_pages_share_and_interval(stadsparken, demo_db):
    figures = cli_json(demo_db, "stats", "--kommun", "1381", "--public", "--format", "json")
    survey = place_page.place_survey(figures, "Stadsparken")
    figure = place_page.figure_of(survey, place_page.CORE)
    text = page_text(stadsparken)
    assert "Stadsparken" in text
    assert plain(place_page.headline(figure, figures["min_n"])) in text
    assert plain(place_page.vs_rest_sentence(survey["vs_rest"])) in text


def test_place_handout_lists_each_of_the_places_commitments(stadsparken, demo_db):
    listed = cli_json(
        demo_db, "commitments", "--kommun", "1381", "--place", "Stadsparken", "--format", "json"
    )
    assert listed
    text = page_text(stadsparken)
    for item in listed:
        assert plain(item["text"]) in text


def test_a_place_with_too_few_answers_has_no_share(tmp_path, demo_db):
    figures = cli_json(demo_db, "stats", "--kommun", "1381", "--public", "--format", "json")
    survey = place_page.place_survey(figures, "Hishult")
    assert survey["n"] < figures["min_n"]
    text = page_text(handout(tmp_path, demo_db, "--place", "Hishult"))
    assert "Hishult" in text
    assert SHARE.search(text) is None
    figure = place_page.figure_of(survey, place_page.CORE)
    assert plain(place_page.headline(figure, figures["min_n"])) in text


def test_kommun_handout_has_two_to_four_pages_and_hides_small_places(tmp_path, demo_db):
    reader = handout(tmp_path, demo_db)
    assert 2 <= len(reader.pages) <= 4
    text = page_text(reader)
    assert "Stadsparken" in text and "Hishult för få svar" in text
    assert "syntetiska demodata" in text


def test_kommun_handout_has_the_kommun_trend_chart(tmp_path, demo_db):
    # The kommun page carries the map and the trend of the kommun's share: two images
    # (with their alpha masks), the trend heading, and the survey years on the axis.
    reader = handout(tmp_path, demo_db)
    first = reader.pages[0]
    assert len(first.images) >= 2
    years = cli_json(demo_db, "stats", "--kommun", "1381", "--public", "--format", "json")["years"]
    assert len(years) >= 2
    assert "Andel otrygga år för år" in plain(first.extract_text())


def test_english_handout(tmp_path, demo_db):
    text = page_text(handout(tmp_path, demo_db, "--place", "Stadsparken", "--lang", "en"))
    assert "Safety survey" in text and "The citizen promise" in text


def test_unknown_place_is_refused_in_swedish(tmp_path, demo_db):
    out = tmp_path / "x.pdf"
    result = run_cli(
        "--db",
        str(demo_db),
        "handout",
        "--kommun",
        "1381",
        "--place",
        "Ingenstans",
        "--out",
        str(out),
    )
    assert "Ingenstans" in assert_clean_refusal(result)
    assert not out.exists()


def test_out_is_required(demo_db):
    result = run_cli("--db", str(demo_db), "handout", "--kommun", "1381")
    assert result.returncode == 2
    assert "--out" in result.stderr


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_place_names_stay_literal(tmp_path, engine, name):
    path = tmp_path / "platser.gpkg"
    gpd.GeoDataFrame(
        {"namn": [name, "Granne"]},
        geometry=[box(374000, 6265000, 374400, 6265300), box(374500, 6265000, 374900, 6265400)],
        crs="EPSG:3006",
    ).to_file(path, driver="GPKG")
    places.import_places(engine, path, "1381", name_field="namn", actor=ADMIN)
    db = engine.url.database
    for args in (("--place", name), ()):
        text = page_text(handout(tmp_path, db, *args))
        assert name in text


def test_place_page_offers_the_handout(monkeypatch, demo_db):
    monkeypatch.setenv("TRYGG_DB", str(demo_db))
    monkeypatch.setenv("TRYGG_TILES", "none")
    at = AppTest.from_file(str(REPO / "dashboard" / "app.py"), default_timeout=90)
    at.query_params["kommun"] = "1381"
    at.query_params["plats"] = "Stadsparken"
    with patch("streamlit_folium.st_folium", lambda *args, **kwargs: None):
        at.switch_page("views/plats.py").run()
    assert not at.exception, [e.value for e in at.exception]
    buttons = at.get("download_button")
    assert [b.proto.label for b in buttons if "PDF" in b.proto.label] == [
        "Ladda ner utdelningsblad (PDF)"
    ]


def test_place_chooser_offers_the_kommun_handout(monkeypatch, demo_db):
    monkeypatch.setenv("TRYGG_DB", str(demo_db))
    monkeypatch.setenv("TRYGG_TILES", "none")
    at = AppTest.from_file(str(REPO / "dashboard" / "app.py"), default_timeout=90)
    at.query_params["kommun"] = "1381"
    at.switch_page("views/plats.py").run()
    assert not at.exception, [e.value for e in at.exception]
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Ladda ner utdelningsblad för kommunen (PDF)" in labels
