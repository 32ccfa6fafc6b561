#!/usr/bin/env python3
"""Sanity check for the hand-drawn demo places and transcribed medborgarlöften.

Run: python geodata/check_demo_data.py   (needs PyYAML and shapely)

Checks every geodata/<kommunkod>_<namn>/places.geojson and medborgarlofte.yaml,
prints each place's approximate area in km² and the commitment counts, and exits
non-zero with a list of problems if anything is wrong.
"""
from __future__ import annotations

import datetime as dt
import json
import math
import re
import sys
from collections import Counter
from pathlib import Path

import yaml
from shapely.geometry import shape

HERE = Path(__file__).resolve().parent

NOTE = "Ungefärlig demoavgränsning, ritad för hand – inte en officiell gräns."
KINDS = {"park", "centrum", "station", "skola", "bostadsomrade", "ort", "handelsomrade"}
NULL_POP_KINDS = {"park", "station", "skola"}
PARTIES = {"polisen", "kommunen", "gemensamt"}
STATUSES = {"ej påbörjad", "pågår", "genomförd", "inställd"}
CADENCES = {"tertial", "halvår", "år", None}
THEMES = {
    "unga", "narkotika", "trafik", "belysning", "grannsamverkan", "kamerabevakning",
    "trygghetsvandring", "polisnarvaro", "naringsliv", "motorburen_ungdom", "samverkan",
    "medborgardialog", "inbrott", "fysisk_miljo", "kommunikation", "lagesbild",
    "uppfoljning", "skadegorelse",
}
DEMO_PREFIX = "Demouppföljning (påhittad):"
PROPERTY_KEYS = {"name", "aliases", "kind", "population", "note"}
COMMITMENT_KEYS = {"party", "text", "places", "designated", "themes", "partners", "status"}
PROMISE_KEYS = {
    "title", "period", "signed", "signatories", "follow_up_cadence", "source",
    "designated_places", "commitments",
}
# Rough bounding box of Sweden, to catch swapped lat/lon.
LON_RANGE = (10.5, 24.5)
LAT_RANGE = (55.0, 69.5)

EXPECTED_DIRS = {
    "1381": "1381_laholm",
    "1278": "1278_bastad",
    "1380": "1380_halmstad",
    "0683": "0683_varnamo",
    "1984": "1984_arboga",
}
REQUIRED_PLACES = {
    "1381": {"Stadsparken", "Laholms centrum", "Glänningeområdet", "Campus Laholm"},
    "1278": {"Båstad", "Förslöv", "Grevie", "Torekov", "Västra Karup"},
    "1380": {"Centrala Andersberg", "Centrala Vallås", "Halmstads stadskärna"},
    "0683": {"Området runt järnvägsstationen", "Centrala Värnamo", "Bor", "Rydaholm"},
    "1984": {"Arboga centrum", "Sätra"},
}

errors: list[str] = []


def err(where: str, msg: str) -> None:
    errors.append(f"{where}: {msg}")


def area_km2(geom) -> float:
    """Area with a local equirectangular projection (lon scaled by cos(lat))."""
    lat0 = math.radians(geom.centroid.y)
    k_lat = 111.32  # km per degree latitude (rounded)
    k_lon = 111.32 * math.cos(lat0)
    return geom.area * k_lat * k_lon


def as_date(value, where: str):
    if isinstance(value, dt.date):
        return value
    err(where, f"expected a date (YYYY-MM-DD), got {value!r}")
    return None


def check_ring(ring, where: str) -> None:
    if len(ring) < 4 or ring[0] != ring[-1]:
        err(where, "ring not closed or too short")
        return
    n = len(ring) - 1
    if not 6 <= n <= 14:
        err(where, f"ring has {n} vertices, expected 6–14")
    for lon, lat in ring:
        if not (LON_RANGE[0] <= lon <= LON_RANGE[1] and LAT_RANGE[0] <= lat <= LAT_RANGE[1]):
            err(where, f"coordinate {lon},{lat} outside Sweden (lon,lat order?)")
            return


def check_places(kod: str, path: Path) -> dict:
    where = str(path.relative_to(HERE))
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("type") != "FeatureCollection":
        err(where, "not a FeatureCollection")
    if "crs" in data:
        err(where, "RFC 7946 GeoJSON must not have a 'crs' member")
    places = {}
    for i, feat in enumerate(data.get("features", [])):
        props = feat.get("properties") or {}
        name = props.get("name")
        fw = f"{where}[{i}:{name}]"
        if set(props) != PROPERTY_KEYS:
            err(fw, f"properties {sorted(props)} != {sorted(PROPERTY_KEYS)}")
        if not isinstance(name, str) or not name:
            err(fw, "missing name")
            continue
        if name in places:
            err(fw, "duplicate name")
        if not isinstance(props.get("aliases"), str):
            err(fw, "aliases must be a string (';'-separated, '' if none)")
        elif props["aliases"] and any(not a.strip() for a in props["aliases"].split(";")):
            err(fw, "empty alias in aliases")
        kind = props.get("kind")
        if kind not in KINDS:
            err(fw, f"kind {kind!r} not allowed")
        pop = props.get("population")
        if pop is not None and (not isinstance(pop, int) or isinstance(pop, bool) or pop < 0):
            err(fw, f"population must be a non-negative integer or null, got {pop!r}")
        if kind in NULL_POP_KINDS and pop is not None:
            err(fw, f"population should be null for kind {kind}")
        if props.get("note") != NOTE:
            err(fw, "note text differs from the agreed demo note")
        g = feat.get("geometry") or {}
        if g.get("type") not in ("Polygon", "MultiPolygon"):
            err(fw, f"geometry type {g.get('type')!r} not Polygon/MultiPolygon")
            continue
        polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
        for poly in polys:
            for ring in poly:
                check_ring(ring, fw)
        geom = shape(g)
        if not geom.is_valid:
            from shapely.validation import explain_validity
            err(fw, f"invalid geometry: {explain_validity(geom)}")
        parts = [geom] if geom.geom_type == "Polygon" else list(geom.geoms)
        for part in parts:
            if not part.exterior.is_ccw:
                err(fw, "exterior ring is not counter-clockwise")
        places[name] = {"geom": geom, "kind": kind, "population": pop}
    missing = REQUIRED_PLACES.get(kod, set()) - set(places)
    if missing:
        err(where, f"required places missing: {sorted(missing)}")
    return places


def check_promises(kod: str, path: Path, places: dict) -> Counter:
    where = str(path.relative_to(HERE))
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    counts: Counter = Counter()
    if data.get("format") != "trygg-medborgarlofte/1":
        err(where, "format must be trygg-medborgarlofte/1")
    if data.get("kommun") != kod or not isinstance(data.get("kommun"), str):
        err(where, f"kommun must be the string {kod!r}, got {data.get('kommun')!r}")
    for pi, promise in enumerate(data.get("medborgarloften") or []):
        pw = f"{where}[{pi}]"
        if set(promise) != PROMISE_KEYS:
            err(pw, f"keys {sorted(promise)} != {sorted(PROMISE_KEYS)}")
        period = promise.get("period") or {}
        start = as_date(period.get("from"), pw + ".period.from")
        end = as_date(period.get("to"), pw + ".period.to")
        if start and end and start > end:
            err(pw, "period.from after period.to")
        signed = promise.get("signed")
        if signed is not None:
            as_date(signed, pw + ".signed")
        for s in promise.get("signatories") or []:
            if set(s) != {"name", "role"} or not all(isinstance(v, str) and v for v in s.values()):
                err(pw, f"bad signatory {s!r}")
        if promise.get("follow_up_cadence") not in CADENCES:
            err(pw, f"follow_up_cadence {promise.get('follow_up_cadence')!r} not allowed")
        src = promise.get("source") or ""
        if not re.search(r"shared/seeds/\d{3}_[0-9a-f]{16}\.txt", src):
            err(pw, "source must name the seed file")
        for name in promise.get("designated_places") or []:
            if name not in places:
                err(pw, f"designated place {name!r} not in places.geojson")
        for ci, c in enumerate(promise.get("commitments") or []):
            cw = f"{pw}.commitments[{ci}]"
            extra = set(c) - COMMITMENT_KEYS - {"follow_ups"}
            if extra or not COMMITMENT_KEYS <= set(c):
                err(cw, f"keys {sorted(c)} not as agreed")
            if c.get("party") not in PARTIES:
                err(cw, f"party {c.get('party')!r} not allowed")
            counts[c.get("party")] += 1
            if not isinstance(c.get("text"), str) or not c["text"].strip():
                err(cw, "empty text")
            for name in c.get("places") or []:
                if name not in places:
                    err(cw, f"place {name!r} not in places.geojson")
            if not isinstance(c.get("designated"), bool):
                err(cw, "designated must be true/false")
            if re.search(r"utpekade områd|pekats ut", c.get("text") or "") and not c.get("designated"):
                err(cw, "text refers to the designated areas but designated is not true")
            if c.get("designated") and not promise.get("designated_places"):
                err(cw, "designated: true but the promise has no designated_places")
            themes = c.get("themes") or []
            if not themes:
                err(cw, "no themes")
            for t in themes:
                if t not in THEMES:
                    err(cw, f"theme {t!r} not allowed")
            if not isinstance(c.get("partners"), list):
                err(cw, "partners must be a list")
            if c.get("status") not in STATUSES:
                err(cw, f"status {c.get('status')!r} not allowed")
            for fi, f in enumerate(c.get("follow_ups") or []):
                fw = f"{cw}.follow_ups[{fi}]"
                d = as_date(f.get("date"), fw)
                if d and start and end and not start <= d <= end:
                    err(fw, f"date {d} outside the period {start}..{end}")
                if f.get("status") not in STATUSES:
                    err(fw, f"status {f.get('status')!r} not allowed")
                if f.get("demo") is not True:
                    err(fw, "demo follow-up must have demo: true")
                if not str(f.get("comment", "")).startswith(DEMO_PREFIX):
                    err(fw, f"comment must start with {DEMO_PREFIX!r}")
    return counts


def main() -> int:
    all_counts = {}
    for kod, dirname in EXPECTED_DIRS.items():
        d = HERE / dirname
        gj, ym = d / "places.geojson", d / "medborgarlofte.yaml"
        for p in (gj, ym):
            if not p.is_file():
                err(dirname, f"missing {p.name}")
        if not gj.is_file():
            continue
        places = check_places(kod, gj)
        print(f"\n{dirname}  ({len(places)} places)")
        for name, info in places.items():
            pop = info["population"]
            c = info["geom"].centroid
            print(f"  {name:<32} {info['kind']:<14} {area_km2(info['geom']):7.3f} km²"
                  f"  pop {pop if pop is not None else '–':>6}  centroid {c.y:.4f}N {c.x:.4f}E")
        if ym.is_file():
            counts = check_promises(kod, ym, places)
            all_counts[kod] = counts
            print("  commitments: " + ", ".join(f"{p} {counts[p]}" for p in sorted(PARTIES))
                  + f", total {sum(counts.values())}")

        if kod == "1381" and {"Stadsparken", "Laholms centrum"} <= set(places):
            if not places["Stadsparken"]["geom"].within(places["Laholms centrum"]["geom"]):
                err(dirname, "Stadsparken must lie entirely inside Laholms centrum")
        if kod == "0683" and {"Området runt järnvägsstationen", "Centrala Värnamo"} <= set(places):
            if not places["Området runt järnvägsstationen"]["geom"].intersects(
                    places["Centrala Värnamo"]["geom"]):
                err(dirname, "Området runt järnvägsstationen must overlap Centrala Värnamo")

    laholm = all_counts.get("1381", Counter())
    want = {"gemensamt": 8, "polisen": 5, "kommunen": 6}
    if dict((k, laholm[k]) for k in want) != want:
        err("1381_laholm", f"commitment counts {dict(laholm)} != {want}")

    if errors:
        print(f"\nFAILED: {len(errors)} problem(s)")
        for e in errors:
            print("  - " + e)
        return 1
    print("\nOK: all demo data checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
