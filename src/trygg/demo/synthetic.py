"""Shared pieces of the seeded generators of synthetic demo data.

``surveys/generate_demo.py`` and ``geodata/generate_incidents.py`` invent answers and
incidents inside the demo places; both read the places, sample points and write files the
way Swedish offices do through these helpers.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import shape

#: Swedish Excel saves CSV in Windows-1252 with semicolons and CRLF.
EXCEL_ENCODING = "cp1252"


@dataclass
class Place:
    """A demo place as the generators need it, geometry in EPSG:3006."""

    name: str
    kind: str
    population: int | None
    geom_3006: shapely.Geometry
    aliases: list[str] = field(default_factory=list)


def kommun_folder(geodata: Path, kod: str) -> Path:
    """The demo folder ``<kod>_<namn>`` of a kommun."""
    return next(geodata.glob(f"{kod}_*"))


def reproject(geom: shapely.Geometry, transformer: Transformer) -> shapely.Geometry:
    def _transform(coords: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geom, _transform)


def load_places(geodata: Path, kod: str) -> list[Place]:
    """The kommun's places from ``places.geojson``, in file order, geometry in EPSG:3006."""
    data = json.loads((kommun_folder(geodata, kod) / "places.geojson").read_text("utf-8"))
    transformer = Transformer.from_crs("EPSG:4326", "EPSG:3006", always_xy=True)
    places = []
    for feature in data["features"]:
        props = feature["properties"]
        places.append(
            Place(
                name=props["name"],
                kind=props.get("kind", ""),
                population=props.get("population"),
                geom_3006=reproject(shape(feature["geometry"]), transformer),
                aliases=[a.strip() for a in (props.get("aliases") or "").split(";") if a.strip()],
            )
        )
    return places


def own_area(place: Place, places: list[Place]) -> shapely.Geometry:
    """The place minus any smaller place overlapping it (Stadsparken inside the centre)."""
    geom = place.geom_3006
    for other in places:
        smaller = other is not place and other.geom_3006.area < geom.area
        if smaller and other.geom_3006.intersects(geom):
            geom = geom.difference(other.geom_3006)
    return geom


def sample_points(rng: np.random.Generator, area: shapely.Geometry, count: int) -> np.ndarray:
    """``count`` points inside ``area`` by rejection sampling in its bounds, as (x, y) rows."""
    if count == 0:
        return np.empty((0, 2))
    minx, miny, maxx, maxy = area.bounds
    shapely.prepare(area)
    found: list[np.ndarray] = []
    total = 0
    while total < count:
        batch = max(64, 4 * (count - total))
        xs = rng.uniform(minx, maxx, batch)
        ys = rng.uniform(miny, maxy, batch)
        inside = shapely.contains_xy(area, xs, ys)
        found.append(np.column_stack([xs[inside], ys[inside]]))
        total += int(inside.sum())
    return np.concatenate(found)[:count]


def decimal_comma(value: float, decimals: int) -> str:
    return f"{value:.{decimals}f}".replace(".", ",")


def write_excel_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    """Write a CSV as Swedish Excel does: Windows-1252, ``;``, CRLF."""
    with path.open("w", encoding=EXCEL_ENCODING, newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)
