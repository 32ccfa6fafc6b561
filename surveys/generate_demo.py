"""Syntetiska trygghetsenkäter för demon: påhittade svar, en rad per respondent.

Every answer, weight, comment and count written here is SYNTHETIC (syntetisk): invented by
a seeded random generator to look like the files Swedish coordinators receive. Nothing is
real survey data. The files are what ``trygg demo`` imports through the real importer.

The files are written in "Swedish Excel" form: Windows-1252, ``;`` as delimiter, CRLF line
endings and decimal commas. Output is byte-identical for the same seed.

Usage::

    python surveys/generate_demo.py OUT_DIR [--seed N]
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from pyproj import Transformer

from trygg.demo.synthetic import (
    Place,
    decimal_comma,
    load_places,
    own_area,
    sample_points,
    write_excel_csv,
)
from trygg.scales import ORO, PROBLEM, TRYGG_KVALL

GEODATA = Path(__file__).resolve().parents[1] / "geodata"
YEARS = (2023, 2024)
DEFAULT_SEED = 2023
#: Survey points keep at least this far (metres) from a place's edge.
EDGE_MARGIN_M = 10.0

#: kommunkod → folder slug and how the location is given in the file.
KOMMUNER: dict[str, dict] = {
    "1381": {"slug": "laholm", "location": "namn", "codes": False},
    "1278": {"slug": "bastad", "location": "namn", "codes": False},
    "1380": {"slug": "halmstad", "location": "wgs84", "codes": False},
    "0683": {"slug": "varnamo", "location": "sweref", "codes": False},
    "1984": {"slug": "arboga", "location": "namn", "codes": True},
}

TRYGG_LABELS = TRYGG_KVALL.labels
PROBLEM_LABELS = PROBLEM.labels
ORO_LABELS = ORO.labels
PROBLEM_ITEMS = ("nedskräpning", "klotter", "buskörning", "narkotikaförsäljning", "dålig belysning")
ORO_ITEMS = ("inbrott", "överfall")
AGES = ("16-24", "25-44", "45-64", "65-84")
AGE_SHARES = (0.11, 0.26, 0.33, 0.30)
AGE_WEIGHT = (1.65, 1.2, 0.9, 0.78)
SEXES = ("Kvinna", "Man", "Annat/vill ej svara")
SEX_SHARES = (0.53, 0.45, 0.02)
SEX_WEIGHT = (0.94, 1.08, 1.0)

#: Invented, generic free-text answers (no names of people or businesses).
COMMENTS = (
    "Mörkt vid gångtunneln",
    "Trasig belysning längs gång- och cykelvägen",
    "Mopeder kör fort på kvällarna – farligt",
    "Mycket klotter på busskuren",
    "Känns tryggare sedan lamporna byttes",
    "Skräp vid återvinningsstationen efter helgerna",
    "Ungdomar samlas vid parkeringen sent",
    "Buskarna skymmer sikten vid stigen",
    "Saknar vuxna ute på fredagskvällarna",
    "Bra med fler poliser på stan",
    "Otäckt att gå hem från bussen – ingen belysning",
    "Café- och torgmiljön är trevlig på dagen",
    "Glaskross på lekplatsen",
    "Mörkt; lamporna vid bron har varit trasiga länge",
    'Det "nya" torget känns bättre',
    "Bilar som spinner på parkeringen vid affären",
    "Jag går inte ut efter 22 – det är för öde",
    "Klotter på entrédörren till idrottshallen",
    "Vet inte vart man ska vända sig med klagomål",
    "Bra grannsamverkan här",
)


@dataclass(frozen=True)
class Profile:
    """Per place and year: sample size and the intended answer pattern."""

    n: tuple[int, int]  # inclusive range of respondents
    otrygg: float  # share answering 3–5 among 1–5
    problems: tuple[float, float, float, float, float]  # share "stort problem" per item
    oro: tuple[float, float]  # share "orolig" (3–4) for inbrott, överfall


# Problem shares in PROBLEM_ITEMS order: nedskräpning, klotter, buskörning, narkotika, belysning.
_VILLAGE_LAHOLM = (0.12, 0.06, 0.38, 0.05, 0.18)
_VILLAGE_BASTAD = (0.10, 0.05, 0.14, 0.03, 0.14)
_VILLAGE_VARNAMO = (0.10, 0.05, 0.20, 0.04, 0.15)

#: (kommun, place, year) → profile. Every figure is invented for the demo.
PROFILES: dict[str, dict[str, dict[int, Profile]]] = {
    "1381": {
        "Laholms centrum": {
            2023: Profile((112, 128), 0.30, (0.30, 0.22, 0.16, 0.14, 0.14), (0.30, 0.20)),
            2024: Profile((114, 126), 0.29, (0.29, 0.20, 0.15, 0.13, 0.12), (0.30, 0.19)),
        },
        "Stadsparken": {
            2023: Profile((51, 59), 0.45, (0.42, 0.36, 0.10, 0.26, 0.52), (0.28, 0.32)),
            2024: Profile((52, 58), 0.33, (0.34, 0.28, 0.09, 0.20, 0.36), (0.27, 0.24)),
        },
        "Glänningeområdet": {
            2023: Profile((56, 64), 0.35, (0.26, 0.20, 0.22, 0.15, 0.46), (0.33, 0.24)),
            2024: Profile((56, 64), 0.34, (0.25, 0.19, 0.22, 0.14, 0.42), (0.32, 0.23)),
        },
        "Campus Laholm": {
            2023: Profile((42, 48), 0.30, (0.30, 0.25, 0.15, 0.15, 0.20), (0.20, 0.20)),
            2024: Profile((42, 48), 0.29, (0.28, 0.24, 0.15, 0.14, 0.19), (0.20, 0.19)),
        },
        "Mellbystrand": {
            2023: Profile((55, 62), 0.14, (0.16, 0.06, 0.34, 0.05, 0.16), (0.34, 0.10)),
            2024: Profile((55, 62), 0.15, (0.15, 0.06, 0.36, 0.05, 0.15), (0.35, 0.10)),
        },
        "Skummeslövsstrand": {
            2023: Profile((32, 38), 0.12, _VILLAGE_LAHOLM, (0.36, 0.08)),
            2024: Profile((32, 38), 0.12, _VILLAGE_LAHOLM, (0.35, 0.08)),
        },
        "Veinge": {
            2023: Profile((42, 48), 0.16, (0.12, 0.06, 0.42, 0.06, 0.20), (0.28, 0.10)),
            2024: Profile((42, 48), 0.15, (0.12, 0.06, 0.40, 0.06, 0.19), (0.28, 0.10)),
        },
        "Knäred": {
            2023: Profile((22, 28), 0.15, (0.10, 0.05, 0.45, 0.04, 0.20), (0.26, 0.09)),
            2024: Profile((22, 28), 0.17, (0.11, 0.05, 0.47, 0.04, 0.20), (0.27, 0.10)),
        },
        "Våxtorp": {
            2023: Profile((37, 43), 0.13, _VILLAGE_LAHOLM, (0.27, 0.09)),
            2024: Profile((37, 43), 0.14, _VILLAGE_LAHOLM, (0.27, 0.09)),
        },
        "Hishult": {
            2023: Profile((6, 8), 0.18, (0.08, 0.04, 0.40, 0.03, 0.22), (0.22, 0.08)),
            2024: Profile((6, 8), 0.10, (0.08, 0.04, 0.40, 0.03, 0.22), (0.22, 0.08)),
        },
    },
    "1278": {
        "Båstad": {
            2023: Profile((112, 128), 0.18, (0.18, 0.10, 0.14, 0.06, 0.12), (0.38, 0.12)),
            2024: Profile((112, 128), 0.17, (0.17, 0.09, 0.14, 0.06, 0.12), (0.37, 0.12)),
        },
        "Förslöv": {
            2023: Profile((55, 65), 0.14, _VILLAGE_BASTAD, (0.40, 0.09)),
            2024: Profile((55, 65), 0.15, _VILLAGE_BASTAD, (0.41, 0.09)),
        },
        "Grevie": {
            2023: Profile((36, 44), 0.12, _VILLAGE_BASTAD, (0.42, 0.08)),
            2024: Profile((36, 44), 0.11, _VILLAGE_BASTAD, (0.41, 0.08)),
        },
        "Torekov": {
            2023: Profile((31, 39), 0.10, (0.14, 0.04, 0.10, 0.02, 0.12), (0.45, 0.07)),
            2024: Profile((31, 39), 0.12, (0.15, 0.04, 0.11, 0.02, 0.12), (0.46, 0.07)),
        },
        "Västra Karup": {
            2023: Profile((30, 34), 0.13, _VILLAGE_BASTAD, (0.40, 0.08)),
            2024: Profile((30, 34), 0.14, _VILLAGE_BASTAD, (0.40, 0.08)),
        },
        "Östra Karup": {
            2023: Profile((7, 9), 0.20, _VILLAGE_BASTAD, (0.38, 0.08)),
            2024: Profile((7, 9), 0.15, _VILLAGE_BASTAD, (0.38, 0.08)),
        },
    },
    "1380": {
        "Halmstads stadskärna": {
            2023: Profile((132, 148), 0.30, (0.32, 0.24, 0.14, 0.18, 0.12), (0.28, 0.22)),
            2024: Profile((132, 148), 0.31, (0.33, 0.24, 0.14, 0.19, 0.12), (0.28, 0.23)),
        },
        "Centrala Andersberg": {
            2023: Profile((112, 128), 0.40, (0.34, 0.26, 0.22, 0.26, 0.16), (0.34, 0.30)),
            2024: Profile((112, 128), 0.38, (0.33, 0.25, 0.21, 0.25, 0.15), (0.33, 0.29)),
        },
        "Centrala Vallås": {
            2023: Profile((102, 118), 0.36, (0.30, 0.24, 0.20, 0.22, 0.15), (0.32, 0.27)),
            2024: Profile((102, 118), 0.35, (0.29, 0.23, 0.20, 0.21, 0.15), (0.32, 0.26)),
        },
    },
    "0683": {
        "Centrala Värnamo": {
            2023: Profile((102, 118), 0.28, (0.28, 0.20, 0.16, 0.16, 0.12), (0.28, 0.19)),
            2024: Profile((102, 118), 0.28, (0.28, 0.20, 0.16, 0.18, 0.12), (0.28, 0.20)),
        },
        "Området runt järnvägsstationen": {
            2023: Profile((42, 48), 0.43, (0.36, 0.30, 0.12, 0.40, 0.22), (0.26, 0.34)),
            2024: Profile((44, 50), 0.47, (0.38, 0.31, 0.12, 0.46, 0.22), (0.27, 0.38)),
        },
        "Bor": {
            2023: Profile((46, 54), 0.12, _VILLAGE_VARNAMO, (0.28, 0.08)),
            2024: Profile((46, 54), 0.12, _VILLAGE_VARNAMO, (0.28, 0.08)),
        },
        "Rydaholm": {
            2023: Profile((28, 34), 0.12, _VILLAGE_VARNAMO, (0.26, 0.07)),
            2024: Profile((28, 34), 0.11, _VILLAGE_VARNAMO, (0.26, 0.07)),
        },
    },
    "1984": {
        "Arboga centrum": {
            2023: Profile((140, 150), 0.32, (0.28, 0.18, 0.48, 0.14, 0.14), (0.30, 0.22)),
            2024: Profile((140, 150), 0.33, (0.28, 0.18, 0.50, 0.14, 0.14), (0.30, 0.23)),
        },
        "Sätra": {
            2023: Profile((32, 38), 0.25, (0.30, 0.14, 0.56, 0.10, 0.24), (0.26, 0.16)),
            2024: Profile((32, 38), 0.26, (0.31, 0.14, 0.58, 0.10, 0.24), (0.26, 0.17)),
        },
    },
}


# --- places and points ---------------------------------------------------------------


# --- answers -------------------------------------------------------------------------


def _trygg_codes(
    rng: np.random.Generator, n: int, otrygg: float, sexes: np.ndarray, ages: np.ndarray
) -> list[int | str | None]:
    """Codes 1–7, "vet inte" or None (blank) for ``n`` respondents.

    The share answering 3–5 among those answering 1–5 equals ``otrygg`` up to rounding;
    women and the oldest are a little more likely to be among the otrygga.
    """
    answers: list[int | str | None] = [0] * n
    draw = rng.random(n)
    substantive = []
    for i in range(n):
        if draw[i] < 0.03:
            answers[i] = None
        elif draw[i] < 0.08:
            answers[i] = "vet inte"
        elif draw[i] < 0.12 + (0.04 if ages[i] == 3 else 0.0):
            answers[i] = 6
        elif draw[i] < 0.14 + (0.04 if ages[i] == 3 else 0.0):
            answers[i] = 7
        else:
            substantive.append(i)
    m = len(substantive)
    k = int(np.floor(otrygg * m + 0.5))
    if m:
        propensity = np.exp(
            0.5 * (sexes[substantive] == 0) + 0.3 * (ages[substantive] == 3) + rng.normal(0, 1, m)
        )
        chosen = set(rng.choice(m, size=k, replace=False, p=propensity / propensity.sum()).tolist())
        for j, i in enumerate(substantive):
            if j in chosen:
                answers[i] = int(rng.choice([3, 4, 5], p=[0.62, 0.27, 0.11]))
            else:
                answers[i] = int(rng.choice([1, 2], p=[0.42, 0.58]))
    return answers


def _scaled_item(rng: np.random.Generator, big_share: float, dont_know: float) -> int | None:
    """One answer on a 1–4 (+5 = vet ej) scale; None is a blank."""
    draw = rng.random()
    if draw < 0.025:
        return None
    if draw < 0.025 + dont_know:
        return 5
    big = rng.random() < min(max(big_share, 0.0), 0.95)
    if big:
        return 3 if rng.random() < 0.66 else 4
    return 1 if rng.random() < 0.55 else 2


def _label(code: int | str | None, labels: dict[int, str], numeric: bool) -> str:
    if code is None:
        return ""
    if code == "vet inte":
        return "7" if numeric else "Vet inte"
    assert isinstance(code, int)
    return str(code) if numeric else labels[code]


def _place_text(rng: np.random.Generator, place: Place) -> str:
    """The place as a respondent's file gives it: name, alias, or name with odd case/spaces."""
    draw = rng.random()
    if draw < 0.15 and place.aliases:
        return place.aliases[int(rng.integers(len(place.aliases)))]
    if draw < 0.30:
        variant = int(rng.integers(4))
        if variant == 0:
            return f" {place.name.lower()} "
        if variant == 1:
            return place.name.upper()
        if variant == 2:
            return f"{place.name}  "
        return f"  {place.name.lower()}"
    return place.name


def header(location: str) -> list[str]:
    if location == "wgs84":
        where = ["Latitud", "Longitud"]
    elif location == "sweref":
        where = ["X", "Y"]
    else:
        where = ["Område"]
    return [
        "Respondent-ID",
        *where,
        "År",
        "Trygg kväll",
        *(f"Problem {item}" for item in PROBLEM_ITEMS),
        *(f"Oro {item}" for item in ORO_ITEMS),
        "Vikt",
        "Ålder",
        "Kön",
        "Kommentar",
    ]


def _check_aliases(kod: str, places: list[Place]) -> None:
    seen: dict[str, str] = {}
    for place in places:
        for text in [place.name, *place.aliases]:
            key = text.strip().casefold()
            if seen.setdefault(key, place.name) != place.name:
                raise ValueError(f"{kod}: '{text}' is ambiguous")


def survey_rows(kod: str, year: int, seed: int, places: list[Place]) -> list[list[str]]:
    """The data rows (without header) of one kommun's survey for one year."""
    config = KOMMUNER[kod]
    numeric = config["codes"]
    location = config["location"]
    rng = np.random.default_rng([seed, int(kod), year])
    to_wgs = Transformer.from_crs("EPSG:3006", "EPSG:4326", always_xy=True)

    respondents = []  # (sort key, cells without the ID)
    for place in places:
        profile = PROFILES[kod][place.name][year]
        n = int(rng.integers(profile.n[0], profile.n[1] + 1))
        ages = rng.choice(len(AGES), size=n, p=AGE_SHARES)
        sexes = rng.choice(len(SEXES), size=n, p=SEX_SHARES)
        trygg = _trygg_codes(rng, n, profile.otrygg, sexes, ages)
        if location != "namn":
            inner = own_area(place, places).buffer(-EDGE_MARGIN_M)
            points = sample_points(rng, inner, n)
        for i in range(n):
            otrygg = trygg[i] in (3, 4, 5)
            lift = 0.12 if otrygg else -0.03
            problems = [
                _scaled_item(rng, share + lift, 0.14 if item == "narkotikaförsäljning" else 0.05)
                for item, share in zip(PROBLEM_ITEMS, profile.problems, strict=True)
            ]
            oro = [
                _scaled_item(rng, profile.oro[0] + lift / 2, 0.03),
                _scaled_item(rng, profile.oro[1] + (0.25 if otrygg else -0.04), 0.03),
            ]
            weight = AGE_WEIGHT[ages[i]] * SEX_WEIGHT[sexes[i]] * float(rng.lognormal(0, 0.12))
            weight = min(max(weight, 0.5), 2.0)
            comment = ""
            if rng.random() < 0.05:
                comment = COMMENTS[int(rng.integers(len(COMMENTS)))]
            if location == "wgs84":
                lon, lat = to_wgs.transform(points[i, 0], points[i, 1])
                where = [decimal_comma(lat, 6), decimal_comma(lon, 6)]
            elif location == "sweref":
                where = [str(round(float(points[i, 0]))), str(round(float(points[i, 1])))]
            else:
                where = [_place_text(rng, place)]
            cells = [
                *where,
                str(year),
                _label(trygg[i], TRYGG_LABELS, numeric),
                *(_label(code, PROBLEM_LABELS, numeric) for code in problems),
                *(_label(code, ORO_LABELS, numeric) for code in oro),
                decimal_comma(weight, 2),
                AGES[ages[i]],
                SEXES[sexes[i]],
                comment,
            ]
            respondents.append((float(rng.random()), cells))

    # Exports come in respondent order, not grouped by area.
    respondents.sort(key=lambda item: item[0])
    first_id = (year % 100) * 10000 + 1
    return [[str(first_id + i), *cells] for i, (_key, cells) in enumerate(respondents)]


def file_name(kod: str, year: int) -> str:
    return f"{kod}_{KOMMUNER[kod]['slug']}_syntetisk_trygghetsenkat_{year}.csv"


def generate(out_dir: Path, seed: int = DEFAULT_SEED) -> list[dict]:
    """Write the synthetic survey files for the five demo kommuner and both years.

    Returns one ``{"kommun", "year", "path"}`` per file, ordered by kommunkod and year.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for kod in sorted(KOMMUNER):
        places = load_places(GEODATA, kod)
        _check_aliases(kod, places)
        missing = {p.name for p in places} ^ set(PROFILES[kod])
        if missing:
            raise ValueError(f"{kod}: places and profiles differ: {sorted(missing)}")
        for year in YEARS:
            path = out_dir / file_name(kod, year)
            rows = survey_rows(kod, year, seed, places)
            write_excel_csv(path, header(KOMMUNER[kod]["location"]), rows)
            written.append({"kommun": kod, "year": year, "path": path})
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Skriv syntetiska (påhittade) trygghetsenkäter för de fem demokommunerna."
    )
    parser.add_argument("out_dir", type=Path, help="mapp att skriva CSV-filerna i")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="slumpfrö (standard 2023)")
    args = parser.parse_args(argv)
    for item in generate(args.out_dir, args.seed):
        rows = item["path"].read_bytes().count(b"\r\n") - 1
        print(f"{item['kommun']} {item['year']}: {rows} svar -> {item['path']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
