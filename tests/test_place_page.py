"""The Plats and Jämför pages: their core (sentences, trend, rows, ranking) and the pages
driven through Streamlit's AppTest on a real demo database.

Expected numbers come from ``trygg stats --public --format json`` (run as a user would)
or from hand-built figures, and are formatted here by hand, not by the code under test.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from unittest.mock import patch

import geopandas as gpd
import pytest
from shapely.geometry import box
from streamlit.testing.v1 import AppTest

from conftest import run_cli
from trygg import maps
from trygg.pages import place as place_page
from trygg.pages import ranking
from trygg.stats.survey_figures import figure_of
from trygg.strings import use_language

REPO = Path(__file__).resolve().parents[1]
APP = str(REPO / "dashboard" / "app.py")
INVISIBLE = {"\u00a0": " ", "\u2060": ""}


def plain(text: str) -> str:
    """Text without no-break spaces and word joiners, to compare with hand-made text."""
    for char, replacement in INVISIBLE.items():
        text = text.replace(char, replacement)
    return text


def pct(share: float, lang: str = "sv") -> str:
    """A share as the page should write it, made without trygg.formatting."""
    text = f"{share * 100:.1f}"
    return text.replace(".", ",") if lang == "sv" else text


@pytest.fixture(autouse=True)
def swedish():
    use_language("sv")
    yield
    use_language("sv")


@pytest.fixture(scope="module")
def published(demo_db) -> dict:
    """Laholm's figures as ``trygg stats --public --format json`` prints them, by year."""
    by_year = {}
    for year in (2023, 2024):
        result = run_cli(
            "--db", str(demo_db), "stats", "--kommun", "1381", "--year", str(year),
            "--public", "--format", "json",
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        by_year[year] = json.loads(result.stdout)
    return by_year


def entry(figures: dict, name: str) -> dict:
    return next(p for p in figures["places"] if p["place"] == name)


# --- The core ----------------------------------------------------------------------


def test_headline_says_share_interval_and_n(published):
    park = entry(published[2024], "Stadsparken")["survey"]
    sentence = place_page.headline(figure_of(park, "andel_otrygga"), 10)
    low, high = pct(park["ki_lag"]), pct(park["ki_hog"])
    assert plain(sentence) == (
        f"{pct(park['andel_otrygga'])} % ({low}–{high} %) av {park['n']} svarande känner "
        "sig otrygga ute sent på kvällen."
    )
    english = place_page.headline(figure_of(park, "andel_otrygga"), 10, lang="en")
    assert plain(english).startswith(f"{pct(park['andel_otrygga'], 'en')}% (")
    assert f"of {park['n']} respondents feel unsafe" in english


def test_hidden_headlines_say_why_and_show_no_share(published):
    figures = published[2024]
    knared = entry(figures, "Knäred")["survey"]  # n = 20, hidden to protect Hishult
    assert knared["suppressed"] and knared["secondary_suppression"] and knared["n"] >= 10
    text = place_page.headline(figure_of(knared, "andel_otrygga"), 10)
    assert "dold för att skydda en liten grupp" in text and f"({knared['n']} svarande)" in text
    assert "%" not in text
    hishult = entry(figures, "Hishult")["survey"]
    text = place_page.headline(figure_of(hishult, "andel_otrygga"), 10)
    assert f"{hishult['n']} svarande är färre än 10" in text and "%" not in text


@pytest.mark.parametrize(
    ("result", "sv", "en"),
    [
        ("higher", "säkerställt högre än i övriga kommunen", "significantly higher"),
        ("lower", "säkerställt lägre än i övriga kommunen", "significantly lower"),
        ("no_difference", "ingen säkerställd skillnad mot övriga kommunen", "no significant"),
    ],
)
def test_vs_rest_in_words(result, sv, en):
    vs_rest = {"rest_andel": 0.2, "diff": 0.1, "p_value": 0.01, "result": result}
    assert place_page.vs_rest_words(vs_rest) == sv
    assert place_page.vs_rest_words(vs_rest, "en").startswith(en)
    assert plain(place_page.vs_rest_sentence(vs_rest)) == (
        f"Jämfört med resten av kommunen (20,0 %): {sv}."
    )
    assert place_page.vs_rest_words(None) == ""


def test_trend_has_every_published_year_and_names_the_hidden(published):
    trend = place_page.trend_points(published, "Stadsparken")
    expected = [
        {
            "year": year,
            "andel": entry(published[year], "Stadsparken")["survey"]["andel_otrygga"],
            "ki_lag": entry(published[year], "Stadsparken")["survey"]["ki_lag"],
            "ki_hog": entry(published[year], "Stadsparken")["survey"]["ki_hog"],
            "n": entry(published[year], "Stadsparken")["survey"]["n"],
        }
        for year in (2023, 2024)
    ]
    assert trend == {"points": expected, "hidden": []}
    hishult = place_page.trend_points(published, "Hishult")
    assert hishult == {"points": [], "hidden": [2023, 2024]}
    assert place_page.trend_note(hishult) == (
        "Utelämnade år (siffran dold för att skydda små grupper): 2023, 2024."
    )
    spec = place_page.trend_spec(trend)
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["area", "line"]
    assert [v["Andel otrygga"] for v in spec["data"]["values"]] == [p["andel"] for p in expected]


def test_trend_leaves_out_a_hidden_year_of_a_tiny_case():
    def year(survey: dict) -> dict:
        return {"kommun_total": {"andel_otrygga": {}}, "places": [{"place": "P", "survey": survey}]}

    shown = {"n": 40, "andel_otrygga": 0.25, "ki_lag": 0.1, "ki_hog": 0.4, "suppressed": False}
    hidden = {"n": 4, "andel_otrygga": None, "ki_lag": None, "ki_hog": None, "suppressed": True}
    trend = place_page.trend_points({2022: year(shown), 2023: year(hidden)}, "P")
    assert trend["points"] == [{"year": 2022, "andel": 0.25, "ki_lag": 0.1, "ki_hog": 0.4, "n": 40}]
    assert trend["hidden"] == [2023]


def test_items_carry_their_comparison_with_the_rest(published):
    park = entry(published[2024], "Stadsparken")["survey"]
    tables = place_page.item_rows(park)
    rows = {row["Fråga"]: row for row in tables["problem"]}
    klotter = park["problem"]["klotter"]
    assert plain(rows["Klotter"]["Andel"]) == f"{pct(klotter['andel'])} %"
    assert rows["Klotter"]["n"] == str(klotter["n"])
    words = {"higher": "säkerställt högre", "lower": "säkerställt lägre", "no_difference": "ingen"}
    assert rows["Klotter"]["Jämfört med övriga kommunen"].startswith(
        words[klotter["vs_rest"]["result"]]
    )
    assert len(tables["oro"]) == len(park["oro"])


def test_categories_with_the_previous_year_and_the_change(published):
    now = entry(published[2024], "Stadsparken")["incidents"]
    before = entry(published[2023], "Stadsparken")["incidents"]
    rows = place_page.category_change_rows(now, before, ("2024", "2023"))
    by_name = {row["Kategori"]: row for row in rows}
    skade_now, skade_before = (
        now["by_category"]["skadegörelse"],
        before["by_category"]["skadegörelse"],
    )
    change = skade_now - skade_before
    assert by_name["Skadegörelse"]["2024"] == str(skade_now)
    assert by_name["Skadegörelse"]["Förändring"] == f"{'+' if change > 0 else '−'}{abs(change)}"
    total = rows[-1]
    assert total["Kategori"] == "Alla kategorier" and total["2024"] == str(now["total"])


def test_a_hidden_count_has_no_change():
    rows = place_page.category_change_rows(
        {"by_category": {"hot": 4}, "total": 4},
        {"by_category": {"hot": None}, "total": None},
        ("2024", "2023"),
    )
    assert [list(row.values()) for row in rows] == [
        ["Hot", "4", "färre än 3", "–"],
        ["Alla kategorier", "4", "färre än 3", "–"],
    ]
    alone = place_page.category_change_rows({"by_category": {}, "total": 0}, None, ("2024", ""))
    assert alone == [{"Kategori": "Alla kategorier", "2024": "0"}]


def test_months_and_weekdays_from_the_catalogue():
    assert place_page.month_names()[:3] == ["jan", "feb", "mar"]
    assert place_page.month_names("en")[4] == "May"
    assert place_page.month_names()[4] == "maj"
    assert place_page.weekday_names("en")[0] == "Mon"
    profile = {"by_month": {"2024-02": 5, "2024-03": None}}
    values = place_page.month_spec(profile, 2024)["data"]["values"]
    assert values[:3] == [
        {"Månad": "jan", "Händelser": 0},
        {"Månad": "feb", "Händelser": 5},
        {"Månad": "mar", "Händelser": None},
    ]


def test_heat_cells_show_numbers_and_hide_small_ones():
    table = [[0] * 24 for _ in range(7)]
    table[0][1], table[6][23], table[2][5] = 10, 5, None
    cells = place_page.heat_cells({"hour_weekday": table}, 3)
    assert cells[0][0] == "mån" and cells[6][0] == "sön"
    busiest, half, hidden = cells[0][1][1], cells[6][1][23], cells[2][1][5]
    assert busiest["text"] == "10" and busiest["background"] == maps.PALETTE[-1]
    assert half["text"] == "5" and half["background"] != busiest["background"]
    assert hidden["text"] == "<3" and hidden["background"] == maps.HATCH_LIGHT
    assert cells[0][1][0]["text"] == "" and cells[0][1][0]["background"] == "#ffffff"


def test_place_bounds_in_wgs84():
    frame = gpd.GeoDataFrame(
        {"name": ["A", "B"]}, geometry=[box(0, 0, 1, 1), box(10, 20, 11, 23)], crs="EPSG:4326"
    ).to_crs("EPSG:3006")
    south_west, north_east = place_page.place_bounds(frame, "B")
    assert south_west == pytest.approx([20, 10], abs=1e-6)
    assert north_east == pytest.approx([23, 11], abs=1e-6)
    assert place_page.place_bounds(frame, "C") is None


def test_ranking_orders_places_and_lists_the_hidden(published):
    figures = published[2024]
    rank = ranking.ranking(figures, "andel_otrygga")
    shown = [p for p in figures["places"] if not p["survey"]["suppressed"]]
    by_share = sorted(shown, key=lambda p: -p["survey"]["andel_otrygga"])
    assert [row["place"] for row in rank["rows"]] == [p["place"] for p in by_share]
    assert [row["value"] for row in rank["rows"]] == [
        p["survey"]["andel_otrygga"] for p in by_share
    ]
    hidden = {p["place"] for p in figures["places"] if p["survey"]["suppressed"]}
    assert {row["place"] for row in rank["hidden"]} == hidden
    assert rank["kommun"] == figures["kommun_total"]["andel_otrygga"]["andel"]
    header, rows = ranking.table_rows(rank)
    assert header[:6] == ["Placering", "Plats", "Värde (%)", "95 % KI nedre", "95 % KI övre", "n"]
    first = by_share[0]["survey"]
    assert rows[0][:6] == [
        1,
        by_share[0]["place"],
        float(pct(first["andel_otrygga"]).replace(",", ".")),
        float(pct(first["ki_lag"]).replace(",", ".")),
        float(pct(first["ki_hog"]).replace(",", ".")),
        first["n"],
    ]
    assert {row[1] for row in rows if row[2] is None} == hidden


def test_ranking_by_incidents_has_no_interval_and_no_kommun_line(published):
    figures = published[2024]
    rank = ranking.ranking(figures, maps.INCIDENT_TOTAL)
    counted = [p for p in figures["places"] if p["incidents"]["total"] is not None]
    expected = sorted(counted, key=lambda p: (-p["incidents"]["total"], p["place"]))
    assert [(r["place"], r["value"]) for r in rank["rows"]] == [
        (p["place"], p["incidents"]["total"]) for p in expected
    ]
    assert rank["kommun"] is None
    assert [layer["mark"]["type"] for layer in ranking.chart_spec(rank)["layer"]] == ["bar"]
    assert "summan" in ranking.kommun_sentence(rank, "Laholm")


def test_ranking_chart_has_whiskers_and_the_kommun_rule(published):
    rank = ranking.ranking(published[2024], "andel_otrygga")
    layers = ranking.chart_spec(rank)["layer"]
    assert [layer["mark"]["type"] for layer in layers] == ["rule", "point", "rule"]
    assert layers[2]["data"]["values"] == [{"kommun": rank["kommun"]}]


def test_ranking_csv_has_no_live_formula():
    evil = '=HYPERLINK("http://x","y")'
    survey = {"n": 40, "andel_otrygga": 0.25, "ki_lag": 0.1, "ki_hog": 0.4, "suppressed": False}
    figures = {
        "year": 2024,
        "kommun_total": {"andel_otrygga": {"andel": 0.2, "suppressed": False}},
        "places": [{"place": evil, "survey": survey}],
    }
    rank = ranking.ranking(figures, "andel_otrygga")
    rows = list(csv.reader(io.StringIO(ranking.csv_bytes(rank).decode("utf-8"))))
    assert rows[1][:3] == ["1", "'" + evil, "25.0"]


# --- The pages -----------------------------------------------------------------------


@pytest.fixture
def app_env(monkeypatch, demo_db):
    monkeypatch.setenv("TRYGG_DB", str(demo_db))
    monkeypatch.setenv("TRYGG_TILES", "none")


class FakeMap:
    """Stands in for ``streamlit_folium.st_folium`` (it needs a browser)."""

    def __init__(self):
        self.calls: list[tuple] = []

    def __call__(self, fmap, **kwargs):
        self.calls.append((fmap, kwargs))


def open_page(page: str, fake: FakeMap | None = None, **query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    for key, value in query.items():
        at.query_params[key] = value
    with patch("streamlit_folium.st_folium", fake or FakeMap()):
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def markdown(at: AppTest) -> list[str]:
    return [plain(m.value) for m in at.markdown]


def test_place_page_by_alias_shows_the_published_figures(app_env, published):
    fake = FakeMap()
    at = open_page("views/plats.py", fake, kommun="1381", plats="stadsparken")
    assert at.query_params["plats"] == "Stadsparken"
    assert at.title[0].value == "Stadsparken – Laholm"
    park = entry(published[2024], "Stadsparken")
    survey = park["survey"]
    low, high = pct(survey["ki_lag"]), pct(survey["ki_hog"])
    sentence = f"### {pct(survey['andel_otrygga'])} % ({low}–{high} %) av {survey['n']} svarande"
    assert any(text.startswith(sentence) for text in markdown(at))
    assert any("Jämfört med resten av kommunen" in text for text in markdown(at))
    assert len(at.get("vega_lite_chart")) == 2  # the trend and the months
    categories = next(t.value for t in at.table if t.value.columns[0] == "Kategori")
    total = categories.set_index("Kategori").loc["Alla kategorier"]
    assert total["2024"] == str(park["incidents"]["total"])
    assert total["2023"] == str(entry(published[2023], "Stadsparken")["incidents"]["total"])
    fmap, kwargs = fake.calls[-1]
    fitted = [c for c in fmap._children.values() if type(c).__name__ == "FitBounds"]
    assert len(fitted) >= 2  # the kommun, then the place
    assert kwargs["returned_objects"] == []


def test_place_page_commitments_come_before_the_kommun_wide(app_env):
    at = open_page("views/plats.py", kommun="1381", plats="Stadsparken")
    assert "Åtaganden för Stadsparken" in [h.value for h in at.header]
    subheaders = [s.value for s in at.subheader]
    assert "Gäller hela kommunen" in subheaders
    party = min(subheaders.index(p) for p in ("Polisen", "Kommunen") if p in subheaders)
    assert party < subheaders.index("Gäller hela kommunen")


def test_place_page_without_a_place_offers_the_places(app_env):
    at = open_page("views/plats.py", kommun="1381")
    assert at.title[0].value == "Välj en plats"
    links = [link.proto.label for link in at.get("page_link")]
    assert "Öppna Stadsparken" in links and len(links) == 10
    assert at.selectbox(key="plats_page_select").value == ""


def test_place_page_in_english(app_env):
    at = open_page("views/plats.py", kommun="1381", plats="Stadsparken", lang="en")
    assert [h.value for h in at.header][:2] == ["Survey answers 2024", "Incidents 2024"]
    assert any("respondents feel unsafe" in text for text in markdown(at))
    assert "Share feeling unsafe, year by year" in [s.value for s in at.subheader]


def test_compare_page_ranks_and_links_every_place(app_env, published):
    at = open_page("views/jamfor.py", kommun="1381")
    figures = published[2024]
    frame = at.dataframe[0].value
    shown = sorted(
        (p for p in figures["places"] if not p["survey"]["suppressed"]),
        key=lambda p: -p["survey"]["andel_otrygga"],
    )
    assert list(frame["Plats"])[: len(shown)] == [p["place"] for p in shown]
    assert list(frame["Värde (%)"])[: len(shown)] == [
        float(pct(p["survey"]["andel_otrygga"]).replace(",", ".")) for p in shown
    ]
    hidden_lines = markdown(at)
    assert "Hishult: för få svar" in hidden_lines
    assert "Knäred: dold för att skydda en liten grupp" in hidden_lines
    kommun = figures["kommun_total"]["andel_otrygga"]["andel"]
    assert f"hela Laholm: {pct(kommun)} %." in " ".join(markdown(at)).replace("\\", "")
    assert len(at.get("vega_lite_chart")) == 1
    assert len(at.get("page_link")) == len(figures["places"])
    assert at.get("download_button")


def test_compare_page_by_incidents_in_english(app_env):
    at = open_page("views/jamfor.py", kommun="1381", visa=maps.INCIDENT_TOTAL, lang="en")
    assert at.title[0].value == "Compare the places in Laholm"
    assert list(at.dataframe[0].value.columns)[:3] == ["Rank", "Place", "Value (count)"]
    assert at.selectbox(key="jamfor_metric").value == maps.INCIDENT_TOTAL
