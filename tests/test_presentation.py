"""The presentation (/presentation): its slides from the core, and the page in AppTest.

The slides are checked on a tiny hand-made case (the order of the löfte's places, the
figures in words, the closing list) and on the demo database against what the promises
and their follow-ups say, worked out here from the stored follow-ups. The page runs in
AppTest with the map component replaced (it needs a browser; see
tests/test_browser_presentation.py for the real one).
"""

from __future__ import annotations

from unittest.mock import patch

import geopandas as gpd
import pytest
from dashboard.markup import PRESENTATION_STYLE, md, presentation_style
from shapely.geometry import box
from streamlit.testing.v1 import AppTest

from tests import test_injection as injection
from tests.test_dashboard import APP, FakeMap
from tests.test_injection import hostile, hostile_env  # noqa: F401  (fixtures)
from trygg import store
from trygg.commitments.listing import list_commitments
from trygg.commitments.store import load_promises
from trygg.pages import slides
from trygg.pages.place import headline
from trygg.stats import report
from trygg.stats.survey_figures import figure_of
from trygg.strings import t, use_language

PAGE = "views/presentation.py"


@pytest.fixture(autouse=True)
def swedish():
    use_language("sv")
    yield
    use_language("sv")


def plain(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u2060", "")


def survey(n, andel=None, low=None, high=None, suppressed=False, vs_rest=None) -> dict:
    return {
        "n": n,
        "andel_otrygga": andel,
        "ki_lag": low,
        "ki_hog": high,
        "suppressed": suppressed,
        "secondary_suppression": False,
        "n_eff": n,
        "vs_rest": vs_rest,
    }


def tiny_figures() -> dict:
    """Three places: Torget published, Parken hidden (n below min_n), Ån without answers."""
    rest = {"rest_andel": 0.2, "diff": 0.1, "p_value": 0.01, "result": "higher"}
    return {
        "kommun": "9999",
        "year": 2024,
        "min_n": 10,
        "k": 3,
        "synthetic": True,
        "places": [
            {
                "place": "Torget",
                "survey": survey(40, 0.3, 0.17, 0.46, vs_rest=rest),
                "incidents": {"total": 12, "suppressed": False},
            },
            {
                "place": "Parken",
                "survey": survey(6, suppressed=True),
                "incidents": {"total": None, "suppressed": True},
            },
            {"place": "Ån", "survey": survey(0), "incidents": {"total": 0, "suppressed": False}},
        ],
    }


def promise(designated: list[str]) -> dict:
    return {
        "title": "Löftet 2024–2025",
        "period": {"from": "2024-01-01", "to": "2025-12-31"},
        "designated_places": designated,
    }


COMMITMENTS = [
    {"party": "polisen", "text": "synas på Torget", "places": ["Torget"], "status": "pågår"},
    {"party": "kommunen", "text": "lampor i Parken", "places": ["Parken"], "status": "genomförd"},
    {"party": "gemensamt", "text": "hela kommunen", "places": [], "status": "ej påbörjad"},
]


def test_place_slides_follow_the_promises_order_between_title_and_closing():
    # Not alphabetical: the order of the document; a name not in the figures is left out.
    shown = slides.slides(tiny_figures(), [promise(["Torget", "Okänd", "Parken"])], COMMITMENTS)
    assert [s["kind"] for s in shown] == ["title", "place", "place", "closing"]
    assert [s.get("place") for s in shown[1:3]] == ["Torget", "Parken"]
    assert shown[0]["promise"] == "Löftet 2024–2025"
    assert shown[0]["places"] == ["Torget", "Parken"] and shown[0]["synthetic"] is True
    assert [c["text"] for c in shown[1]["commitments"]] == ["synas på Torget"]
    assert [c["text"] for c in shown[2]["commitments"]] == ["lampor i Parken"]


def test_the_newest_promise_is_shown():
    older, newer = promise(["Parken"]), {**promise(["Torget"]), "title": "Nytt"}
    shown = slides.slides(tiny_figures(), [older, newer], COMMITMENTS)
    assert shown[0]["promise"] == "Nytt" and shown[1]["place"] == "Torget"


def test_without_a_promise_there_are_a_title_and_a_closing_slide():
    shown = slides.slides(tiny_figures(), [], COMMITMENTS)
    assert [s["kind"] for s in shown] == ["title", "closing"]
    assert shown[0]["promise"] is None


def test_the_closing_slide_lists_every_commitment_with_its_status():
    closing = slides.slides(tiny_figures(), [promise(["Torget"])], COMMITMENTS)[-1]
    assert [(c["text"], c["status"]) for c in closing["commitments"]] == [
        ("synas på Torget", "pågår"),
        ("lampor i Parken", "genomförd"),
        ("hela kommunen", "ej påbörjad"),
    ]


def test_a_published_place_has_three_figures_in_words_with_interval_and_n():
    figures = slides.key_figures(tiny_figures(), "Torget")
    assert len(figures) == 3
    share, versus, incidents = figures
    assert plain(share["value"]) == "30,0 %"
    assert plain(share["text"]) == (
        "30,0 % (17,0–46,0 %) av 40 svarande känner sig otrygga ute sent på kvällen."
    )
    assert "20,0 %" in plain(versus["text"]) and versus["value"] == ""
    assert incidents == {"value": "12", "text": "12 anmälda händelser på platsen under 2024."}


def test_a_hidden_share_shows_no_number_and_a_small_count_stays_hidden():
    share, incidents = slides.key_figures(tiny_figures(), "Parken")
    assert share["value"] == ""
    assert "%" not in share["text"] and "6 svarande" in share["text"]
    assert incidents["value"] == "färre än 3"
    # No answers at all: no survey sentence, only the incidents.
    assert [plain(f["text"]) for f in slides.key_figures(tiny_figures(), "Ån")] == [
        "0 anmälda händelser på platsen under 2024."
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1", 1), ("3", 3), ("12", 12), ("13", 12), ("0", 1), ("x", 1), (None, 1)],
)
def test_the_slide_number_stays_inside_the_slides(text, expected):
    assert slides.slide_number(text, 12) == expected


def test_a_place_slide_map_shows_room_around_the_place():
    # A 100 m square at Laholm in SWEREF 99 TM: 400 m on every side.
    square = box(370_000, 6_260_000, 370_100, 6_260_100)
    places = gpd.GeoDataFrame({"name": ["Torget"]}, geometry=[square], crs="EPSG:3006")
    (south, west), (north, east) = slides.slide_bounds(places, "Torget")
    shown = gpd.GeoSeries([box(west, south, east, north)], crs="EPSG:4326").to_crs("EPSG:3006")
    shown_west, shown_south, shown_east, shown_north = shown.total_bounds
    assert shown_west <= 369_600 + 1 and shown_east >= 370_500 - 1
    assert shown_south <= 6_259_600 + 1 and shown_north >= 6_260_500 - 1
    assert 900 <= shown_east - shown_west < 1_000  # the grids are turned a little
    assert slides.slide_bounds(places, "Okänd") is None


@pytest.fixture(scope="module")
def laholm(demo_db):
    engine = store.make_engine(str(demo_db))
    try:
        yield {
            "figures": report.place_figures(engine, "1381", None, public=True),
            "promises": load_promises(engine, "1381"),
            "commitments": list_commitments(engine, "1381"),
        }
    finally:
        engine.dispose()


def latest_status(item: dict) -> str:
    """A commitment's status worked out here: its latest follow-up's, else the stored one."""
    follow_ups = sorted(item["follow_ups"], key=lambda f: f["date"])
    return follow_ups[-1]["status"] if follow_ups else item["status"]


def test_laholm_first_place_slide_is_the_promises_first_designated_place(laholm):
    shown = slides.slides(laholm["figures"], laholm["promises"], laholm["commitments"])
    (promised,) = laholm["promises"]
    assert shown[1]["place"] == promised["designated_places"][0]
    assert [s["place"] for s in shown[1:-1]] == promised["designated_places"]
    expected = [(c["text"], latest_status(c)) for c in promised["commitments"]]
    assert [(c["text"], c["status"]) for c in shown[-1]["commitments"]] == expected
    assert len(shown) == len(promised["designated_places"]) + 2


@pytest.fixture
def app_env(monkeypatch, demo_db):
    monkeypatch.setenv("TRYGG_DB", str(demo_db))
    monkeypatch.setenv("TRYGG_TILES", "none")


def open_presentation(fake: FakeMap, **query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    for key, value in query.items():
        at.query_params[key] = value
    with patch("streamlit_folium.st_folium", fake):
        at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_slide_two_shows_the_first_place_with_its_map(app_env, laholm):
    fake = FakeMap()
    at = open_presentation(fake, kommun="1381", bild="2")
    first = laholm["promises"][0]["designated_places"][0]
    assert at.title[0].value == md(first)
    entry = next(p for p in laholm["figures"]["places"] if p["place"] == first)
    sentence = headline(figure_of(entry["survey"], "andel_otrygga"), laholm["figures"]["min_n"])
    assert md(sentence) in [m.value for m in at.markdown]
    total = len(laholm["promises"][0]["designated_places"]) + 2
    assert md(t("presentation.slide_of", number=2, total=total)) in [m.value for m in at.markdown]
    ((fmap, kwargs),) = fake.calls
    assert kwargs["returned_objects"] == [] and kwargs["height"] >= 900
    assert "fitBounds" in fmap.get_root().render()


def test_a_slide_beyond_the_end_is_the_closing_slide(app_env, laholm):
    at = open_presentation(FakeMap(), kommun="1381", bild="99")
    total = len(laholm["promises"][0]["designated_places"]) + 2
    assert at.query_params["bild"] == str(total)
    assert at.title[0].value == t("presentation.closing")
    texts = "\n".join(m.value for m in at.markdown)
    for item in laholm["commitments"]:
        assert md(item["text"]) in texts


def test_the_title_slide_is_the_first_and_the_figures_are_public(app_env):
    at = open_presentation(FakeMap(), kommun="1381", bild="0")
    assert at.query_params["bild"] == "1"
    assert at.title[0].value == md(t("presentation.title", kommun="Laholm"))
    assert t("presentation.public") in [m.value for m in at.markdown]


def test_the_stylesheet_hides_the_sidebar_and_sets_large_type():
    assert presentation_style() == PRESENTATION_STYLE
    assert '[data-testid="stSidebar"]' in PRESENTATION_STYLE
    assert '[data-testid="stHeader"]' in PRESENTATION_STYLE


@pytest.mark.usefixtures("hostile_env")
def test_the_closing_slide_shows_hostile_commitment_texts_as_typed():
    at = open_presentation(FakeMap(), kommun=injection.KOMMUN, bild="99")
    assert at.title[0].value == t("presentation.closing")
    expected = [*injection.MARKDOWN.values(), *(f"löfte {p}" for p in injection.NAMES)]
    injection.assert_escaped_everywhere(injection.page_texts(at), expected)


@pytest.mark.usefixtures("hostile_env")
def test_the_title_slide_shows_a_hostile_promise_title_as_typed():
    at = open_presentation(FakeMap(), kommun=injection.KOMMUN, bild="1")
    injection.assert_escaped_everywhere(
        injection.page_texts(at), [injection.SECOND_TITLE, injection.ALL]
    )
