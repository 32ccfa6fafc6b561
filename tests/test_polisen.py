"""polisen.se events: the API's JSON and its flattened CSV with no mapping, times with a
UTC offset, location precision, categories from polisen.se's own list, duplicate ids.

Totals are checked against an independent geopandas ``sjoin`` of the same events with
the real kommun polygons (okfse), with the same rule for what is not an event (summary
posts) and what is located only to a län.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from pyproj import Transformer
from sqlalchemy import func, select

from tests.conftest import run_cli
from tests.survey_fixtures import add_places
from trygg import store
from trygg.auth import local_admin
from trygg.errors import TryggError
from trygg.importers import incidents, polisen
from trygg.stats import report
from trygg.stats.report import place_figures
from trygg.store import batches, schema

ADMIN = local_admin()
EXTERNAL = Path(__file__).resolve().parents[2] / "shared" / "external"
EVENTS_CSV = EXTERNAL / "polisen_handelser_2024.csv"
EVENTS_JSON = EXTERNAL / "polisen_handelser_api_2024-12-23.json"
KOMMUNER_GEOJSON = EXTERNAL / "se_kommuner_okfse_wgs84.geojson"
#: Four demo kommuner, and two large ones (without places) that have violent events.
KOMMUNER = ("1380", "1381", "0683", "1984", "1280", "1480")
EXTRA_KOMMUNER = {"1280": "Malmö", "1480": "Göteborg"}
#: polisen.se's violent types, written out by hand (not from the synonym table).
VIOLENT_TYPES = {
    "Mord/dråp",
    "Mord/dråp, försök",
    "Rån",
    "Rån, försök",
    "Rån väpnat",
    "Rån övrigt",
    "Skottlossning",
    "Skottlossning, misstänkt",
    "Larm Överfall",
    "Misshandel",
    "Misshandel, grov",
    "Våldtäkt",
    "Våldtäkt, försök",
    "Våld/hot mot tjänsteman",
    "Olaga frihetsberövande/människorov",
    "Explosion",
    "Detonation",
}

needs_external = pytest.mark.skipif(
    not EXTERNAL.is_dir(), reason="../shared/external (the real public files) is missing"
)


def events_by_kommun(frame: pd.DataFrame) -> pd.DataFrame:
    """The events that count for a kommun, by a second method: no summary or update
    posts, no location name ending in " län", then each point joined to the kommun
    polygon that holds it (column ``kommun_id``)."""
    kinds = frame["type"].str.casefold()
    keep = ~kinds.str.startswith(("sammanfattning", "uppdatering"))
    keep &= ~frame["location_name"].str.strip().str.casefold().str.endswith(" län")
    kept = frame[keep]
    points = gpd.GeoDataFrame(
        kept,
        geometry=gpd.points_from_xy(kept["lon"].astype(float), kept["lat"].astype(float)),
        crs="EPSG:4326",
    )
    kommuner = gpd.read_file(KOMMUNER_GEOJSON).rename(columns={"id": "kommun_id"})
    return gpd.sjoin(points, kommuner[["kommun_id", "geometry"]], predicate="within")


def without_demo_incidents(engine) -> None:
    """Roll back the demo's synthetic incidents, so the totals hold only polisen.se's."""
    with engine.connect() as connection:
        ids = connection.execute(
            select(schema.import_batch.c.id).where(
                schema.import_batch.c.kind == batches.INCIDENTS_KIND
            )
        ).scalars()
        for batch_id in list(ids):
            batches.set_status(engine, batch_id, batches.ROLLED_BACK, actor=ADMIN)


@pytest.fixture(scope="module")
def imported(tmp_path_factory, demo_db):
    """The 2024 CSV imported, with no mapping, into four demo kommuner without their
    synthetic incidents and into Malmö and Göteborg."""
    if not EXTERNAL.is_dir():
        pytest.skip("../shared/external (the real public files) is missing")
    path = tmp_path_factory.mktemp("polisen") / "demo.sqlite"
    path.write_bytes(demo_db.read_bytes())
    engine = store.make_engine(str(path))
    without_demo_incidents(engine)
    with engine.begin() as connection:
        for code, name in EXTRA_KOMMUNER.items():
            store.ensure_kommun(connection, code, name)
    results = {
        kommun: incidents.import_incidents(engine, EVENTS_CSV, kommun, actor=ADMIN)
        for kommun in KOMMUNER
    }
    frame = pd.read_csv(EVENTS_CSV, dtype=str, keep_default_na=False)
    yield engine, path, results, frame
    engine.dispose()


@needs_external
@pytest.mark.parametrize("kommun", KOMMUNER)
def test_the_csv_counts_each_kommun_like_a_geopandas_sjoin(imported, kommun):
    engine, _path, results, frame = imported
    result = results[kommun]
    expected = events_by_kommun(frame)
    mine = expected[expected["kommun_id"] == kommun]
    assert (result["rows"], result["rejected"]) == (len(frame), 0)
    assert result["counted"] == len(mine) > 0
    figures = place_figures(engine, kommun, 2024)["kommun_incidents"]
    assert figures["total"] == len(mine)
    violent = mine["type"].isin(VIOLENT_TYPES).sum()
    assert figures["by_category"].get("våld", 0) == violent
    assert violent > 0 or kommun not in EXTRA_KOMMUNER


@needs_external
def test_the_summary_counts_precision_and_exclusions_by_hand(imported):
    _engine, _path, results, frame = imported
    summaries = frame["type"].str.match(r"(?i)sammanfattning|uppdatering")
    events = frame[~summaries]
    lan = events["location_name"].str.endswith(" län")
    result = results["1380"]
    assert result["precision"] == {"punkt": 0, "kommun": int((~lan).sum()), "län": int(lan.sum())}
    assert result["excluded"] == {
        "sammanfattning": int(summaries.sum()),
        "dubblett": 0,
        "annan_kommun": int((~lan).sum()) - result["counted"],
    }
    assert result["precision"]["län"] > 713  # "Hallands län" alone has 713 events
    kinds = set(result["unknown_categories"])
    assert kinds <= set(events["type"]) and not kinds & VIOLENT_TYPES
    assert "Övrigt" not in kinds and "Rån övrigt" not in kinds


@needs_external
def test_no_lan_event_is_stored_and_kommun_events_are_never_placed(imported):
    engine, _path, _results, _frame = imported
    incident, link = schema.incident, schema.incident_place
    active = select(schema.import_batch.c.id).where(schema.import_batch.c.status == batches.ACTIVE)
    with engine.connect() as connection:
        rows = connection.execute(
            select(incident.c.location_precision, incident.c.x, incident.c.place_text).where(
                incident.c.batch_id.in_(active)
            )
        ).all()
        links = connection.execute(
            select(func.count()).select_from(link).where(link.c.batch_id.in_(active))
        ).scalar_one()
    assert {precision for precision, _x, _text in rows} == {"kommun"}
    assert all(x is None for _p, x, _text in rows)
    assert not any(text.endswith(" län") for _p, _x, text in rows)
    assert links == 0


@needs_external
def test_the_stats_command_gives_the_same_kommun_total(imported):
    _engine, path, results, _frame = imported
    done = run_cli(
        "--db", str(path), "stats", "--kommun", "1380", "--year", "2024", "--format", "json"
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["kommun_incidents"]["total"] == results["1380"]["counted"]


@needs_external
def test_hot_spots_count_no_kommun_only_event(imported):
    engine, _path, results, _frame = imported
    assert results["1984"]["counted"] > 0
    found = report.hotspots(engine, "1984", year=2024, cell=1000)
    assert sum(feature["properties"]["count"] for feature in found["grid"]["features"]) == 0
    assert found["places"] and sum(place["count"] for place in found["places"]) == 0


@needs_external
def test_the_api_json_imports_with_no_mapping(demo_engine):
    without_demo_incidents(demo_engine)
    events = json.loads(EVENTS_JSON.read_text(encoding="utf-8"))
    frame = pd.DataFrame(
        {
            "type": [e["type"] for e in events],
            "location_name": [e["location"]["name"] for e in events],
            "lat": [e["location"]["gps"].split(",")[0] for e in events],
            "lon": [e["location"]["gps"].split(",")[1] for e in events],
        }
    )
    expected = events_by_kommun(frame)
    for kommun in ("1380", "0683"):
        result = incidents.import_incidents(demo_engine, EVENTS_JSON, kommun, actor=ADMIN)
        assert (result["rows"], result["rejected"]) == (500, 0)
        assert result["counted"] == (expected["kommun_id"] == kommun).sum() > 0
        assert (
            place_figures(demo_engine, kommun, 2024)["kommun_incidents"]["total"]
            == (result["counted"])
        )


def laholm_point() -> tuple[float, float]:
    """(lat, lon) of a point in the test places' Parken (SWEREF 99 TM 370 500, 6 265 500)."""
    lon, lat = Transformer.from_crs(3006, 4326, always_xy=True).transform(370_500, 6_265_500)
    return lat, lon


def event(number: int, kind: str, name: str, when: str, gps: str = "56.5,13.0") -> dict:
    return {
        "id": number,
        "datetime": when,
        "name": f"{when}, {kind}, {name}",
        "summary": "Hemlig text",
        "url": f"/aktuellt/handelser/{number}",
        "type": kind,
        "location": {"name": name, "gps": gps},
    }


def tiny_events() -> list[dict]:
    lat, lon = laholm_point()
    return [
        event(1, "Sammanfattning natt", "Hallands län", "2024-06-01 7:00:00 +02:00"),
        event(2, "Misshandel", "Hallands län", "2024-06-01 2:00:00 +02:00"),
        event(3, "Rån övrigt", "Laholm", "2024-06-30 23:30:00 +00:00"),
        event(4, "Skottlossning", "Laholm, Parken", "2024-06-02 1:00:00 +02:00", f"{lat},{lon}"),
        event(5, "Stöld", "Halmstad", "2024-06-03 1:00:00 +02:00"),
        event(3, "Rån övrigt", "Laholm", "2024-06-30 23:30:00 +00:00"),
        event(6, "Konstig typ", "Laholms kommun", "2024-03-15T21:40:00Z"),
        event(7, "Uppdatering", "Laholm", "2024-06-04 9:00:00 +02:00"),
    ]


def test_a_tiny_json_by_hand(engine, tmp_path):
    add_places(engine, tmp_path)
    path = tmp_path / "events.json"
    path.write_text(json.dumps({"events": tiny_events()}), encoding="utf-8")
    result = incidents.import_incidents(engine, path, "1381", actor=ADMIN)
    assert (result["rows"], result["accepted"], result["rejected"]) == (8, 8, 0)
    assert result["precision"] == {"punkt": 1, "kommun": 3, "län": 1}
    assert result["excluded"] == {"sammanfattning": 2, "dubblett": 1, "annan_kommun": 1}
    assert result["unknown_categories"] == {"Konstig typ": 1}
    assert result["counted"] == 3
    incident = schema.incident
    with engine.connect() as connection:
        stored = {
            row.source_id: row
            for row in connection.execute(
                select(
                    incident.c.source_id,
                    incident.c.row_number,
                    incident.c.occurred_at,
                    incident.c.category,
                    incident.c.location_precision,
                    incident.c.x,
                )
            )
        }
    assert set(stored) == {"3", "4", "6"}
    assert stored["3"].row_number == 4  # event 2 (0-based) on row 4
    assert stored["3"].occurred_at == dt.datetime(2024, 7, 1, 1, 30)
    assert stored["6"].occurred_at == dt.datetime(2024, 3, 15, 22, 40)
    assert stored["3"].category == "våld" and stored["4"].category == "våld"
    assert (stored["4"].location_precision, stored["3"].location_precision) == ("punkt", "kommun")
    assert stored["3"].x is None and stored["4"].x == pytest.approx(370_500, abs=0.01)
    places = {
        p["place"]: p["incidents"]["total"] for p in place_figures(engine, "1381", 2024)["places"]
    }
    assert places == {"Byn": 0, "Parken": 1, "Torget": 1}


def test_duplicate_ids_across_overlapping_snapshots_count_once(engine, tmp_path):
    add_places(engine, tmp_path)
    when = "2024-05-{:02d} 12:00:00 +02:00"
    laholm = [event(n, "Stöld", "Laholm", when.format(n)) for n in range(1, 9)]
    first, second, third = tmp_path / "a.json", tmp_path / "b.json", tmp_path / "c.json"
    first.write_text(json.dumps(laholm[:6]), encoding="utf-8")
    second.write_text(json.dumps(laholm[3:]), encoding="utf-8")
    one = incidents.import_incidents(engine, first, "1381", actor=ADMIN)
    two = incidents.import_incidents(engine, second, "1381", actor=ADMIN)
    assert (one["counted"], one["excluded"]["dubblett"]) == (6, 0)
    assert (two["counted"], two["excluded"]["dubblett"]) == (2, 3)
    assert place_figures(engine, "1381", 2024)["kommun_incidents"]["total"] == 8
    batches.set_status(engine, one["batch_id"], batches.ROLLED_BACK, actor=ADMIN)
    third.write_text(json.dumps(laholm[:2] + laholm[:1]), encoding="utf-8")
    three = incidents.import_incidents(engine, third, "1381", actor=ADMIN)
    assert (three["counted"], three["excluded"]["dubblett"]) == (2, 1)


def test_a_mapped_precision_column_and_a_shared_point_warning(engine, tmp_path):
    add_places(engine, tmp_path)
    path = tmp_path / "est.csv"
    path.write_text(
        "datum;kategori;x;y;läge\n"
        "2024-02-01;Klotter;370500;6265500;Punkt\n"
        "2024-02-02;Klotter;370500;6265500;municipality\n"
        "2024-02-03;Klotter;370500;6265500;län\n"
        "2024-02-04;Klotter;370500;6265500;COUNTY\n"
        "2024-02-05;Klotter;370800;6265800;\n"
        "2024-02-06;Klotter;370800;6265800;vet ej\n",
        encoding="utf-8",
    )
    result = incidents.import_incidents(
        engine, path, "1381", mapping={"precision": "läge"}, actor=ADMIN
    )
    assert (result["accepted"], result["rejected"]) == (5, 1)
    assert (
        result["errors"][0]["row"] == 7
        and "punkt, kommun eller län" in result["errors"][0]["message"]
    )
    assert result["precision"] == {"punkt": 2, "kommun": 1, "län": 2}
    assert result["counted"] == 3
    assert len(result["warnings"]) == 1 and "370500, 6265500" in result["warnings"][0]
    assert " 4 rader" in result["warnings"][0]
    places = {
        p["place"]: p["incidents"]["total"] for p in place_figures(engine, "1381", 2024)["places"]
    }
    assert places["Parken"] == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-01-01 0:40:16 +01:00", dt.datetime(2024, 1, 1, 0, 40, 16)),
        ("2024-03-15T21:40:00Z", dt.datetime(2024, 3, 15, 22, 40)),
        ("2024-07-01 12:00:00 +02:00", dt.datetime(2024, 7, 1, 12, 0)),
        ("2024-07-01 12:00 +0100", dt.datetime(2024, 7, 1, 13, 0)),
        ("2024-06-30 23:30:00 +00:00", dt.datetime(2024, 7, 1, 1, 30)),
        ("2024-03-15 21:40", dt.datetime(2024, 3, 15, 21, 40)),
        ("15/3/2024", dt.datetime(2024, 3, 15)),
    ],
)
def test_times_are_swedish_local_time_one_by_one_and_vectorised(text, expected):
    assert polisen.parse_when(text)[0] == expected
    assert polisen.parse_dates([text, "igår"], ["", ""])[0][0] == expected
    assert polisen.parse_dates([text, "igår"], ["", ""])[1] is None


@pytest.mark.parametrize("kind", sorted(VIOLENT_TYPES))
def test_every_violent_polisen_type_is_violence(kind):
    assert incidents.canonical_category(kind) == ("våld", True)


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("Stöld övrigt", "stöld"),
        ("Övrigt", "övrigt"),
        ("Hotell", None),
        ("Trafikolycka, vilt", "trafik"),
        ("Fylleri/LOB", "ordningsstörning"),
        ("Stöld/inbrott", "inbrott"),
    ],
)
def test_a_crime_word_beats_ovrigt(kind, expected):
    category, known = incidents.canonical_category(kind)
    assert (category, known) == ((expected, True) if expected else ("övrigt", False))


def test_json_that_is_not_an_event_list_is_refused_in_swedish(engine, tmp_path):
    add_places(engine, tmp_path)
    deep = tmp_path / "djup.json"
    nested: list = [event(1, "Stöld", "Laholm", "2024-05-01 12:00:00 +02:00")]
    for _ in range(8):
        nested = [nested]
    deep.write_text(json.dumps(nested), encoding="utf-8")
    with pytest.raises(TryggError, match="nästlad djupare än 5 nivåer"):
        incidents.import_incidents(engine, deep, "1381", actor=ADMIN)
    loose = tmp_path / "lista.json"
    loose.write_text(json.dumps([event(1, "Stöld", "Laholm", "2024-05-01 12:00"), 7]))
    with pytest.raises(TryggError, match="rad 3 är inte ett objekt"):
        incidents.import_incidents(engine, loose, "1381", actor=ADMIN)
    recursion = tmp_path / "rekursion.json"
    recursion.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(TryggError, match="nästlad"):
        incidents.import_incidents(engine, recursion, "1381", actor=ADMIN)


def test_a_geojson_named_json_is_still_a_layer(engine, tmp_path):
    add_places(engine, tmp_path)
    lat, lon = laholm_point()
    feature = {
        "type": "Feature",
        "properties": {"datum": "2024-02-01 22:15", "kategori": "Klotter"},
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
    }
    path = tmp_path / "est.json"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    result = incidents.import_incidents(engine, path, "1381", actor=ADMIN)
    assert (result["accepted"], result["precision"]["punkt"], result["counted"]) == (1, 1, 1)


def test_kommun_names_fold_like_polisen_writes_them():
    assert polisen.same_kommun("Göteborg", "Göteborgs kommun")
    assert polisen.same_kommun("Stockholm, Södermalm", "Stockholms stad")
    assert not polisen.same_kommun("Halmstad", "Laholm")
    assert polisen.polisen_precisions(
        ["Hallands län", "Laholm, Parken", "Laholm, Torget", "Laholm, Byn", "Laholm"],
        np.array([1.0, 2.0, 3.0, 3.0, 4.0]),
        np.array([1.0, 2.0, 3.0, 3.0, 4.0]),
    ) == ["län", "punkt", "kommun", "kommun", "kommun"]


@needs_external
def test_a_store_whose_places_are_the_kommuner_counts_each_like_a_sjoin(engine, tmp_path):
    # A län or the whole country as one store, its places Sweden's 290 kommuner: each
    # kommun-level event counts for the place that is its kommun, as a geopandas sjoin
    # of the same events with the kommun polygons counts them; län events count nowhere.
    run = run_cli(
        "--db", str(tmp_path / "t.sqlite"), "import-places", "--kommun", "9999",
        "--kommun-name", "Sverige", str(KOMMUNER_GEOJSON),
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    sweden = store.make_engine(str(tmp_path / "t.sqlite"))
    summary = incidents.import_incidents(sweden, EVENTS_CSV, "9999", actor=ADMIN)
    frame = pd.read_csv(EVENTS_CSV, dtype=str, keep_default_na=False)
    expected = events_by_kommun(frame)
    assert summary["rejected"] == 0 and summary["excluded"]["annan_kommun"] == 0
    assert summary["counted"] == len(expected)
    names = gpd.read_file(KOMMUNER_GEOJSON).set_index("id")["kom_namn"]
    by_place = expected.groupby("kommun_id").size().rename(index=names).to_dict()
    figures = place_figures(sweden, "9999", 2024)
    ours = {p["place"]: p["incidents"]["total"] for p in figures["places"]}
    assert {name: count for name, count in ours.items() if count} == by_place
    assert figures["kommun_incidents"]["total"] == len(expected)
    sweden.dispose()
