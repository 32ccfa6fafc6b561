"""The dashboard driven through Streamlit's AppTest, on a real demo database.

Only the third-party map component is replaced (it needs a browser): a fake
``st_folium`` records what the page hands it and answers like the real one after a
click. tests/test_browser.py covers the real component.
"""

from __future__ import annotations

import socket
from pathlib import Path
from unittest.mock import patch

import pytest
from streamlit.testing.v1 import AppTest

from trygg import maps, places, store

REPO = Path(__file__).resolve().parents[1]
APP = str(REPO / "dashboard" / "app.py")
POLICE_PROMISE = "synas i hela kommunen med prioritering på de utpekade områdena"
KOMMUN_WIDE_PROMISE = (
    "samverka och arbeta brottsförebyggande riktat till ungdomar mellan 12 och 24 år"
)


class FakeMap:
    """Stands in for ``streamlit_folium.st_folium``; returns ``answer`` on every run."""

    def __init__(self, answer: dict | None = None):
        self.answer = answer
        self.calls: list[tuple] = []

    def __call__(self, fmap, **kwargs):
        self.calls.append((fmap, kwargs))
        return self.answer


@pytest.fixture
def laholm_ids(demo_db) -> dict[str, int]:
    engine = store.make_engine(str(demo_db))
    frame = places.load_places(engine, "1381")
    engine.dispose()
    return dict(zip(frame["name"], frame["id"].astype(int), strict=True))


@pytest.fixture
def app_env(monkeypatch, demo_db):
    monkeypatch.setenv("TRYGG_DB", str(demo_db))
    monkeypatch.setenv("TRYGG_TILES", "none")


def run_app(fake: FakeMap | None = None, **query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    with patch("streamlit_folium.st_folium", fake or FakeMap()):
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def flat(node) -> list[tuple[str, object]]:
    """The page's elements in reading order, as (type, value) pairs."""
    out = []
    for child in getattr(node, "children", {}).values():
        out.append((child.type, getattr(child, "value", None)))
        out.extend(flat(child))
    return out


def section(at: AppTest, subheader: str) -> list[str]:
    """The markdown texts between ``subheader`` and the next subheader or header."""
    items = flat(at.main)
    start = items.index(("subheader", subheader))
    texts = []
    for kind, value in items[start + 1 :]:
        if kind in {"subheader", "header"}:
            break
        if kind == "markdown":
            texts.append(str(value))
    return texts


def test_default_kommun_is_laholm(app_env):
    at = run_app()
    assert at.title[0].value == "Trygghetskartan – Laholm"
    assert at.sidebar.selectbox[0].value == "1381"
    assert at.query_params["kommun"] == "1381"
    assert at.header[0].value == "Åtaganden i Laholm"


def test_kommun_in_url_selects_varnamo(app_env):
    at = run_app(kommun="0683")
    assert at.title[0].value == "Trygghetskartan – Värnamo"
    assert at.sidebar.selectbox[0].value == "0683"


def test_kommun_selector_writes_the_url(app_env):
    at = run_app(plats="Stadsparken")
    with patch("streamlit_folium.st_folium", FakeMap()):
        at.sidebar.selectbox[0].set_value("1278").run()
    assert at.query_params["kommun"] == "1278"
    assert "plats" not in at.query_params
    assert at.title[0].value == "Trygghetskartan – Båstad"


def _click_by_properties(ids: dict[str, int]) -> dict:
    feature = {"type": "Feature", "properties": {"place_id": ids["Stadsparken"]}}
    return {"last_active_drawing": feature, "last_object_clicked": {"lat": 56.509, "lng": 13.038}}


def _click_by_tooltip(_ids: dict[str, int]) -> dict:
    return {
        "last_active_drawing": None,
        "last_object_clicked": {"lat": 56.509, "lng": 13.038},
        "last_object_clicked_tooltip": "Stadsparken\nPark\nKallas även: Laholms stadspark",
    }


@pytest.mark.parametrize("click", [_click_by_properties, _click_by_tooltip])
def test_click_on_stadsparken_shows_its_commitments(app_env, laholm_ids, click):
    at = run_app(FakeMap(click(laholm_ids)))
    assert at.query_params["plats"] == "Stadsparken"
    assert at.header[0].value == "Åtaganden för Stadsparken"
    assert at.selectbox(key="plats_select").value == "Stadsparken"
    assert f"**{POLICE_PROMISE}**" in section(at, "Polisen")
    assert f"**{KOMMUN_WIDE_PROMISE}**" in section(at, "Gäller hela kommunen")
    subheaders = [s.value for s in at.subheader]
    assert subheaders.index("Polisen") < subheaders.index("Gäller hela kommunen")


def test_selected_place_goes_to_the_map_as_highlight(app_env):
    fake = FakeMap()
    run_app(fake, plats="Stadsparken")
    _fmap, kwargs = fake.calls[-1]
    highlight = kwargs["feature_group_to_add"]
    assert len(highlight._children) == 2
    assert kwargs["returned_objects"] and "last_active_drawing" in kwargs["returned_objects"]


def test_alias_in_url_preselects_the_place(app_env):
    at = run_app(plats="glänninge")
    assert at.header[0].value == "Åtaganden för Glänningeområdet"
    assert at.query_params["plats"] == "Glänningeområdet"


def test_unknown_place_in_url_is_named(app_env):
    at = run_app(plats="Atlantis")
    assert any("Atlantis" in w.value for w in at.warning)
    assert at.header[0].value == "Åtaganden i Laholm"


def test_place_list_returns_to_the_whole_kommun(app_env):
    at = run_app(plats="Stadsparken")
    with patch("streamlit_folium.st_folium", FakeMap()):
        at.selectbox(key="plats_select").set_value("").run()
    assert "plats" not in at.query_params
    assert at.header[0].value == "Åtaganden i Laholm"


def test_demo_follow_ups_are_marked_synthetic(app_env):
    at = run_app(plats="Stadsparken")
    assert any("syntetiska demodata" in c.value for c in at.caption)
    assert any("(syntetiska demodata)" in text for text in section(at, "Polisen"))


def test_tile_switch_puts_osm_on_the_map(app_env):
    fake = FakeMap()
    at = run_app(fake)
    assert at.sidebar.radio[0].value == "off"
    assert maps.OSM_URL not in fake.calls[-1][0].get_root().render()
    with patch("streamlit_folium.st_folium", fake):
        at.sidebar.radio[0].set_value("on").run()
    assert maps.OSM_URL in fake.calls[-1][0].get_root().render()
    assert "Bakgrundskarta: OpenStreetMap." in [c.value for c in at.sidebar.caption]


def test_auto_mode_without_an_answering_tile_server_draws_no_basemap(app_env, monkeypatch):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    url = f"http://127.0.0.1:{closed}/{{z}}/{{x}}/{{y}}.png"
    monkeypatch.setenv("TRYGG_TILES", url)
    fake = FakeMap()
    at = run_app(fake)
    assert at.sidebar.radio[0].value == "on"
    assert url in fake.calls[-1][0].get_root().render()
    with patch("streamlit_folium.st_folium", fake):
        at.sidebar.radio[0].set_value("auto").run()
    assert url not in fake.calls[-1][0].get_root().render()
    assert any("kartservern svarar inte" in c.value for c in at.sidebar.caption)


def test_missing_database_says_how_to_create_it(monkeypatch, tmp_path):
    missing = tmp_path / "finns-inte.sqlite"
    monkeypatch.setenv("TRYGG_DB", str(missing))
    at = run_app()
    message = at.warning[0].value
    assert "make run" in message and "trygg --db" in message
    assert not missing.exists()


def test_empty_database_says_how_to_fill_it(monkeypatch, engine, tmp_path):
    monkeypatch.setenv("TRYGG_DB", str(tmp_path / "trygg.sqlite"))
    at = run_app()
    assert "inga platser" in at.warning[0].value
