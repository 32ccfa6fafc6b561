"""Syntetiska händelser (EST-/polisliknande punkter) för demon, 2023-01-01 – 2024-12-31.

Every event, date, category, count and description written here is SYNTHETIC (syntetisk):
invented by a seeded random generator with plausible local patterns, so that hot spots and
trends show up in the demo. None of it is real police or EST data, and descriptions are
never shown publicly.

One file per kommun, in "Swedish Excel" form: Windows-1252, ``;``, CRLF, decimal commas.
Output is byte-identical for the same seed.

Usage::

    python geodata/generate_incidents.py OUT_DIR [--seed N]
"""

from __future__ import annotations

import argparse
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from pyproj import Transformer

from trygg.demo.synthetic import Place, load_places, own_area, sample_points, write_excel_csv

GEODATA = Path(__file__).resolve().parents[1] / "geodata"
DEFAULT_SEED = 2024
FIRST_DAY = dt.date(2023, 1, 1)
LAST_DAY = dt.date(2024, 12, 31)
DAYS = [FIRST_DAY + dt.timedelta(days=i) for i in range((LAST_DAY - FIRST_DAY).days + 1)]
#: Background events fall within this distance (metres) of one of the kommun's places.
BACKGROUND_BUFFER_M = 1500.0
#: Points inside a place keep this far (metres) from its edge.
EDGE_MARGIN_M = 5.0

#: kommunkod → folder slug and the coordinate system of the file.
KOMMUNER: dict[str, dict[str, str]] = {
    "1381": {"slug": "laholm", "crs": "wgs84"},
    "1278": {"slug": "bastad", "crs": "wgs84"},
    "1380": {"slug": "halmstad", "crs": "wgs84"},
    "0683": {"slug": "varnamo", "crs": "sweref"},
    "1984": {"slug": "arboga", "crs": "wgs84"},
}


# --- time profiles -------------------------------------------------------------------


def _hours(spec: dict[tuple[int, int], float], base: float = 0.2) -> tuple[float, ...]:
    """24 hourly weights: ``base`` everywhere, ``spec[(start, end)]`` for start..end-1."""
    weights = [base] * 24
    for (start, end), value in spec.items():
        hour, end = start % 24, end % 24
        while True:
            weights[hour] = value
            hour = (hour + 1) % 24
            if hour == end:
                break
    return tuple(weights)


@dataclass(frozen=True)
class TimeProfile:
    dow: tuple[float, ...]  # Monday..Sunday
    month: tuple[float, ...]  # January..December
    hour: tuple[float, ...]  # 0..23


FLAT_MONTHS = (1.0,) * 12
EVENING_WEEKEND = TimeProfile(
    dow=(1.0, 1.0, 1.0, 1.3, 2.4, 2.6, 1.3),
    month=(0.7, 0.7, 0.8, 0.9, 1.1, 1.2, 1.3, 1.3, 1.1, 1.0, 0.8, 0.8),
    hour=_hours({(19, 2): 3.0, (14, 19): 0.8}, 0.15),
)
NIGHT_WEEKEND = TimeProfile(
    dow=(0.7, 0.7, 0.8, 1.1, 2.6, 3.0, 1.1),
    month=(0.8, 0.8, 0.9, 0.9, 1.0, 1.1, 1.2, 1.2, 1.0, 1.0, 0.9, 1.1),
    hour=_hours({(22, 4): 4.0, (18, 22): 1.0, (10, 18): 0.5}, 0.1),
)
DAYTIME = TimeProfile(
    dow=(1.0, 1.0, 1.0, 1.0, 1.2, 1.1, 0.8),
    month=FLAT_MONTHS,
    hour=_hours({(8, 20): 1.0, (20, 23): 0.5}, 0.08),
)
SCHOOL = TimeProfile(
    dow=(1.3, 1.3, 1.3, 1.3, 1.4, 0.5, 0.5),
    month=(1.0, 1.0, 1.0, 1.0, 1.0, 0.6, 0.3, 0.6, 1.1, 1.1, 1.0, 0.8),
    hour=_hours({(8, 16): 1.0, (16, 22): 0.9}, 0.1),
)
SUMMER_EVENING = TimeProfile(
    dow=(0.9, 0.9, 1.0, 1.1, 1.5, 1.6, 1.2),
    month=(0.2, 0.2, 0.4, 0.8, 2.2, 3.5, 4.0, 3.2, 1.2, 0.5, 0.2, 0.2),
    hour=_hours({(18, 24): 3.0, (14, 18): 0.8, (0, 1): 1.2}, 0.1),
)
SUMMER = TimeProfile(
    dow=(1.0, 1.0, 1.0, 1.0, 1.3, 1.4, 1.1),
    month=(0.5, 0.5, 0.6, 0.8, 1.2, 3.0, 4.0, 3.2, 1.0, 0.6, 0.5, 0.6),
    hour=_hours({(9, 24): 1.0, (0, 3): 0.6}, 0.15),
)
GENERAL = TimeProfile(
    dow=(1.0, 1.0, 1.0, 1.0, 1.2, 1.3, 1.0),
    month=(0.9, 0.9, 0.9, 1.0, 1.0, 1.1, 1.1, 1.1, 1.0, 1.0, 0.9, 1.0),
    hour=_hours({(8, 15): 0.7, (15, 24): 1.0, (0, 2): 0.5}, 0.12),
)


# --- categories ----------------------------------------------------------------------

PARK_EVENING = {
    "Skadegörelse": 24,
    "Klotter": 20,
    "Ordningsstörning": 18,
    "Narkotika – innehav": 10,
    "Narkotikahandel": 4,
    "Nedskräpning": 10,
    "Samling av ungdomar": 8,
    "Bråk": 4,
    "Otrygg plats": 2,
}
CENTRUM = {
    "Stöld": 20,
    "Skadegörelse": 14,
    "Klotter": 10,
    "Ordningsstörning": 14,
    "Misshandel": 5,
    "Hot": 6,
    "Nedskräpning": 10,
    "Trafik": 8,
    "Bråk": 5,
    "Narkotika – innehav": 4,
    "Otrygg plats": 4,
}
NIGHTLIFE = {
    "Ordningsstörning": 26,
    "Misshandel": 12,
    "Bråk": 14,
    "Hot": 8,
    "Skadegörelse": 12,
    "Narkotika – innehav": 10,
    "Stöld": 8,
    "Nedskräpning": 6,
    "Otrygg plats": 4,
}
HOUSING = {
    "Skadegörelse": 18,
    "Klotter": 10,
    "Nedskräpning": 14,
    "Samling av ungdomar": 12,
    "Buskörning moped": 8,
    "Stöld": 10,
    "Hot": 6,
    "Narkotika – innehav": 8,
    "Narkotikahandel": 4,
    "Otrygg plats": 6,
    "Bråk": 4,
}
SCHOOL_CATS = {
    "Skadegörelse": 28,
    "Klotter": 18,
    "Hot": 10,
    "Samling av ungdomar": 14,
    "Narkotika – innehav": 8,
    "Nedskräpning": 12,
    "Bråk": 6,
    "Ordningsstörning": 4,
}
STATION = {
    "Narkotika – innehav": 20,
    "Narkotikahandel": 14,
    "Ordningsstörning": 20,
    "Stöld": 16,
    "Hot": 8,
    "Bråk": 6,
    "Otrygg plats": 6,
    "Samling av ungdomar": 5,
    "Nedskräpning": 5,
}
MOPEDS = {
    "Buskörning moped": 55,
    "Buskörning bil": 20,
    "Trafik": 10,
    "Samling av ungdomar": 10,
    "Ordningsstörning": 5,
}
RETAIL = {
    "Stöld": 35,
    "Skadegörelse": 25,
    "Klotter": 10,
    "Nedskräpning": 10,
    "Buskörning bil": 10,
    "Otrygg plats": 10,
}
VILLAGE = {
    "Buskörning moped": 25,
    "Buskörning bil": 10,
    "Skadegörelse": 15,
    "Inbrott": 15,
    "Stöld": 15,
    "Nedskräpning": 10,
    "Trafik": 10,
}
VILLAGE_INBROTT = {
    "Inbrott": 50,
    "Stöld": 25,
    "Skadegörelse": 10,
    "Nedskräpning": 5,
    "Trafik": 5,
    "Ordningsstörning": 5,
}
RESORT = {
    "Stöld": 22,
    "Ordningsstörning": 20,
    "Skadegörelse": 12,
    "Nedskräpning": 14,
    "Misshandel": 5,
    "Bråk": 6,
    "Inbrott": 8,
    "Trafik": 8,
    "Narkotika – innehav": 5,
}
BACKGROUND = {
    "Skadegörelse": 16,
    "Klotter": 10,
    "Nedskräpning": 12,
    "Stöld": 16,
    "Inbrott": 10,
    "Trafik": 10,
    "Ordningsstörning": 8,
    "Hot": 4,
    "Misshandel": 3,
    "Buskörning moped": 4,
    "Buskörning bil": 3,
    "Narkotika – innehav": 3,
    "Otrygg plats": 1,
}
#: Odd categories a source also writes (~2 % of rows).
ODD = ("Övrigt", "Annat", "Brand i papperskorg")
ODD_SHARE = 0.02
#: Share of rows where the source wrote the category in lower case.
LOWER_SHARE = 0.03

#: Invented, generic descriptions (internal only; never shown publicly).
DESCRIPTIONS: dict[str, tuple[str, ...]] = {
    "Skadegörelse": (
        "Krossad ruta",
        "Sönderslagen papperskorg",
        "Förstörd parkbänk",
        "Skadegörelse på entrédörr",
        "Sparkad belysningsstolpe – lampan trasig",
    ),
    "Klotter": ("Klotter på fasad", "Tags på elskåp", "Klotter i gångtunnel", "Klotter på skylt"),
    "Nedskräpning": (
        "Mycket skräp efter helgen",
        "Glasflaskor på marken",
        "Nedskräpning vid grillplats",
    ),
    "Narkotika – innehav": (
        "Person med misstänkt narkotika",
        "Fynd av sprutor",
        "Lukt av cannabis",
    ),
    "Narkotikahandel": ("Misstänkt försäljning vid bänkarna", "Upprepad misstänkt överlämning"),
    "Stöld": ("Cykelstöld", "Stöld ur bil", "Butiksstöld", "Stöld av båtmotor"),
    "Inbrott": ("Inbrott i förråd", "Inbrott i fritidshus", "Försök till inbrott i villa"),
    "Misshandel": ("Bråk som övergick i misshandel", "Person slagen, ambulans tillkallad"),
    "Hot": ("Personal hotad", "Hot mot väktare", "Hotfullt beteende mot förbipasserande"),
    "Ordningsstörning": ("Hög musik och stök", "Berusade personer", "Stök vid entrén"),
    "Bråk": ("Bråk mellan ungdomar", "Knuffar och gräl utanför krogen"),
    "Trafik": ("Hög hastighet", "Felparkering vid skolan", "Körning mot enkelriktat"),
    "Buskörning moped": ("Mopeder kör på gångvägen", "Trimmade mopeder i hög fart", "EPA-moped"),
    "Buskörning bil": ("Bilar som spinner på parkeringen", "Cruising, hög ljudnivå"),
    "Otrygg plats": ("Mörk passage", "Trasig belysning", "Igenvuxen stig – dålig sikt"),
    "Samling av ungdomar": ("Större grupp ungdomar samlade", "Ungdomar samlas vid kiosken"),
    "Övrigt": ("Se bifogad rapport", "Övrig händelse"),
    "Annat": ("Annan händelse, se logg",),
    "Brand i papperskorg": ("Papperskorg i brand, släckt", "Brand i soptunna; räddningstjänst"),
}


@dataclass(frozen=True)
class Cluster:
    """Events tied to one place (or to the built-up area when ``place`` is None)."""

    place: str | None
    per_year: tuple[float, float]  # expected events in 2023, 2024
    categories: dict[str, int]
    profile: TimeProfile


#: kommun → clusters. Every volume is invented for the demo (≈ 40 % background).
CLUSTERS: dict[str, tuple[Cluster, ...]] = {
    "1381": (
        Cluster("Stadsparken", (150, 145), PARK_EVENING, EVENING_WEEKEND),
        Cluster("Laholms centrum", (110, 112), CENTRUM, DAYTIME),
        Cluster("Glänningeområdet", (55, 55), HOUSING, EVENING_WEEKEND),
        Cluster("Campus Laholm", (50, 48), SCHOOL_CATS, SCHOOL),
        Cluster("Mellbystrand", (25, 26), VILLAGE, SUMMER),
        Cluster("Skummeslövsstrand", (10, 10), VILLAGE, SUMMER),
        Cluster("Veinge", (16, 18), VILLAGE, SUMMER_EVENING),
        Cluster("Knäred", (10, 11), VILLAGE, SUMMER_EVENING),
        Cluster("Våxtorp", (12, 13), VILLAGE, SUMMER_EVENING),
        Cluster("Hishult", (4, 4), VILLAGE, SUMMER_EVENING),
        Cluster(None, (295, 300), BACKGROUND, GENERAL),
    ),
    "1278": (
        Cluster("Båstad", (130, 135), RESORT, SUMMER),
        Cluster("Båstad", (40, 40), CENTRUM, DAYTIME),
        Cluster("Förslöv", (22, 22), VILLAGE_INBROTT, SUMMER),
        Cluster("Grevie", (16, 17), VILLAGE_INBROTT, SUMMER),
        Cluster("Torekov", (30, 32), VILLAGE_INBROTT, SUMMER),
        Cluster("Västra Karup", (14, 14), VILLAGE_INBROTT, SUMMER),
        Cluster("Östra Karup", (8, 8), VILLAGE_INBROTT, SUMMER),
        Cluster(None, (180, 180), BACKGROUND, SUMMER),
    ),
    "1380": (
        Cluster("Halmstads stadskärna", (420, 430), NIGHTLIFE, NIGHT_WEEKEND),
        Cluster("Halmstads stadskärna", (80, 80), CENTRUM, DAYTIME),
        Cluster("Centrala Andersberg", (120, 115), HOUSING, EVENING_WEEKEND),
        Cluster("Centrala Vallås", (100, 100), HOUSING, EVENING_WEEKEND),
        Cluster(None, (470, 470), BACKGROUND, GENERAL),
    ),
    "0683": (
        Cluster("Området runt järnvägsstationen", (85, 150), STATION, EVENING_WEEKEND),
        Cluster("Centrala Värnamo", (120, 120), CENTRUM, DAYTIME),
        Cluster("Bor", (20, 20), VILLAGE, SUMMER_EVENING),
        Cluster("Rydaholm", (14, 14), VILLAGE, SUMMER_EVENING),
        Cluster(None, (250, 255), BACKGROUND, GENERAL),
    ),
    "1984": (
        Cluster("Arboga centrum", (70, 75), MOPEDS, SUMMER_EVENING),
        Cluster("Arboga centrum", (110, 110), CENTRUM, DAYTIME),
        Cluster("Sätra", (60, 65), MOPEDS, SUMMER_EVENING),
        Cluster("Sätra", (40, 40), RETAIL, DAYTIME),
        Cluster(None, (200, 200), BACKGROUND, GENERAL),
    ),
}


# --- places --------------------------------------------------------------------------


# --- events --------------------------------------------------------------------------


def _day_weights(profile: TimeProfile) -> np.ndarray:
    return np.array([profile.dow[day.weekday()] * profile.month[day.month - 1] for day in DAYS])


def _pick(rng: np.random.Generator, weights: dict[str, int]) -> str:
    names = list(weights)
    p = np.array([weights[n] for n in names], dtype=float)
    return names[int(rng.choice(len(names), p=p / p.sum()))]


def _datum(rng: np.random.Generator, profile: TimeProfile, day: dt.date) -> tuple[str, str]:
    """The Datum cell and a sort key; nights after midnight move to the next day."""
    hours = np.array(profile.hour) / sum(profile.hour)
    hour = int(rng.choice(24, p=hours))
    minute = int(rng.integers(12)) * 5 if rng.random() < 0.7 else int(rng.integers(60))
    if hour < 6 and day < LAST_DAY:
        day = day + dt.timedelta(days=1)
    if rng.random() < 0.15:
        return day.isoformat(), f"{day.isoformat()} 99:99"
    stamp = f"{day.isoformat()} {hour:02d}:{minute:02d}"
    return stamp, stamp


def _antal(rng: np.random.Generator) -> str:
    draw = rng.random()
    return "1" if draw < 0.86 else ("2" if draw < 0.96 else "3")


def _category(rng: np.random.Generator, mix: dict[str, int]) -> tuple[str, str]:
    """(Kategori as written, the key of its description list)."""
    if rng.random() < ODD_SHARE:
        odd = ODD[int(rng.integers(len(ODD)))]
        return odd, odd
    name = _pick(rng, mix)
    return (name.lower() if rng.random() < LOWER_SHARE else name), name


def incident_rows(kod: str, seed: int, places: list[Place]) -> list[list[str]]:
    """The data rows (without header) of one kommun's synthetic incidents, in time order."""
    rng = np.random.default_rng([seed, int(kod)])
    by_name = {p.name: p for p in places}
    to_wgs = Transformer.from_crs("EPSG:3006", "EPSG:4326", always_xy=True)
    sweref = KOMMUNER[kod]["crs"] == "sweref"

    # Background: near any place, weighted by population (places without one count less).
    near = [p.geom_3006.buffer(BACKGROUND_BUFFER_M) for p in places]
    near_weight = np.array([float(p.population or 300) for p in places])
    near_weight /= near_weight.sum()

    events = []  # (sort key, tie-break, cells)
    for cluster in CLUSTERS[kod]:
        counts = [int(rng.poisson(mean)) for mean in cluster.per_year]
        total = sum(counts)
        day_p = _day_weights(cluster.profile)
        # Exact yearly counts: draw days within each year from the profile.
        day_index = []
        for year_no, count in enumerate(counts):
            in_year = np.array([day.year == FIRST_DAY.year + year_no for day in DAYS])
            p = np.where(in_year, day_p, 0.0)
            day_index.extend(rng.choice(len(DAYS), size=count, p=p / p.sum()).tolist())
        if cluster.place is None:
            which = rng.choice(len(places), size=total, p=near_weight)
            points = np.empty((total, 2))
            for i in range(len(places)):
                mask = which == i
                points[mask] = sample_points(rng, near[i], int(mask.sum()))
        else:
            area = own_area(by_name[cluster.place], places).buffer(-EDGE_MARGIN_M)
            points = sample_points(rng, area, total)
        for i in range(total):
            datum, key = _datum(rng, cluster.profile, DAYS[day_index[i]])
            kategori, kind = _category(rng, cluster.categories)
            texts = DESCRIPTIONS[kind]
            beskrivning = texts[int(rng.integers(len(texts)))]
            x, y = float(points[i, 0]), float(points[i, 1])
            if sweref:
                where = [str(round(x)), str(round(y))]
            else:
                lon, lat = to_wgs.transform(x, y)
                where = [f"{lat:.6f}".replace(".", ","), f"{lon:.6f}".replace(".", ",")]
            cells = [datum, kategori, *where, _antal(rng), beskrivning]
            events.append((key, float(rng.random()), cells))
    events.sort(key=lambda e: (e[0], e[1]))
    return [cells for _key, _tie, cells in events]


def header(kod: str) -> list[str]:
    where = ["X", "Y"] if KOMMUNER[kod]["crs"] == "sweref" else ["Latitud", "Longitud"]
    return ["Datum", "Kategori", *where, "Antal", "Beskrivning"]


def file_name(kod: str) -> str:
    return f"{kod}_{KOMMUNER[kod]['slug']}_syntetiska_handelser.csv"


def generate(out_dir: Path, seed: int = DEFAULT_SEED) -> list[dict]:
    """Write one synthetic incident file per demo kommun; returns ``{"kommun", "path"}``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for kod in sorted(KOMMUNER):
        places = load_places(GEODATA, kod)
        unknown = {c.place for c in CLUSTERS[kod] if c.place} - {p.name for p in places}
        if unknown:
            raise ValueError(f"{kod}: unknown places {sorted(unknown)}")
        path = out_dir / file_name(kod)
        write_excel_csv(path, header(kod), incident_rows(kod, seed, places))
        written.append({"kommun": kod, "path": path})
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Skriv syntetiska (påhittade) händelser för de fem demokommunerna."
    )
    parser.add_argument("out_dir", type=Path, help="mapp att skriva CSV-filerna i")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="slumpfrö (standard 2024)")
    args = parser.parse_args(argv)
    for item in generate(args.out_dir, args.seed):
        rows = item["path"].read_bytes().count(b"\r\n") - 1
        print(f"{item['kommun']}: {rows} händelser -> {item['path']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
