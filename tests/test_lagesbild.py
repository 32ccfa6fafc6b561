"""``trygg lagesbild``: an editable Word file of public figures, read back with python-docx.

The Trygghet table is checked against ``trygg stats --public --format json`` formatted by
hand here (one decimal, decimal comma, no-break space before %), not through
:mod:`trygg.formatting`; hostile place names come back literally.
"""

from __future__ import annotations

import json

import geopandas as gpd
import pytest
from docx import Document
from shapely.geometry import box

from tests.conftest import assert_clean_refusal, run_cli
from trygg import places
from trygg.auth import local_admin

HEADINGS_SV = ["Sammanfattning", "Trygghet", "Brottslighet", "Medborgarlöftet", "Källor och metod"]
HEADINGS_EN = ["Summary", "Safety", "Crime", "The citizen promise", "Sources and method"]
HOSTILE = ["<img src=x onerror=alert(1)>", "{{7*7}}"]


@pytest.fixture(scope="module")
def laholm(demo_db, tmp_path_factory):
    """The demo's Laholm lägesbild for 2024, written once by the command line."""
    out = tmp_path_factory.mktemp("lagesbild") / "l.docx"
    args = ("--db", str(demo_db), "lagesbild", "--kommun", "1381", "--year", "2024")
    result = run_cli(*args, "--out", str(out))
    assert result.returncode == 0, result.stderr
    return result, Document(str(out))


def headings(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == "Heading 1"]


def all_text(document) -> str:
    cells = [c.text for table in document.tables for row in table.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def by_place(table) -> dict[str, list[str]]:
    return {row.cells[0].text: [c.text for c in row.cells] for row in table.rows[1:]}


def test_the_file_is_written_and_says_where(laholm):
    result, _document = laholm
    assert result.stdout.startswith("Lägesbilden skrevs till ")
    assert result.stdout.strip().endswith("l.docx.")


def test_the_five_headings_come_in_order(laholm):
    assert headings(laholm[1]) == HEADINGS_SV


def test_the_safety_table_holds_the_public_stats(laholm, demo_db):
    stats = run_cli("--db", str(demo_db), "stats", "--kommun", "1381", "--year", "2024", "--public")
    assert stats.returncode == 0, stats.stderr
    figures = json.loads(stats.stdout)
    table = laholm[1].tables[0]
    assert [c.text for c in table.rows[0].cells][:4] == [
        "Plats",
        "Andel otrygga",
        "95 % konfidensintervall",
        "Antal svar (n)",
    ]
    rows = by_place(table)
    assert set(rows) == {p["place"] for p in figures["places"]}
    published = 0
    for place in figures["places"]:
        survey, row = place["survey"], rows[place["place"]]
        assert row[3] == str(survey["n"])
        if survey["suppressed"]:
            assert row[1] in {"för få svar", "dold för att skydda en liten grupp"}
            assert row[2] == "" and row[4] == ""
            continue
        published += 1
        share = f"{survey['andel_otrygga'] * 100:.1f}".replace(".", ",")
        assert row[1] == share + "\u00a0%"
        low = f"{survey['ki_lag'] * 100:.1f}".replace(".", ",")
        high = f"{survey['ki_hog'] * 100:.1f}".replace(".", ",")
        assert row[2].replace("\u2060", "") == f"{low}–{high}\u00a0%"
    assert published >= 5 and published < len(figures["places"])


def test_a_hidden_share_never_reaches_the_document(laholm, demo_db):
    stats = run_cli("--db", str(demo_db), "stats", "--kommun", "1381", "--year", "2024", "--public")
    hidden = [p["place"] for p in json.loads(stats.stdout)["places"] if p["survey"]["suppressed"]]
    assert hidden
    rows = by_place(laholm[1].tables[0])
    for name in hidden:
        assert not any(ch.isdigit() for ch in rows[name][1] + rows[name][2])


def test_incidents_are_a_table_per_place_and_category(laholm):
    crime = laholm[1].tables[1]
    rows = by_place(crime)
    assert [c.text for c in crime.rows[0].cells] == [
        "Plats",
        "Händelser",
        "Föregående period",
        "Per kategori",
    ]
    assert "Stadsparken" in rows and "Skadegörelse" in rows["Stadsparken"][3]


def test_the_maps_are_images_at_print_resolution(laholm):
    document = laholm[1]
    assert len(document.inline_shapes) >= 2
    for part in document.part.related_parts.values():
        if part.content_type == "image/png":
            dpi = part.image.horz_dpi
            assert dpi >= 200, dpi


def test_commitments_and_sources_are_listed(laholm):
    text = all_text(laholm[1])
    assert "Medborgarlöfte Laholms kommun 2024–2025" in text
    assert "pågår" in text.lower()
    assert "1381_laholm_syntetisk_trygghetsenkat_2024.csv" in text
    assert "syntetiska demodata" in text


@pytest.fixture
def hostile_db(engine, tmp_path):
    """A fresh kommun whose two places have hostile names, with a few incidents in 2024."""
    layer = tmp_path / "platser.gpkg"
    gpd.GeoDataFrame(
        {"namn": HOSTILE},
        geometry=[
            box(370_000, 6_265_000, 371_000, 6_266_000),
            box(380_000, 6_270_000, 381_000, 6_271_000),
        ],
        crs="EPSG:3006",
    ).to_file(layer, driver="GPKG")
    places.import_places(engine, layer, "1381", name_field="namn", actor=local_admin())
    csv = tmp_path / "handelser.csv"
    rows = [f"2024-0{day}-1{day} 22:00;Stöld;{HOSTILE[day % 2]}" for day in range(1, 9)]
    csv.write_text("datum;kategori;plats\n" + "\n".join(rows) + "\n", encoding="utf-8")
    from trygg.importers import incidents

    incidents.import_incidents(engine, csv, "1381", actor=local_admin())
    return tmp_path / "trygg.sqlite"


@pytest.mark.parametrize(("lang", "expected"), [("sv", HEADINGS_SV), ("en", HEADINGS_EN)])
def test_hostile_place_names_stay_literal(hostile_db, tmp_path, lang, expected):
    out = tmp_path / "hostile.docx"
    result = run_cli(
        "--db", str(hostile_db), "lagesbild", "--kommun", "1381", "--year", "2024",
        "--lang", lang, "--out", str(out),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    document = Document(str(out))
    assert headings(document) == expected
    rows = by_place(document.tables[0])
    assert set(HOSTILE) <= set(rows)
    text = all_text(document)
    assert "49" not in text.replace("2024", "")
    for name in HOSTILE:
        assert name in by_place(document.tables[1])


def test_unknown_kommun_is_one_swedish_sentence(demo_db, tmp_path):
    args = ("--db", str(demo_db), "lagesbild", "--kommun", "9999", "--year", "2024")
    result = run_cli(*args, "--out", str(tmp_path / "x.docx"))
    assert result.returncode == 1
    assert assert_clean_refusal(result).startswith("Kommunen 9999 finns inte i databasen.")
    assert not (tmp_path / "x.docx").exists()


def test_a_year_without_data_says_so(demo_db, tmp_path):
    args = ("--db", str(demo_db), "lagesbild", "--kommun", "1381", "--year", "2019")
    result = run_cli(*args, "--out", str(tmp_path / "x.docx"))
    assert result.returncode == 1
    message = assert_clean_refusal(result)
    assert message == "Laholm har inga enkätsvar eller händelser år 2019; år med data: 2023, 2024."
    assert not (tmp_path / "x.docx").exists()


def test_out_is_required(demo_db):
    result = run_cli("--db", str(demo_db), "lagesbild", "--kommun", "1381", "--year", "2024")
    assert result.returncode == 2
    assert "--out måste anges" in result.stderr
