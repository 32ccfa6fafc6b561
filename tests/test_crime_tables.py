"""BRÅ tables as they come: long with Swedish or English headers, wide with months or
years as columns, suppression markers, Swedish mapping keys, and short unknown-place
errors. Real public files are read by path from ../shared/external; expected numbers come
from pandas, reading the same files a second way."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box
from sqlalchemy import select

from tests.conftest import run_cli
from trygg import places
from trygg.auth import local_admin
from trygg.errors import TryggError
from trygg.importers import crime_stats, incidents
from trygg.places.lookup import NameIndex, means_kommun
from trygg.store import schema

ADMIN = local_admin()
EXTERNAL = Path(__file__).resolve().parents[2] / "shared" / "external"
GOTEBORG = EXTERNAL / "bra_goteborg_stadsomraden.csv"
P3 = EXTERNAL / "bra_p3_hallands_lan_2010_utdrag.csv"
BASOMRADEN = EXTERNAL / "goteborg_basomraden_sweref99_1200.zip"
MONTHS = [
    "Januari", "Februari", "Mars", "April", "Maj", "Juni",
    "Juli", "Augusti", "September", "Oktober", "November", "December",
]  # fmt: skip
TOTAL = "Hittills under året"


def external(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path.name} is not in ../shared/external")
    return path


def add_kommun(engine, tmp_path, kommun: str, name: str, names=("Brunnsparken", "Hisingsparken")):
    """A kommun with a few square places (their names are what the tests look up)."""
    path = tmp_path / f"platser_{kommun}.geojson"
    squares = [
        box(319_000 + i * 1000, 6_400_000, 319_500 + i * 1000, 6_400_500) for i in range(len(names))
    ]
    gpd.GeoDataFrame({"namn": list(names)}, geometry=squares, crs="EPSG:3006").to_file(path)
    places.import_places(engine, path, kommun, name_field="namn", kommun_name=name, actor=ADMIN)


def stored(engine, kommun: str) -> list[dict]:
    stat = schema.crime_stat
    with engine.connect() as connection:
        rows = connection.execute(
            select(stat).where(stat.c.kommun_kod == kommun).order_by(stat.c.id)
        ).mappings()
        return [dict(row) for row in rows]


def names_in(message: str, known: list[str]) -> list[str]:
    """The known place names a message spells out (as whole words)."""
    return [n for n in known if re.search(rf"(?<!\w){re.escape(n)}(?!\w)", message)]


# --- the long form -------------------------------------------------------------------


def test_goteborg_file_imports_its_kommun_rows_with_no_mapping(engine, tmp_path):
    add_kommun(engine, tmp_path, "1480", "Göteborg")
    result = crime_stats.import_crime_stats(engine, external(GOTEBORG), "1480", actor=ADMIN)
    expected = pd.read_csv(GOTEBORG)
    kommun_rows = expected[expected["area"] == "Göteborg kommun"]
    assert len(expected) == 90 and len(kommun_rows) == 18
    assert (result["rows"], result["accepted"], result["rejected"]) == (90, 18, 72)
    rows = stored(engine, "1480")
    assert all(r["place_id"] is None for r in rows)
    found = sorted((r["period"], r["offence"], r["count"], r["year"]) for r in rows)
    assert found == sorted(
        (str(y), c, int(n), int(y))
        for y, c, n in kommun_rows[["year", "crime_type", "count"]].itertuples(index=False)
    )
    # The stadsområden are not places here: every one is refused by its spreadsheet row.
    other = expected.index[expected["area"] != "Göteborg kommun"]
    assert sorted(e["row"] for e in result["errors"]) == sorted(int(i) + 2 for i in other)
    assert {e["column"] for e in result["errors"]} == {"area"}


def test_kommun_level_areas_all_mean_the_kommun(engine, tmp_path):
    add_kommun(engine, tmp_path, "1440", "Ale", names=("Nödinge", "Älvängen"))
    path = tmp_path / "ale.csv"
    areas = ["Ale kommun", "Ales kommun", "Ale", "hela kommunen", "Totalt", "1440", "Nödinge"]
    lines = ["Område;År;Brottstyp;Antal"] + [f"{a};2023;Stöld;{i}" for i, a in enumerate(areas)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = crime_stats.import_crime_stats(engine, path, "1440", actor=ADMIN)
    assert result["accepted"] == len(areas)
    by_count = {r["count"]: r["place_id"] for r in stored(engine, "1440")}
    assert [by_count[i] is None for i in range(len(areas))] == [True] * 6 + [False]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Göteborg kommun", True),
        ("Göteborgs kommun", True),
        ("GÖTEBORG", True),
        ("Göteborgs Stad", True),
        ("hela kommunen", True),
        ("totalt", True),
        (" 1480 ", True),
        ("Hisingen", False),
        ("Göteborgkommun", False),
        ("1481", False),
    ],
)
def test_means_kommun(text, expected):
    assert means_kommun(text, "1480", "Göteborg") is expected


def test_suppression_markers_are_missing_and_decimals_whole(engine, tmp_path):
    add_kommun(engine, tmp_path, "1381", "Laholm")
    path = tmp_path / "bra.csv"
    path.write_text(
        "Area;Year;Crime_type;Count;Per 100 000 inv\n"
        "Laholm;2024;Rån;..;..\n"
        "Laholm;2024;Stöld;XX;\n"
        "Laholm;2024;Bedrägeri;-;\n"
        "Laholm;2024;Hot;–;\n"
        "Laholm;2024;Klotter;2483.0;1 600,5\n",
        encoding="utf-8",
    )
    result = crime_stats.import_crime_stats(engine, path, "1381", actor=ADMIN)
    assert result["accepted"] == 5
    rows = {r["offence"]: r for r in stored(engine, "1381")}
    markers = {o: (r["count"], r["missing_marker"]) for o, r in rows.items() if o != "Klotter"}
    assert markers == {
        "Rån": (None, ".."),
        "Stöld": (None, "XX"),
        "Bedrägeri": (None, "-"),
        "Hot": (None, "–"),
    }
    assert (rows["Klotter"]["count"], rows["Klotter"]["per_100k"]) == (2483, 1600.5)
    assert rows["Klotter"]["missing_marker"] is None


# --- the wide form -------------------------------------------------------------------


def p3_expected() -> pd.DataFrame:
    """The P3 table read by pandas: one row per offence × month, and the year's total."""
    wide = pd.read_csv(external(P3), sep=";")
    long = wide.melt(id_vars=["Brottstyp"], value_vars=MONTHS, var_name="month", value_name="n")
    long["period"] = "2010-" + long["month"].map(lambda m: f"{MONTHS.index(m) + 1:02d}")
    return wide, long


def test_p3_wide_table_stores_every_month_and_counts_nothing_twice(engine, tmp_path):
    add_kommun(engine, tmp_path, "1380", "Halmstad")
    wide, long = p3_expected()
    result = crime_stats.import_crime_stats(engine, P3, "1380", actor=ADMIN)
    assert (result["rows"], result["accepted"], result["warnings"]) == (len(long), len(long), [])
    rows = stored(engine, "1380")
    assert sorted((r["offence"], r["period"], r["count"]) for r in rows) == sorted(
        (o, p, int(n)) for o, p, n in long[["Brottstyp", "period", "n"]].itertuples(index=False)
    )
    assert {r["year"] for r in rows} == {2010} and all(r["place_id"] is None for r in rows)
    # Spreadsheet rows: the header is row 1, SAMTLIGA BROTT row 2.
    assert {r["row_number"] for r in rows if r["offence"] == "SAMTLIGA BROTT"} == {2}
    db = engine.url.database
    out = run_cli("--db", db, "stats", "--kommun", "1380", "--year", "2010", "--format", "json")
    figures = json.loads(out.stdout)["kommun_crime_stats"]
    assert len(figures) == len(long) and {f["period"] for f in figures} == set(long["period"])
    sums: dict[str, int] = {}
    for figure in figures:
        sums[figure["offence"]] = sums.get(figure["offence"], 0) + figure["count"]
    by_months = long.groupby("Brottstyp")["n"].sum().astype(int).to_dict()
    by_total = wide.set_index("Brottstyp")[TOTAL].astype(int).to_dict()
    assert sums == by_months == by_total
    assert sums["SAMTLIGA BROTT"] == 33742


def test_a_monthly_table_needs_its_year(engine, tmp_path):
    add_kommun(engine, tmp_path, "1380", "Halmstad")
    plain = tmp_path / "p3.csv"
    shutil.copy(external(P3), plain)
    with pytest.raises(TryggError, match="--year"):
        crime_stats.import_crime_stats(engine, plain, "1380", actor=ADMIN)
    result = crime_stats.import_crime_stats(engine, plain, "1380", year=2011, actor=ADMIN)
    assert {r["period"][:4] for r in stored(engine, "1380")} == {"2011"}
    assert result["accepted"] == 60
    refused = run_cli(
        "--db", engine.url.database, "import-crime-stats", str(plain), "--kommun", "1380"
    )
    assert refused.returncode == 1 and "--year" in refused.stderr


def test_the_year_comes_from_a_title_line_and_cells_name_their_column(engine, tmp_path):
    add_kommun(engine, tmp_path, "1380", "Halmstad")
    path = tmp_path / "tabell.csv"
    path.write_text(
        "Tabell P3, 13 Hallands län, anmälda brott januari–december 2009, preliminära uppgifter\n"
        "Brottstyp;Jan;Feb;Mar;Totalt\n"
        "Rån;4;..;tio;14\n"
        "Stöld;XX;5;6;11\n"
        "Hot;1;2;3;7\n",
        encoding="utf-8",
    )
    result = crime_stats.import_crime_stats(engine, path, "1380", actor=ADMIN)
    assert (result["rows"], result["accepted"], result["rejected"]) == (9, 8, 1)
    assert [(e["row"], e["column"], e["value"]) for e in result["errors"]] == [(3, "Mar", "tio")]
    rows = {
        (r["offence"], r["period"]): (r["count"], r["missing_marker"], r["row_number"])
        for r in stored(engine, "1380")
    }
    assert rows[("Rån", "2009-01")] == (4, None, 3)
    assert rows[("Rån", "2009-02")] == (None, "..", 3)
    assert rows[("Stöld", "2009-01")] == (None, "XX", 4)
    assert not any(period == "2009" for _o, period in rows)
    # Only Hot has every month and a total that differ (1 + 2 + 3 ≠ 7): a warning, row 5.
    assert len(result["warnings"]) == 1 and "rad 5" in result["warnings"][0]


def test_years_as_columns(engine, tmp_path):
    add_kommun(engine, tmp_path, "1381", "Laholm")
    path = tmp_path / "laholm.csv"
    path.write_text(
        "Brottskategori;2019;2020;2021;Totalt\nSkadegörelse;410;..;398;808\n", encoding="utf-8"
    )
    result = crime_stats.import_crime_stats(engine, path, "1381", actor=ADMIN)
    assert result["accepted"] == 3 and result["warnings"] == []
    found = [(r["period"], r["year"], r["count"]) for r in stored(engine, "1381")]
    assert found == [("2019", 2019, 410), ("2020", 2020, None), ("2021", 2021, 398)]


# --- mapping keys --------------------------------------------------------------------


def odd_table(tmp_path) -> Path:
    path = tmp_path / "egen.csv"
    path.write_text(
        "Stadsdel namn;Tid;Typ av brott;Anmälda;Per 100k\n"
        "Brunnsparken;2024;Rån;12;30,5\n"
        "Göteborgs kommun;2024;Rån;..;\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    "mapping",
    [
        {"område": "Stadsdel namn", "år": "Tid", "brottstyp": "Typ av brott", "antal": "Anmälda",
         "Per 100 000": "Per 100k"},
        {"Område": "stadsdel namn", "Period": "Tid", "Brottstyp": "Typ av brott",
         "Antal anmälda brott": "Anmälda"},
        {"plats": "Stadsdel namn", "period": "Tid", "offence": "Typ av brott", "count": "Anmälda",
         "per_100k": "Per 100k"},
    ],
)  # fmt: skip
def test_mapping_keys_in_swedish_or_internal_names(engine, tmp_path, mapping):
    add_kommun(engine, tmp_path, "1480", "Göteborg")
    map_file = tmp_path / "mappning.yaml"
    map_file.write_text("\n".join(f"{k}: {v}" for k, v in mapping.items()) + "\n", encoding="utf-8")
    result = crime_stats.import_crime_stats(
        engine, odd_table(tmp_path), "1480", mapping=map_file, actor=ADMIN
    )
    assert (result["accepted"], result["rejected"]) == (2, 0)
    rows = stored(engine, "1480")
    assert [(r["area"], r["count"], r["place_id"] is None) for r in rows] == [
        ("Brunnsparken", 12, False),
        ("Göteborgs kommun", None, True),
    ]
    assert rows[0]["per_100k"] == 30.5


def test_an_unknown_mapping_key_is_refused_listing_the_accepted_ones(engine, tmp_path):
    add_kommun(engine, tmp_path, "1480", "Göteborg")
    mapping = {"område": "Stadsdel namn", "brotstyp": "Typ av brott", "antal": "Anmälda"}
    with pytest.raises(TryggError) as refused:
        crime_stats.import_crime_stats(
            engine, odd_table(tmp_path), "1480", mapping=mapping, actor=ADMIN
        )
    message = str(refused.value)
    assert "'brotstyp'" in message
    assert "område, period, brottstyp, antal, per 100 000, status" in message
    assert stored(engine, "1480") == []


def test_incident_mappings_take_swedish_keys_and_refuse_unknown_ones(engine, tmp_path):
    add_kommun(engine, tmp_path, "1480", "Göteborg")
    path = tmp_path / "est.csv"
    path.write_text("När;Vad;Var\n2024-03-01;Klotter;Brunnsparken\n", encoding="utf-8")
    mapping = {"datum": "När", "kategori": "Vad", "område": "Var"}
    result = incidents.import_incidents(engine, path, "1480", mapping=mapping, actor=ADMIN)
    assert result["accepted"] == 1
    with pytest.raises(TryggError, match=r"'kategory'.*datum.*kategori"):
        incidents.import_incidents(
            engine, path, "1480", mapping={"datum": "När", "kategory": "Vad"}, actor=ADMIN
        )


# --- unknown places: at most three names ---------------------------------------------


def test_unknown_places_name_at_most_three_in_the_real_layer(engine, tmp_path):
    layer = gpd.read_file(external(BASOMRADEN))
    known = sorted(layer["basomrade"])
    places.import_places(
        engine, BASOMRADEN, "1480", name_field="basomrade", crs="EPSG:3007",
        kommun_name="Göteborg", actor=ADMIN,
    )  # fmt: skip
    # Real names with a letter dropped have close matches; the stadsområden have none.
    typos = [name[:-1] for name in known[::250]]
    path = tmp_path / "bra.csv"
    body = external(GOTEBORG).read_text(encoding="utf-8").splitlines()
    extra = [f"2024,{typo},misshandel,5,,\n" for typo in typos]
    path.write_text("\n".join(body) + "\n" + "".join(extra), encoding="utf-8")
    out = run_cli(
        "--db", engine.url.database, "import-crime-stats", str(path), "--kommun", "1480", "--json"
    )
    summary = json.loads(out.stdout)
    assert summary["accepted"] == 18 + sum(typo in known for typo in typos)
    assert len(out.stdout.encode()) < 30_000
    errors = summary["errors"]
    assert errors and all(len(names_in(e["message"], known)) <= 3 for e in errors)
    assert any(names_in(e["message"], known) for e in errors if e["value"] in typos)
    with engine.connect() as connection:
        index = NameIndex.of(connection, "1480")
    with pytest.raises(TryggError) as refused:
        index.resolve("Nordost", "1480")
    assert len(names_in(str(refused.value), known)) <= 3
    assert "trygg places --kommun 1480" in str(refused.value)
