"""The dashboard driven through Streamlit's AppTest, on a real demo database.

Only the third-party map component is replaced (it needs a browser): a fake
``st_folium`` records what the page hands it and answers like the real one after a
click. tests/test_browser.py covers the real component. Expected figures come from
:func:`trygg.stats.compute_stats` and :mod:`trygg.formatting` directly.
"""

from __future__ import annotations

import html
import re
import socket
from pathlib import Path
from unittest.mock import patch

import pytest
from streamlit.testing.v1 import AppTest

from trygg import auth, formatting, maps, places, scales, store
from trygg.stats import report
from trygg.store import batches
from trygg.strings import t

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


#: The coordinator that tests log in as, of Laholm and Värnamo.
COORDINATOR = "samordnare"
COORDINATOR_PASSWORD = "samordnarens-lösenord"
COORDINATOR_KOMMUNER = ("1381", "0683")


@pytest.fixture
def app_env(monkeypatch, demo_db):
    monkeypatch.setenv("TRYGG_DB", str(demo_db))
    monkeypatch.setenv("TRYGG_TILES", "none")


@pytest.fixture
def coordinator_env(monkeypatch, demo_engine, tmp_path):
    """A private demo database with the coordinator of Laholm and Värnamo in it."""
    auth.add_user(demo_engine, COORDINATOR, COORDINATOR_PASSWORD, kommuner=COORDINATOR_KOMMUNER)
    monkeypatch.setenv("TRYGG_DB", str(tmp_path / "demo.sqlite"))
    monkeypatch.setenv("TRYGG_TILES", "none")
    return demo_engine


def log_in(at: AppTest, name: str = COORDINATOR, password: str = COORDINATOR_PASSWORD) -> AppTest:
    """Fill in and send the login form, as a coordinator would."""
    with patch("streamlit_folium.st_folium", FakeMap()):
        at.switch_page("views/logga_in.py").run()
        at.text_input(key="login_name").input(name)
        at.text_input(key="login_password").input(password)
        at.button(key="FormSubmitter:login_form-Logga in").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def switch(at: AppTest, page: str, fake: FakeMap | None = None) -> AppTest:
    with patch("streamlit_folium.st_folium", fake or FakeMap()):
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


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


def survey_metric(at: AppTest):
    """The survey's core figure in the place panel."""
    return next(m for m in at.metric if m.label == maps.indicator_label("andel_otrygga"))


def tables_by(at: AppTest, first_column: str) -> list:
    """The page's tables whose first column is ``first_column``, indexed by it."""
    return [
        table.value.set_index(first_column)
        for table in at.table
        if table.value.columns[0] == first_column
    ]


def survey_tables(at: AppTest) -> list:
    """The survey's item tables (problems, then worries), indexed by question."""
    return tables_by(at, "Fråga")


def survey_n_line(at: AppTest) -> str:
    """The line under the survey's core figure: "n = 53 · 95 % KI …"."""
    return next(m.value for m in at.markdown if m.value.startswith("n\u00a0="))


def headers(at: AppTest) -> list[str]:
    return [h.value for h in at.header]


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
    assert "Åtaganden i Laholm" in headers(at)


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
    assert "Åtaganden för Stadsparken" in headers(at)
    assert at.selectbox(key="plats_select").value == "Stadsparken"
    # The map page lists the place's first commitments; the Plats page has them all.
    assert any(POLICE_PROMISE in m.value for m in at.markdown)
    assert any(link.proto.page.endswith("loften") for link in at.get("page_link"))


def test_the_place_page_lists_the_place_commitments_by_party_then_kommun_wide(app_env):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["plats"] = "Stadsparken"
    at.switch_page("views/plats.py")
    with patch("streamlit_folium.st_folium", FakeMap()):
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert f"**{POLICE_PROMISE}**" in section(at, "Polisen")
    assert f"**{KOMMUN_WIDE_PROMISE}**" in section(at, "Gäller hela kommunen")
    subheaders = [s.value for s in at.subheader]
    assert subheaders.index("Polisen") < subheaders.index("Gäller hela kommunen")
    assert any("(syntetiska demodata)" in text for text in section(at, "Polisen"))


def test_selected_place_goes_to_the_map_as_highlight(app_env):
    fake = FakeMap()
    run_app(fake, plats="Stadsparken")
    _fmap, kwargs = fake.calls[-1]
    highlight = kwargs["feature_group_to_add"]
    assert len(highlight._children) == 2
    assert kwargs["returned_objects"] and "last_active_drawing" in kwargs["returned_objects"]


def test_alias_in_url_preselects_the_place(app_env):
    at = run_app(plats="glänninge")
    assert "Åtaganden för Glänningeområdet" in headers(at)
    assert at.query_params["plats"] == "Glänningeområdet"


def test_a_deep_link_opens_the_same_view(app_env):
    fake = FakeMap()
    at = run_app(fake, kommun="1381", plats="Stadsparken", visa="problem_nedskrapning", ar="2023")
    assert at.sidebar.selectbox(key="kommun_select").value == "1381"
    assert at.selectbox(key="plats_select").value == "Stadsparken"
    assert at.selectbox(key="metric_select").value == "problem_nedskrapning"
    assert at.selectbox(key="year_select").value == "2023"
    assert "Enkätsvar 2023 – Stadsparken" in headers(at)
    assert "År 2023" in legend_of(fake) and "Problem: Nedskräpning" in legend_of(fake)
    assert dict(at.query_params) == {
        "kommun": "1381",
        "plats": "Stadsparken",
        "visa": "problem_nedskrapning",
        "ar": "2023",
    }


def test_unknown_place_in_url_is_named(app_env):
    at = run_app(plats="Atlantis")
    assert any("Atlantis" in w.value for w in at.warning)
    assert "Åtaganden i Laholm" in headers(at)


def test_place_list_returns_to_the_whole_kommun(app_env):
    at = run_app(plats="Stadsparken")
    with patch("streamlit_folium.st_folium", FakeMap()):
        at.selectbox(key="plats_select").set_value("").run()
    assert "plats" not in at.query_params
    assert "Åtaganden i Laholm" in headers(at)


def test_demo_data_are_marked_synthetic(app_env):
    at = run_app(plats="Stadsparken")
    assert any("syntetiska demodata" in c.value for c in at.caption)


def test_tile_switch_puts_osm_on_the_map(app_env):
    fake = FakeMap()
    at = run_app(fake)
    assert at.sidebar.radio(key="tiles_mode").value == "off"
    assert maps.OSM_URL not in fake.calls[-1][0].get_root().render()
    with patch("streamlit_folium.st_folium", fake):
        at.sidebar.radio(key="tiles_mode").set_value("on").run()
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
    assert at.sidebar.radio(key="tiles_mode").value == "on"
    assert url in fake.calls[-1][0].get_root().render()
    with patch("streamlit_folium.st_folium", fake):
        at.sidebar.radio(key="tiles_mode").set_value("auto").run()
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


# --- survey figures on the map and in the place panel ----------------------------------


@pytest.fixture(scope="module")
def laholm_stats(demo_db) -> dict:
    engine = store.make_engine(str(demo_db))
    figures = {year: report.compute_stats(engine, "1381", year) for year in (2023, 2024)}
    engine.dispose()
    return figures


def place_figures(figures: dict, name: str) -> dict:
    return next(p for p in figures["places"] if p["place"] == name)


def map_tooltips(fake: FakeMap) -> dict[int, str]:
    layer = next(c for c in fake.calls[-1][0]._children.values() if type(c).__name__ == "GeoJson")
    return {f["properties"]["place_id"]: f["properties"]["tooltip"] for f in layer.data["features"]}


def legend_of(fake: FakeMap) -> str:
    legend = next(c for c in fake.calls[-1][0]._children.values() if type(c).__name__ == "_Legend")
    return legend.content


def test_metric_selector_switches_the_choropleth(app_env, laholm_ids, laholm_stats):
    fake = FakeMap()
    at = run_app(fake)
    park = place_figures(laholm_stats[2024], "Stadsparken")["survey"]
    otrygga = formatting.percent(park["andel_otrygga"])
    litter = formatting.percent(park["problem"]["nedskrapning"]["andel"])
    assert otrygga != litter
    assert at.selectbox(key="metric_select").value == "andel_otrygga"
    assert f"<b>{otrygga}</b>" in map_tooltips(fake)[laholm_ids["Stadsparken"]]
    with patch("streamlit_folium.st_folium", fake):
        at.selectbox(key="metric_select").set_value("problem_nedskrapning").run()
    tooltip = map_tooltips(fake)[laholm_ids["Stadsparken"]]
    assert f"<b>{litter}</b>" in tooltip and otrygga not in tooltip
    assert "Problem: Nedskräpning" in legend_of(fake)
    assert at.query_params["visa"] == "problem_nedskrapning"


def test_year_selector_shows_the_earlier_year(app_env, laholm_ids, laholm_stats):
    fake = FakeMap()
    at = run_app(fake, plats="Stadsparken")
    assert at.selectbox(key="year_select").options == ["2024", "2023"]
    assert "År 2024" in legend_of(fake)
    with patch("streamlit_folium.st_folium", fake):
        at.selectbox(key="year_select").set_value("2023").run()
    park = place_figures(laholm_stats[2023], "Stadsparken")["survey"]
    assert "År 2023" in legend_of(fake)
    assert survey_metric(at).value == formatting.percent(park["andel_otrygga"])
    assert "Enkätsvar 2023 – Stadsparken" in headers(at)
    assert at.query_params["ar"] == "2023"


def test_stadsparken_panel_shows_the_figures_of_compute_stats(app_env, laholm_stats):
    at = run_app(plats="Stadsparken")
    park = place_figures(laholm_stats[2024], "Stadsparken")["survey"]
    markdown = [m.value for m in at.markdown]
    assert "Enkätsvar 2024 – Stadsparken" in headers(at)
    assert survey_metric(at).value == formatting.percent(park["andel_otrygga"])
    expected_line = (
        f"{formatting.count(park['n'])} · {formatting.interval(park['ki_lag'], park['ki_hog'])}"
    )
    assert expected_line in markdown
    assert formatting.trend(park["trend"]) in markdown
    assert any("ingen säkerställd förändring" in m for m in markdown)
    problems, worries = survey_tables(at)
    litter = park["problem"]["nedskrapning"]
    assert problems.loc["Nedskräpning"].tolist() == [
        formatting.percent(litter["andel"]),
        formatting.integer(litter["n"]),
        formatting.share_range(litter["ki_lag"], litter["ki_hog"]),
    ]
    assert "Inbrott i bostaden" in worries.index
    assert any("syntetiska demodata" in c.value for c in at.caption)


def test_hishult_with_too_few_answers_shows_no_figure(app_env, laholm_ids, laholm_stats):
    fake = FakeMap()
    at = run_app(fake, plats="Hishult")
    hishult = place_figures(laholm_stats[2024], "Hishult")["survey"]
    assert hishult["suppressed"] and 0 < hishult["n"] < 10
    assert survey_metric(at).value == "för få svar"
    assert formatting.count(hishult["n"]) in [m.value for m in at.markdown]
    assert any("Färre än 10 svar" in c.value for c in at.caption)
    assert not any("procentenheter" in m.value for m in at.markdown)
    tooltip = map_tooltips(fake)[laholm_ids["Hishult"]]
    assert "för få svar" in tooltip and "%" not in tooltip


def test_kommun_headline_stays_and_a_smaller_place_is_hidden_instead(app_env, laholm_stats):
    total = laholm_stats[2024]["kommun_total"]["andel_otrygga"]
    assert not total["suppressed"] and total["n"] >= 10
    at = run_app()
    assert "Enkätsvar 2024 – hela Laholm" in headers(at)
    assert survey_metric(at).value == formatting.percent(total["andel"])
    hidden = [p for p in laholm_stats[2024]["places"] if p["survey"]["secondary_suppression"]]
    assert hidden and hidden[0]["survey"]["n"] >= 10
    at = run_app(plats=hidden[0]["place"])
    assert survey_metric(at).value == "dold för att skydda en liten grupp"
    assert any("avslöja" in c.value for c in at.caption)


def test_kommun_total_is_shown_when_safe(app_env, demo_db):
    engine = store.make_engine(str(demo_db))
    total = report.compute_stats(engine, "1380")["kommun_total"]["andel_otrygga"]
    engine.dispose()
    at = run_app(kommun="1380")
    assert not total["suppressed"]
    assert survey_metric(at).value == formatting.percent(total["andel"])


def test_delivered_results_are_listed_with_their_source(monkeypatch, demo_engine, tmp_path):
    from trygg.importers.survey_results import import_survey_results

    path = tmp_path / "polisen.csv"
    path.write_text(
        "Område;År;Indikator;Värde;Antal svar\nStadsparken;2024;Nedskräpning (index);2,4;120\n",
        encoding="utf-8",
    )
    import_survey_results(
        demo_engine,
        path,
        "1381",
        source="Polisens trygghetsmätning 2024",
        actor=auth.local_admin(),
    )
    monkeypatch.setenv("TRYGG_DB", str(tmp_path / "demo.sqlite"))
    monkeypatch.setenv("TRYGG_TILES", "none")
    at = run_app(plats="Stadsparken")
    assert "Levererade resultat" in [s.value for s in at.subheader]
    assert "**Nedskräpning (index)\\: 2,4 (index 0–6)**" in [m.value for m in at.markdown]
    source = f"Källa\\: Polisens trygghetsmätning 2024 · {formatting.count(120)}"
    assert source in [c.value for c in at.caption]


# --- the upload page -------------------------------------------------------------------

#: Swedish Excel's CSV: Windows-1252, semicolons, CRLF. Row 3 has an answer off the
#: scale, row 4 an unknown place; rows 2 and 5 are fine (row 5 by an alias).
UPLOAD = (
    "Område;År;Trygg kväll;Problem nedskräpning;Kommentar\r\n"
    "Stadsparken;2024;Ganska trygg;Litet problem;Bänkarna är trasiga\r\n"
    "Stadsparken;2024;9;1;\r\n"
    "Atlantis;2024;3;2;\r\n"
    "Glänninge;2024;Mycket otrygg;Ganska stort problem;Mörkt vid ån\r\n"
).encode("cp1252")


@pytest.fixture
def upload_env(coordinator_env):
    return coordinator_env


def open_upload_page(**query: str) -> AppTest:
    """The upload page, as the logged-in coordinator of Laholm and Värnamo sees it."""
    return switch(log_in(run_app(**query)), "views/importera.py")


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader[0].set_value((name, data, "text/csv"))
    at.button(key="FormSubmitter:import_form-Importera").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def all_texts(at: AppTest) -> str:
    return "\n".join(str(value) for _kind, value in flat(at.main))


def test_upload_imports_a_csv_and_lists_the_rejected_rows(upload_env):
    at = upload(open_upload_page(), "enkat.csv", UPLOAD)
    assert at.title[0].value == "Importera enkät – Laholm"
    counts = {m.label: m.value for m in at.metric}
    assert counts == {
        "Rader i filen": "4",
        "Inlästa": "2",
        "Avvisade": "2",
        "Varav okänd plats": "1",
    }
    rejected = at.dataframe[0].value
    assert rejected.columns.tolist() == ["Rad", "Kolumn", "Värde", "Fel"]
    assert rejected["Rad"].tolist() == [3, 4]
    assert rejected["Kolumn"].tolist() == ["Trygg kväll", "Område"]
    assert rejected["Värde"].tolist() == ["9", "Atlantis"]
    assert at.get("download_button")[0].proto.label == "Ladda ner avvisade rader (CSV)"
    assert "Bänkarna" not in all_texts(at) and "Mörkt vid ån" not in all_texts(at)
    newest = batches.list_batches(upload_env, "1381")[0]
    assert (newest["file_name"], newest["rows_accepted"], newest["uploaded_by"]) == (
        "enkat.csv",
        2,
        "samordnare",
    )
    sources = {
        s["file_name"]: s["synthetic"] for s in report.compute_stats(upload_env, "1381")["sources"]
    }
    assert sources["enkat.csv"] is False
    assert sources["1381_laholm_syntetisk_trygghetsenkat_2024.csv"] is True


def test_import_and_rollback_reach_the_map_at_once(upload_env):
    before = report.compute_stats(upload_env, "1381")
    n_before = place_figures(before, "Stadsparken")["survey"]["n"]
    at = run_app(plats="Stadsparken")
    assert survey_n_line(at).startswith(f"{formatting.count(n_before)} · ")
    switch(log_in(at), "views/importera.py")
    upload(at, "enkat.csv", UPLOAD)
    batch_id = batches.list_batches(upload_env, "1381")[0]["id"]
    with patch("streamlit_folium.st_folium", FakeMap()):
        at.switch_page("views/karta.py").run()
    assert survey_n_line(at).startswith(f"{formatting.count(n_before + 1)} · ")

    with patch("streamlit_folium.st_folium", FakeMap()):
        at.switch_page("views/importera.py").run()
    button = at.button(key=f"batch_{batch_id}")
    assert button.label == "Rulla tillbaka"
    button.click().run()
    assert batches.list_batches(upload_env, "1381")[0]["status"] == batches.ROLLED_BACK
    assert at.button(key=f"batch_{batch_id}").label == "Återställ"
    assert any(f"Batch {batch_id} är tillbakarullad" in s.value for s in at.success)
    with patch("streamlit_folium.st_folium", FakeMap()):
        at.switch_page("views/karta.py").run()
    assert survey_n_line(at).startswith(f"{formatting.count(n_before)} · ")


def test_restore_activates_the_batch_again(upload_env):
    batch_id = batches.list_batches(upload_env, "1381")[0]["id"]
    batches.set_status(upload_env, batch_id, batches.ROLLED_BACK, actor=auth.local_admin())
    at = open_upload_page()
    at.button(key=f"batch_{batch_id}").click().run()
    assert batches.list_batches(upload_env, "1381")[0]["status"] == batches.ACTIVE


def test_a_refused_file_gets_one_swedish_sentence(upload_env):
    at = upload(open_upload_page(), "utan-plats.csv", b"\xc5r;Trygg kv\xe4ll\r\n2024;2\r\n")
    assert not at.exception
    assert at.error[0].value.startswith("Filen utan-plats.csv saknar platskolumn")
    assert "Traceback" not in all_texts(at)
    assert not at.metric


def test_upload_page_keeps_the_kommun_of_the_url(upload_env):
    at = open_upload_page(kommun="0683")
    assert at.title[0].value == "Importera enkät – Värnamo"
    files = [m.value for m in at.markdown if "batch" in m.value]
    assert files and all(name.startswith("**0683\\_varnamo") for name in files)


# --- incidents: map metrics, the public switch, layers, the place panel ----------------


@pytest.fixture(scope="module")
def laholm_incidents(demo_db) -> dict:
    """Laholm's 2024 figures and Stadsparken's time profile, public and exact."""
    engine = store.make_engine(str(demo_db))
    found = {
        public: {
            "figures": report.place_figures(engine, "1381", 2024, public=public),
            "park": report.time_profile(
                engine, "1381", year=2024, place="Stadsparken", public=public
            ),
        }
        for public in (True, False)
    }
    engine.dispose()
    return found


def map_styles(fake: FakeMap) -> dict[int, dict]:
    layer = next(c for c in fake.calls[-1][0]._children.values() if type(c).__name__ == "GeoJson")
    return {f["properties"]["place_id"]: f["properties"]["style"] for f in layer.data["features"]}


def hotspot_cells(fake: FakeMap) -> list[dict]:
    return [
        feature
        for child in fake.calls[-1][0]._children.values()
        if type(child).__name__ == "GeoJson"
        for feature in child.data["features"]
        if "gi_bin" in feature["properties"]
    ]


def without_ids(features: list[dict]) -> list[dict]:
    """Features as the page built them, before folium numbered them."""
    return [{key: value for key, value in f.items() if key != "id"} for f in features]


def incident_table(at: AppTest):
    (table,) = tables_by(at, "Kategori")
    return table


def heat_cells(at: AppTest) -> list[tuple[str, list[str]]]:
    """The hour × weekday table as the page shows it: (weekday, 24 cell texts) per row."""
    body = next(e.proto.body for e in at.get("html") if "trygg-heat" in e.proto.body)
    rows = body.split("<tbody>")[1].split("<tr>")[1:]
    return [
        (
            html.unescape(re.search(r"<th[^>]*>([^<]*)</th>", row).group(1)),
            [html.unescape(cell) for cell in re.findall(r"<td[^>]*>([^<]*)</td>", row)],
        )
        for row in rows
    ]


def set_public(at: AppTest, fake: FakeMap, public: bool) -> AppTest:
    with patch("streamlit_folium.st_folium", fake):
        at.sidebar.toggle(key="public_view").set_value(public).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_incident_metric_colours_the_map_with_place_figures(app_env, laholm_incidents):
    fake = FakeMap()
    at = run_app(fake)
    assert "Händelser (antal)" in at.selectbox(key="metric_select").options
    with patch("streamlit_folium.st_folium", fake):
        at.selectbox(key="metric_select").set_value("handelser").run()
    assert at.query_params["visa"] == "handelser"
    found = laholm_incidents[True]["figures"]["places"]
    totals = {p["place_id"]: p["incidents"]["total"] for p in found}
    from trygg.maps.palette import COUNT, classes_of

    classes = classes_of((v for v in totals.values() if v is not None), kind=COUNT)
    assert classes.ranges[0][0] == 0  # counts are classed from zero in round steps
    tooltips, styles = map_tooltips(fake), map_styles(fake)
    for place in found:
        place_id, block = place["place_id"], place["incidents"]
        assert f"<b>{formatting.incidents(block['total'])}</b>" in tooltips[place_id]
        assert f"2023: {formatting.incidents(block['previous_total'])}" in tooltips[place_id]
        assert "%" not in tooltips[place_id]
        assert styles[place_id]["fillColor"] == classes.colour(block["total"])
    assert len(set(s["fillColor"] for s in styles.values())) >= 3
    assert "Händelser (antal)" in legend_of(fake)
    assert "påhittade händelser" in legend_of(fake)


def test_incident_rate_is_neutral_where_the_population_is_unknown(
    app_env, laholm_ids, laholm_incidents
):
    fake = FakeMap()
    run_app(fake, visa="handelser_per_1000")
    rates = {
        p["place"]: p["incidents"]["per_1000_inv"]
        for p in laholm_incidents[True]["figures"]["places"]
    }
    assert rates["Stadsparken"] is None and rates["Glänningeområdet"] is not None
    park = map_tooltips(fake)[laholm_ids["Stadsparken"]]
    assert "<b>saknar invånartal</b>" in park
    assert map_styles(fake)[laholm_ids["Stadsparken"]]["fillColor"] == maps.NEUTRAL_FILL
    glanninge = map_tooltips(fake)[laholm_ids["Glänningeområdet"]]
    assert f"<b>{formatting.per_1000(rates['Glänningeområdet'])}</b>" in glanninge


def test_public_switch_hides_a_small_count(coordinator_env, laholm_ids, laholm_incidents):
    exact = place_figures(laholm_incidents[False]["figures"], "Hishult")["incidents"]
    public = place_figures(laholm_incidents[True]["figures"], "Hishult")["incidents"]
    assert 0 < exact["by_category"]["inbrott"] < 3 and public["by_category"]["inbrott"] is None
    fake = FakeMap()
    at = run_app(fake, plats="Hishult", visa="handelser_inbrott")
    assert "<b>färre än 3 händelser</b>" in map_tooltips(fake)[laholm_ids["Hishult"]]
    assert incident_table(at).loc["Inbrott", "2024"] == "färre än 3"
    assert any("färre än 3" in c.value for c in at.caption)

    switch(log_in(at), "views/karta.py", fake)
    assert at.sidebar.toggle(key="public_view").value is True
    set_public(at, fake, False)
    tooltip = map_tooltips(fake)[laholm_ids["Hishult"]]
    assert f"<b>{formatting.incidents(exact['by_category']['inbrott'])}</b>" in tooltip
    assert "färre än" not in tooltip.split("<br>")[-2]
    assert incident_table(at).loc["Inbrott", "2024"] == str(exact["by_category"]["inbrott"])


def test_stadsparken_hour_weekday_table_equals_time_profile(coordinator_env, laholm_incidents):
    fake = FakeMap()
    at = run_app(fake, plats="Stadsparken")
    assert "När på dygnet och veckan" in [s.value for s in at.subheader]
    public = laholm_incidents[True]["park"]
    shown = heat_cells(at)
    assert [day for day, _cells in shown] == [t(f"plats.day_{day}") for day in range(7)]
    assert [cells for _day, cells in shown] == [
        [formatting.heat_cell(n) for n in row] for row in public["hour_weekday"]
    ]
    assert any("<3" in cells for _day, cells in shown)

    switch(log_in(at), "views/karta.py", fake)
    set_public(at, fake, False)
    exact = laholm_incidents[False]["park"]
    counts = [[int(c) if c else 0 for c in cells] for _day, cells in heat_cells(at)]
    assert counts == exact["hour_weekday"]
    assert sum(map(sum, counts)) == exact["timed"] > 0


def test_stadsparken_panel_shows_its_incidents(app_env, laholm_incidents):
    at = run_app(plats="Stadsparken")
    park = place_figures(laholm_incidents[True]["figures"], "Stadsparken")["incidents"]
    assert "Händelser 2024 – Stadsparken" in headers(at)
    total = next(m for m in at.metric if m.label == "Händelser")
    assert total.value == formatting.incident_count(park["total"])
    markdown = [m.value for m in at.markdown]
    previous = formatting.incidents(park["previous_total"])
    assert f"Föregående period (2023)\\: {previous}." in markdown
    assert "saknar invånartal · " + formatting.per_km2(park["per_km2"]) in markdown
    table = incident_table(at)
    for slug, label in scales.INCIDENT_CATEGORIES.items():
        if slug in park["by_category"]:
            assert table.loc[label, "2024"] == formatting.incident_count(park["by_category"][slug])
    assert table.loc["Alla kategorier"].tolist() == [
        formatting.incident_count(park["total"]),
        formatting.incident_count(park["previous_total"]),
    ]
    assert "Händelserna är syntetiska demodata: påhittade, inte verkliga." in [
        c.value for c in at.caption
    ]


def test_hot_spot_layer_is_off_until_chosen_and_follows_the_cell_size(app_env, demo_db):
    engine = store.make_engine(str(demo_db))
    expected = {
        cell: maps.HotspotLayer(
            report.hotspots(engine, "0683", year=2024, cell=cell, public=True)["grid"], cell
        ).features()
        for cell in (250, 500)
    }
    engine.dispose()
    fake = FakeMap()
    at = run_app(fake, kommun="0683")
    assert hotspot_cells(fake) == []
    assert at.sidebar.selectbox(key="hotspot_cell").value == 250
    with patch("streamlit_folium.st_folium", fake):
        at.sidebar.toggle(key="layer_hotspots").set_value(True).run()
    cells = hotspot_cells(fake)
    assert cells and without_ids(cells) == expected[250]
    assert {f["properties"]["gi_bin"] for f in cells} <= {-3, -2, -1, 1, 2, 3}
    assert "Hot spots (Getis-Ord Gi*), 99/95/90" in legend_of(fake)
    with patch("streamlit_folium.st_folium", fake):
        at.sidebar.selectbox(key="hotspot_cell").set_value(500).run()
    assert without_ids(hotspot_cells(fake)) == expected[500] != expected[250]


def test_quantile_classes_are_an_option_beside_the_even_steps(app_env, demo_db):
    from trygg import store
    from trygg.maps.palette import classes_of
    from trygg.stats.report import compute_stats

    stats = compute_stats(store.make_engine(str(demo_db)), "1381")
    shares = {
        p["place_id"]: p["survey"]["andel_otrygga"]
        for p in stats["places"]
        if not p["survey"]["suppressed"]
    }
    fake = FakeMap()
    at = run_app(fake)
    assert at.sidebar.selectbox(key="class_scheme").value == "equal"
    even = map_styles(fake)
    with patch("streamlit_folium.st_folium", fake):
        at.sidebar.selectbox(key="class_scheme").set_value("quantiles").run()
    quantiles = map_styles(fake)
    for scheme, styles in (("equal", even), ("quantiles", quantiles)):
        classes = classes_of(shares.values(), scheme)
        assert {i: styles[i]["fillColor"] for i in shares} == {
            i: classes.colour(v) for i, v in shares.items()
        }
    assert len({quantiles[i]["fillColor"] for i in shares}) > len(
        {even[i]["fillColor"] for i in shares}
    )
