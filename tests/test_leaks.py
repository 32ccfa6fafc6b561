"""The leak scan: no public output lets a subtraction reveal a small group.

A tiny kommun is built where hiding matters: Parken and Torget lie inside Centrum,
Byn and Ängen apart, a few answers and incidents fall outside every place; survey n
between 1 and 9 and incident counts of 1 and 2 occur, over two years. Every public
output is collected (``trygg stats --public`` as JSON and CSV, ``hotspots --public``,
``time-profile --public``, months through the same functions, the map's tooltips) and
an attacker written here, independent of :mod:`trygg.suppression`, tries every
subtraction: a published figure minus any disjoint published figures that lie inside
it (places, categories, months, hours, grid cells), pairs across dimensions, periods
against each other, and Gi* turned back into counts.
"""

from __future__ import annotations

import csv
import html as htmllib
import io
import itertools
import json
import random
import warnings

import esda
import geopandas as gpd
import libpysal
import numpy as np
import pytest
from shapely.geometry import Point, box

from tests.conftest import run_cli
from trygg import formatting, maps, places, store
from trygg.auth import local_admin
from trygg.importers import survey_answers
from trygg.importers.crime_stats import import_crime_stats
from trygg.importers.incidents import import_incidents
from trygg.scales import INCIDENT_CATEGORIES
from trygg.stats import report
from trygg.stats.report import place_figures

ADMIN = local_admin()
KOMMUN = "1381"
MIN_N, K = 10, 3
YEARS = (2023, 2024)
PLACES = {
    "Centrum": box(370_000, 6_265_000, 371_000, 6_266_000),
    "Parken": box(370_400, 6_265_400, 370_600, 6_265_600),
    "Torget": box(370_700, 6_265_700, 370_900, 6_265_900),
    "Byn": box(380_000, 6_270_000, 381_000, 6_271_000),
    "Ängen": box(385_000, 6_270_000, 386_000, 6_271_000),
}
#: Where each group's points lie: inside its place and no smaller one.
SPOTS = {
    "Centrum": (370_150, 6_265_150),
    "Parken": (370_500, 6_265_500),
    "Torget": (370_800, 6_265_800),
    "Byn": (380_500, 6_270_500),
    "Ängen": (385_500, 6_270_500),
    "utanför": (390_500, 6_275_500),
}
#: Respondents per group and year ("Centrum" means in Centrum but in neither park nor square).
RESPONDENTS = {
    2024: {"Parken": 40, "Torget": 12, "Centrum": 1, "Byn": 5, "Ängen": 15, "utanför": 3},
    2023: {"Parken": 30, "Torget": 9, "Centrum": 2, "Byn": 12, "Ängen": 11, "utanför": 0},
}
INCIDENTS = {
    2024: {
        "Parken": {"skadegörelse": 15, "klotter": 4, "narkotika": 1},
        "Torget": {"våld": 3, "hot": 2},
        "Centrum": {"stöld": 2},
        "Byn": {"inbrott": 1},
        "Ängen": {"buskörning": 8, "trafik": 2},
        "utanför": {"övrigt": 2},
    },
    2023: {
        "Parken": {"skadegörelse": 10, "klotter": 2},
        "Torget": {"våld": 1},
        "Centrum": {"stöld": 4},
        "Byn": {"inbrott": 2},
        "Ängen": {"buskörning": 5},
    },
}


def groups_of(place: str) -> set[str]:
    """The point groups a place holds (by construction of SPOTS)."""
    if place is None:
        return set(SPOTS)
    return {g for g, (x, y) in SPOTS.items() if PLACES[place].contains(Point(x, y))}


def incident_rows(seed: int, byn_2024: int = 1) -> list[dict]:
    """The incidents; ``byn_2024`` > 1 adds Byn's extra ones last, from a stream of their
    own, so every other incident stays exactly where it was."""
    rng = random.Random(seed)
    rows = _rows(rng, INCIDENTS)
    extra = {2024: {"Byn": {"inbrott": byn_2024 - INCIDENTS[2024]["Byn"]["inbrott"]}}}
    return rows + _rows(random.Random(seed + 1), extra)


def _rows(rng: random.Random, spec: dict) -> list[dict]:
    rows = []
    for year, groups in spec.items():
        for group, categories in groups.items():
            for category, count in categories.items():
                for _ in range(count):
                    x, y = SPOTS[group]
                    day = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
                    timed = rng.random() < 0.7
                    rows.append(
                        {
                            "datum": f"{day} {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}"
                            if timed
                            else day,
                            "kategori": INCIDENT_CATEGORIES[category],
                            "x": x + rng.uniform(-40, 40),
                            "y": y + rng.uniform(-40, 40),
                            "group": group,
                            "category": category,
                        }
                    )
    return rows


def build(tmp_path, byn_2024: int = 1) -> tuple[object, list[dict]]:
    """The kommun in a fresh database; returns the engine and the incidents' truth."""
    engine = store.make_engine(str(tmp_path / "lacka.sqlite"))
    store.upgrade(engine)
    layer = tmp_path / "platser.gpkg"
    gpd.GeoDataFrame({"namn": list(PLACES)}, geometry=list(PLACES.values()), crs=3006).to_file(
        layer, driver="GPKG"
    )
    places.import_places(engine, layer, KOMMUN, name_field="namn", actor=ADMIN)
    rng = random.Random(5)
    lines = ["x;y;ar;trygg_kvall;problem_klotter;oro_inbrott"]
    for year, groups in RESPONDENTS.items():
        for group, count in groups.items():
            for _ in range(count):
                x, y = SPOTS[group]
                klotter = rng.choice(["1", "2", "3", "4", ""])
                lines.append(
                    f"{x + rng.uniform(-40, 40):.1f};{y + rng.uniform(-40, 40):.1f};{year};"
                    f"{rng.randint(1, 5)};{klotter};{rng.randint(1, 4)}"
                )
    survey = tmp_path / "enkat.csv"
    survey.write_text("\n".join(lines) + "\n", encoding="utf-8")
    survey_answers.import_survey(engine, survey, KOMMUN, actor=ADMIN)
    truth = incident_rows(seed=9, byn_2024=byn_2024)
    events = tmp_path / "handelser.csv"
    events.write_text(
        "datum;kategori;x;y\n"
        + "".join(f"{r['datum']};{r['kategori']};{r['x']:.1f};{r['y']:.1f}\n" for r in truth),
        encoding="utf-8",
    )
    import_incidents(engine, events, KOMMUN, actor=ADMIN)
    bra = tmp_path / "bra.csv"
    bra.write_text(
        "område;period;brottstyp;antal;per 100 000\n"
        "Laholm;2024;Samtliga brott;40;160\nLaholm;2024;Rån;1;4\nLaholm;2024;Mord;2;8\n"
        "Centrum;2024;Skadegörelse;5;\nByn;2024;Inbrott;2;\n",
        encoding="utf-8",
    )
    import_crime_stats(engine, bra, KOMMUN, actor=ADMIN)
    return engine, truth


# --- Collecting what the public sees -------------------------------------------------


def _published_incidents(engine, db: str) -> dict:
    """Every public incident count: key → value, keys as (place, category, time)."""
    found: dict = {}

    def put(key, value):
        if value is None:
            return
        assert found.setdefault(key, value) == value, f"{key} published as two values"

    def blocks(figures, time, previous):
        for place in [
            *figures["places"],
            {"place": None, "incidents": figures["kommun_incidents"]},
        ]:
            block = place["incidents"]
            put((place["place"], None, time), block["total"])
            put((place["place"], None, previous), block["previous_total"])
            for category, value in block["by_category"].items():
                put((place["place"], category, time), value)

    for year in YEARS:
        result = run_cli("--db", db, "stats", "--kommun", KOMMUN, "--year", str(year), "--public")
        assert result.returncode == 0, result.stderr
        blocks(json.loads(result.stdout), ("year", year), ("year", year - 1))
        for month in range(1, 13):
            figures = place_figures(
                engine,
                KOMMUN,
                year,
                start=_day(year, month, 1),
                end=_month_end(year, month),
                public=True,
            )
            before = (year, month - 1) if month > 1 else (year - 1, 12)
            blocks(figures, ("month", year, month), ("month", *before))
        for place in [None, *PLACES]:
            for category in [None, *INCIDENT_CATEGORIES]:
                profile = report.time_profile(
                    engine, KOMMUN, year=year, place=place, category=category, public=True
                )
                put((place, category, ("year", year)), profile["total"])
                put((place, category, ("timed", year)), profile["timed"])
                for month, value in profile["by_month"].items():
                    put((place, category, ("month", year, int(month[5:]))), value)
                for day, row in enumerate(profile["hour_weekday"]):
                    for hour, value in enumerate(row):
                        put((place, category, ("hour", year, day, hour)), value)
    cli_profile = run_cli(
        "--db", db, "time-profile", "--kommun", KOMMUN, "--year", "2024", "--public"
    )
    assert cli_profile.returncode == 0, cli_profile.stderr
    profile = json.loads(cli_profile.stdout)
    put((None, None, ("timed", 2024)), profile["timed"])
    return found


def _day(year, month, day):
    import datetime as dt

    return dt.date(year, month, day)


def _month_end(year, month):
    import datetime as dt

    return dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)


def _hotspots(db: str, cell: int = 100) -> dict:
    result = run_cli(
        "--db",
        db,
        "hotspots",
        "--kommun",
        KOMMUN,
        "--year",
        "2024",
        "--public",
        "--cell",
        str(cell),
        "--format",
        "json",
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# --- The attacker's ground truth -----------------------------------------------------


def _inside(small, large) -> bool:
    """Structural containment: what a reader knows from the map and the definitions."""
    (place_b, cat_b, time_b), (place_a, cat_a, time_a) = small, large
    if small == large:
        return False
    if not groups_of(place_b) <= groups_of(place_a):
        return False
    if cat_a is not None and cat_a != cat_b:
        return False
    return _time_inside(time_b, time_a)


def _candidates_inside(key) -> list:
    """Every key that could lie inside ``key`` (checked by :func:`_inside`)."""
    place, category, time = key
    inner = [p for p in [None, *PLACES] if groups_of(p) <= groups_of(place)]
    categories = [None, *INCIDENT_CATEGORIES] if category is None else [category]
    year = time[1]
    times = [time]
    if time[0] == "year":
        times += [("timed", year), *(("month", year, m) for m in range(1, 13))]
    if time[0] in ("year", "timed"):
        times += [("hour", year, d, h) for d in range(7) for h in range(24)]
    return list(itertools.product(inner, categories, times))


def _time_inside(small, large) -> bool:
    if small[1] != large[1]:
        return False
    if large[0] == "year":
        return True
    if large[0] == "timed":
        return small[0] in ("timed", "hour")
    return small == large


def _residuals(container: int, members: list[int]) -> set[int]:
    """Every value container − Σ(some members) for disjoint members (subset sums)."""
    sums = {0}
    for value in members:
        sums |= {s + value for s in sums if s + value <= container}
    return {container - s for s in sums if s > 0}


def test_no_subtraction_of_public_figures_reveals_a_small_group(tmp_path):
    engine, _truth = build(tmp_path)
    db = engine.url.database
    published = _published_incidents(engine, db)
    assert any(v == 0 for v in published.values()) and len(published) > 500
    leaks = []
    # Pairs: a figure minus one inside it, in any way (place, category, time or several).
    for a, va in published.items():
        for b in _candidates_inside(a):
            vb = published.get(b)
            if vb is not None and _inside(b, a) and 0 < va - vb < K:
                leaks.append(("pair", a, va, b, vb))
    # A figure minus disjoint figures inside it, one way at a time.
    families = _families(published)
    for a, va in published.items():
        if va == 0:
            continue
        for members in _disjoint_families(a, published, families):
            small = {r for r in _residuals(va, members) if 0 < r < K}
            if small:
                leaks.append(("sum", a, va, members, small))
    assert leaks == []


def _families(published: dict) -> dict:
    """Published figures grouped into families of pairwise disjoint parts of a whole."""
    families: dict = {}
    for (place, category, time), value in published.items():
        if category is not None:
            families.setdefault(("categories", place, time), []).append(value)
        if time[0] in ("month", "hour"):
            families.setdefault((time[0], place, category, time[1]), []).append(value)
    return families


def _disjoint_families(a, published, families) -> list[list[int]]:
    """Published figures inside ``a`` that are pairwise disjoint: its categories, months
    or hours, and places inside it that do not overlap."""
    place, category, time = a
    found = []
    if category is None:
        found.append(families.get(("categories", place, time), []))
    if time[0] == "year":
        found.append(families.get(("month", place, category, time[1]), []))
    if time[0] in ("year", "timed"):
        found.append(families.get(("hour", place, category, time[1]), []))
    inner = [p for p in PLACES if p != place and groups_of(p) < groups_of(place)]
    for size in range(1, len(inner) + 1):
        for chosen in itertools.combinations(inner, size):
            if all(not groups_of(x) & groups_of(y) for x, y in itertools.combinations(chosen, 2)):
                values = [published.get((p, category, time)) for p in chosen]
                if all(v is not None for v in values):
                    found.append([sum(values)])
    return found


def test_no_survey_figure_reveals_fewer_than_min_n_answers(tmp_path):
    engine, _truth = build(tmp_path)
    db = engine.url.database
    for year in YEARS:
        result = run_cli("--db", db, "stats", "--kommun", KOMMUN, "--year", str(year), "--public")
        figures = json.loads(result.stdout)
        csv_rows = run_cli(
            "--db",
            db,
            "stats",
            "--kommun",
            KOMMUN,
            "--year",
            str(year),
            "--public",
            "--format",
            "csv",
        ).stdout
        indicators = list(figures["kommun_total"])
        for indicator in indicators:
            shown = {None: figures["kommun_total"][indicator]}
            for place in figures["places"]:
                shown[place["place"]] = _survey_figure(place["survey"], indicator)
            ns = {p: f["n"] for p, f in shown.items() if not f["suppressed"]}
            assert all(n >= MIN_N for n in ns.values())
            for container, n in ns.items():
                inner = [p for p in ns if p is not None and groups_of(p) < groups_of(container)]
                for size in range(1, len(inner) + 1):
                    for chosen in itertools.combinations(inner, size):
                        if all(
                            not groups_of(x) & groups_of(y)
                            for x, y in itertools.combinations(chosen, 2)
                        ):
                            left = n - sum(ns[p] for p in chosen)
                            assert not 0 < left < MIN_N, (year, indicator, container, chosen)
    # The CSV publishes no share the JSON hides (its last year is 2024).
    hidden = {(p["place"], "andel_otrygga") for p in figures["places"] if p["survey"]["suppressed"]}
    for row in csv.DictReader(io.StringIO(csv_rows)):
        if (row.get("place"), row.get("indicator")) in hidden or row.get("suppressed") == "true":
            assert row.get("andel") in ("", None), row
    # The headline stays: the kommun total is shown and a smaller place is hidden instead.
    assert figures["kommun_total"]["andel_otrygga"]["suppressed"] is False
    assert any(p["survey"]["secondary_suppression"] for p in figures["places"])


def _survey_figure(survey: dict, indicator: str) -> dict:
    if indicator == "andel_otrygga":
        return {"n": survey["n"], "suppressed": survey["suppressed"]}
    prefix, slug = indicator.split("_", 1)
    return survey[prefix].get(slug) or {"n": 0, "suppressed": True}


def test_gi_star_is_computed_on_published_counts_only(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    engine, _ = build(tmp_path / "a", byn_2024=1)
    other, _ = build(tmp_path / "b", byn_2024=2)
    first, second = _hotspots(engine.url.database), _hotspots(other.url.database)
    by_place = {p["place"]: p for p in first["places"]}
    # Byn's count (1 or 2) is hidden, and so is its Gi*; the other places' Gi* are the same
    # whichever it is, so nothing can be turned back into it.
    assert by_place["Byn"]["count"] is None and by_place["Byn"]["gi_z"] is None
    assert [p["gi_z"] for p in first["places"]] == [p["gi_z"] for p in second["places"]]
    assert [f["properties"] for f in first["grid"]["features"]] == [
        f["properties"] for f in second["grid"]["features"]
    ]
    # A second method: esda on the published place counts alone gives the published z.
    shown = [p for p in first["places"] if p["count"] is not None]
    frame = places.load_places(engine, KOMMUN).set_index("name").loc[[p["place"] for p in shown]]
    centroids = np.array([(g.centroid.x, g.centroid.y) for g in frame.geometry])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        weights = libpysal.weights.KNN(centroids, k=min(4, max(1, (len(shown) - 1) // 2)))
        g = esda.G_Local(
            np.array([p["count"] for p in shown], dtype=float),
            weights,
            transform="B",
            star=True,
            permutations=0,
        )
    assert [p["gi_z"] for p in shown] == pytest.approx(list(g.Zs), abs=1e-3)
    for feature in first["grid"]["features"]:
        assert feature["properties"]["count"] >= K


def test_grid_cells_cannot_be_subtracted_from_the_kommun_or_a_place(tmp_path):
    engine, _truth = build(tmp_path)
    published = _published_incidents(engine, engine.url.database)
    for cell in (100, 250, 1000):
        grid = _hotspots(engine.url.database, cell)["grid"]["features"]
        counts = [f["properties"]["count"] for f in grid]
        for place in [None, *PLACES]:
            total = published.get((place, None, ("year", 2024)))
            if total is None:
                continue
            inside = [
                f["properties"]["count"]
                for f in grid
                if place is None or _cell_box(f).within(PLACES[place].buffer(1))
            ]
            small = {r for r in _residuals(total, inside) if 0 < r < K}
            assert not small, (cell, place, total, inside)
        assert all(c >= K for c in counts)


def _cell_box(feature):
    from pyproj import Transformer

    ring = feature["geometry"]["coordinates"][0]
    to_sweref = Transformer.from_crs(4326, 3006, always_xy=True)
    xs, ys = to_sweref.transform([p[0] for p in ring], [p[1] for p in ring])
    return box(min(xs), min(ys), max(xs), max(ys))


def test_public_periods_are_whole_years_or_months(tmp_path):
    engine, _ = build(tmp_path)
    db = engine.url.database
    for start, end in (("2024-01-01", "2024-01-10"), ("2024-01-01", "2024-02-29")):
        result = run_cli(
            "--db", db, "stats", "--kommun", KOMMUN, "--from", start, "--to", end, "--public"
        )
        assert result.returncode == 1 and "hel kalendermånad" in result.stderr
    day = run_cli(
        "--db", db, "stats", "--kommun", KOMMUN, "--from", "2024-01-01", "--to", "2024-01-10"
    )
    assert day.returncode == 0  # the coordinator's exact view takes any range


def test_bra_counts_below_k_are_hidden_in_public_output(tmp_path):
    engine, _ = build(tmp_path)
    public = place_figures(engine, KOMMUN, 2024, public=True)
    rows = public["kommun_crime_stats"] + [r for p in public["places"] for r in p["crime_stats"]]
    by_offence = {r["offence"]: r for r in rows}
    assert by_offence["Rån"]["count"] is None and by_offence["Rån"]["per_100k"] is None
    assert by_offence["Mord"]["count"] is None and by_offence["Inbrott"]["count"] is None
    assert by_offence["Samtliga brott"]["count"] == 40
    assert by_offence["Skadegörelse"]["count"] == 5
    exact = place_figures(engine, KOMMUN, 2024)
    assert {r["offence"]: r["count"] for r in exact["kommun_crime_stats"]}["Rån"] == 1


def test_map_tooltips_show_only_published_counts(tmp_path):
    engine, _ = build(tmp_path)
    public = place_figures(engine, KOMMUN, 2024, public=True)
    exact = place_figures(engine, KOMMUN, 2024)
    layer = maps.incident_choropleth(public, maps.INCIDENT_TOTAL)
    frame = places.load_places(engine, KOMMUN)
    tooltips = dict(
        zip(
            maps.web_places(frame, layer)["place_id"],
            maps.web_places(frame, layer)["tooltip"],
            strict=True,
        )
    )
    hidden = 0
    for shown, full in zip(public["places"], exact["places"], strict=True):
        tooltip = htmllib.unescape(tooltips[shown["place_id"]])
        assert formatting.incidents(shown["incidents"]["total"], K) in tooltip
        if shown["incidents"]["total"] is None:
            hidden += 1
            assert formatting.incidents(full["incidents"]["total"], 1) not in tooltip
    assert hidden >= 1
