"""Hot spots over the study area (the places plus a margin), the cell limit, time windows.

Expected numbers are by hand: grid sizes from the places' bounds, counts per window from
the rows written here.
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import REPO, run_cli
from tests.survey_fixtures import add_places
from tests.test_incidents import planted_incidents, write_csv
from trygg.auth import local_admin
from trygg.errors import TryggError
from trygg.importers import incidents
from trygg.scales import HOTSPOT_MARGIN_M, MAX_HOTSPOT_CELLS
from trygg.stats import hotspots, report

ADMIN = local_admin()
#: The test kommun's places span x 370 000–381 000, y 6 265 000–6 271 000 (survey_fixtures).
PLACES = (370_000, 6_265_000, 381_000, 6_271_000)


def _import(engine, tmp_path, rows):
    add_places(engine, tmp_path)
    incidents.import_incidents(engine, write_csv(tmp_path, rows), "1381", actor=ADMIN)


def test_an_incident_300_km_away_is_left_out_and_the_grid_covers_the_places(engine, tmp_path):
    rows = planted_incidents()
    far = {
        "datum": "2024-06-01 12:00",
        "kategori": "skadegörelse",
        "x": 375_000.0,
        "y": 6_565_000.0,
        "antal": 1,
    }
    _import(engine, tmp_path, [*rows, far])
    result = report.hotspots(engine, "1381", year=2024, cell=100)
    margin = HOTSPOT_MARGIN_M
    assert result["study_area"] == [
        PLACES[0] - margin,
        PLACES[1] - margin,
        PLACES[2] + margin,
        PLACES[3] + margin,
    ]
    # (15 000 m / 100 m + 1) columns × (10 000 m / 100 m + 1) rows, by hand.
    assert len(result["grid"]["features"]) == 151 * 101
    total = sum(f["properties"]["count"] for f in result["grid"]["features"])
    assert total == sum(r["antal"] for r in rows if r["datum"].startswith("2024"))
    lats = [
        lat for f in result["grid"]["features"] for _lon, lat in f["geometry"]["coordinates"][0]
    ]
    assert max(lats) < 57.3  # the far incident lies near 59.9° N


def test_a_grid_over_the_limit_is_refused_with_a_larger_cell(engine, tmp_path):
    _import(engine, tmp_path, planted_incidents())
    # 10 m cells: 1 501 × 1 001 = 1 502 501 cells, more than the limit;
    # 10 · √(1 502 501 / limit) ≈ 27 m, so the smallest offered size above it, 100 m, is proposed.
    assert MAX_HOTSPOT_CELLS < 1501 * 1001
    with pytest.raises(TryggError) as refused:
        report.hotspots(engine, "1381", year=2024, cell=10)
    assert "1\u00a0502\u00a0501 rutor" in str(refused.value) and "100 m" in str(refused.value)
    assert "större ruta" in str(refused.value)
    assert hotspots.larger_cell(10, 1501 * 1001) == 100
    assert report.hotspots(engine, "1381", year=2024, cell=100)["grid"]["features"]


def test_the_refusal_on_the_command_line_is_a_swedish_sentence(engine, tmp_path):
    _import(engine, tmp_path, planted_incidents())
    result = run_cli(
        "--db",
        str(tmp_path / "trygg.sqlite"),
        "hotspots",
        "--kommun",
        "1381",
        "--year",
        "2024",
        "--cell",
        "10",
    )
    assert result.returncode == 1
    assert "Välj en större ruta" in result.stderr and "Traceback" not in result.stderr


def _at(x, y, stamp, n=1):
    return {"datum": stamp, "kategori": "skadegörelse", "x": float(x), "y": float(y), "antal": n}


#: Two cells outside every place. A: 5 weekday mornings, 4 weekday evenings, 2 nights.
#: B: 5 Saturday middays, 3 weekday nights, and one incident with a date only.
CELL_A, CELL_B = (375_050, 6_267_050), (376_050, 6_268_050)
WINDOW_ROWS = (
    [_at(*CELL_A, f"2024-03-{4 + i:02d} 10:15") for i in range(5)]  # Mon–Fri
    + [_at(*CELL_A, f"2024-03-{4 + i:02d} 22:30") for i in range(4)]  # Mon–Thu
    + [_at(*CELL_A, "2024-03-05 02:10"), _at(*CELL_A, "2024-03-06 03:40")]
    + [_at(*CELL_B, "2024-03-09 12:00") for _ in range(5)]  # Saturday
    + [_at(*CELL_B, f"2024-03-{11 + i:02d} 01:00") for i in range(3)]  # Mon–Wed
    + [_at(*CELL_B, "2024-03-12")]
)


def _counts(result) -> list[int]:
    return sorted(
        f["properties"]["count"] for f in result["grid"]["features"] if f["properties"]["count"]
    )


@pytest.mark.parametrize(
    ("band", "days", "expected"),
    [
        (None, None, [9, 11]),  # the whole day keeps the dated-only incident
        ("dag", None, [5, 5]),
        ("kvall", None, [4]),
        ("natt", None, [2, 3]),
        (None, "helg", [5]),
        ("dag", "vardag", [5]),
        ("natt", "helg", []),
    ],
)
def test_time_windows_count_by_hand(engine, tmp_path, band, days, expected):
    _import(engine, tmp_path, WINDOW_ROWS)
    result = report.hotspots(engine, "1381", year=2024, cell=100, band=band, days=days)
    assert _counts(result) == expected
    assert (result["band"], result["days"]) == (band, days)


def test_a_public_window_hides_cells_with_a_small_part_of_the_day(engine, tmp_path):
    _import(engine, tmp_path, WINDOW_ROWS)
    public = {
        window: _counts(
            report.hotspots(engine, "1381", year=2024, cell=100, public=True, k=3, band=window)
        )
        for window in ("dag", "kvall", "natt")
    }
    # A has 2 at night, B one incident without a time: both cells are hidden in every
    # window, else "whole day − window" would reveal those.
    assert public == {"dag": [], "kvall": [], "natt": []}


def test_a_public_window_shows_a_cell_whose_parts_are_all_large(engine, tmp_path):
    rows = [row for row in WINDOW_ROWS if row["x"] == CELL_B[0] and " " in row["datum"]]
    rows += [_at(*CELL_A, f"2024-03-{4 + i:02d} 10:15") for i in range(4)]
    _import(engine, tmp_path, rows)
    # B: 5 Saturday days, 3 weekday nights; A: 4 weekday days. Every part 0 or ≥ 3.
    dag = report.hotspots(engine, "1381", year=2024, cell=100, public=True, k=3, band="dag")
    assert _counts(dag) == [4, 5]
    natt = report.hotspots(engine, "1381", year=2024, cell=100, public=True, k=3, band="natt")
    assert _counts(natt) == [3]


def test_an_unknown_window_is_refused():
    with pytest.raises(TryggError, match="Tidsfönstret"):
        report.hotspots(None, "1381", band="morgon")
    with pytest.raises(TryggError, match="Dagtypen"):
        report.hotspots(None, "1381", days="fredag")


def test_the_command_line_takes_the_window(engine, tmp_path):
    _import(engine, tmp_path, WINDOW_ROWS)
    result = run_cli(
        "--db",
        str(tmp_path / "trygg.sqlite"),
        "hotspots",
        "--kommun",
        "1381",
        "--year",
        "2024",
        "--cell",
        "100",
        "--band",
        "kvall",
        "--days",
        "vardag",
        "--format",
        "json",
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert sorted(
        f["properties"]["count"] for f in found["grid"]["features"] if f["properties"]["count"]
    ) == [4]


def test_first_zoom_and_visible_cells_by_hand():
    from trygg.maps.viewport import first_zoom, metres_per_pixel, visible_cell_sizes

    laholm = (12.9, 56.4, 13.3, 56.6)
    # At zoom 11 the world is 256 · 2048 = 524 288 px: 0.4° of longitude is 582 px and
    # 0.2° of latitude at 56.5° N about 527 px, both inside 1100 × 650; zoom 12 doubles
    # them past 1100 px.
    assert first_zoom(laholm, (1100, 650)) == 11
    # 40 075 016.686 · cos 56.5° / 524 288 = 42.19 m a pixel; six pixels are 253 m.
    assert metres_per_pixel(56.5, 11) == pytest.approx(42.19, abs=0.01)
    assert visible_cell_sizes(laholm, (100, 250, 500, 1000), (1100, 650)) == [500, 1000]
    # A town of 2 km fits at a zoom where 100 m cells are wide enough.
    assert visible_cell_sizes((13.0, 56.5, 13.03, 56.51), (100, 250), (1100, 650)) == [100, 250]


def test_the_map_page_offers_only_cells_visible_at_its_first_zoom(demo_db, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from trygg import store
    from trygg.maps.viewport import visible_cell_sizes
    from trygg.places import load_places
    from trygg.scales import HOTSPOT_CELL_SIZES
    from trygg.strings import t

    monkeypatch.setenv("TRYGG_DB", str(demo_db))
    monkeypatch.setenv("TRYGG_TILES", "none")
    at = AppTest.from_file(str(REPO / "dashboard" / "app.py"), default_timeout=120)
    at.query_params["kommun"] = "1381"
    at.run()
    at.sidebar.toggle(key="layer_hotspots").set_value(True).run()
    offered = at.sidebar.selectbox(key="hotspot_cell").options
    bounds = tuple(load_places(store.make_engine(str(demo_db)), "1381").to_crs(4326).total_bounds)
    visible = visible_cell_sizes(bounds, HOTSPOT_CELL_SIZES)
    assert offered == [t("fmt.metres", value=size) for size in visible]
    assert t("fmt.metres", value=100) not in offered
    at.sidebar.selectbox(key="hotspot_band").set_value("natt").run()
    assert not at.exception


def _cell(x, gi_bin, emerging):
    ring = [[x, 56.0], [x + 0.01, 56.0], [x + 0.01, 56.01], [x, 56.01], [x, 56.0]]
    return {
        "type": "Feature",
        "properties": {"gi_bin": gi_bin, "count": 5, "emerging": emerging},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


def test_emerging_trends_are_drawn_as_dashes_and_named_in_the_legend():
    from trygg.maps import HotspotLayer
    from trygg.strings import t

    grid = {
        "type": "FeatureCollection",
        "features": [
            _cell(13.00, 3, "new"),
            _cell(13.02, 0, "diminishing"),  # no longer hot, but its trend is shown
            _cell(13.04, 2, "intensifying"),
            _cell(13.06, 0, "none"),  # neither hot nor trending: not drawn
        ],
    }
    layer = HotspotLayer(grid, 250)
    styles = {f["properties"].get("emerging"): f["properties"]["style"] for f in layer.features()}
    assert set(styles) == {"new", "diminishing", "intensifying"}
    assert styles["new"]["dashArray"] == "1 5" and styles["diminishing"]["dashArray"] == "8 5"
    assert styles["intensifying"]["weight"] == 2 * 3.0  # twice the 95 % outline
    legend = layer.legend_html()
    for name in ("new", "diminishing", "intensifying"):
        assert t(f"hot.emerging.{name}") in legend
    assert t("hot.emerging.persistent") not in legend  # the legend lists only what is drawn
