"""A tiny kommun for survey tests: three places you can check by eye.

``Torget`` (1 km²) holds ``Parken`` (200 m × 200 m); ``Byn`` lies apart. All in SWEREF 99 TM.
"""

from __future__ import annotations

import geopandas as gpd
from shapely.geometry import box

from trygg import places
from trygg.auth import local_admin

#: These tests write as the command line's local administrator.
ADMIN = local_admin()

TORGET = box(370_000, 6_265_000, 371_000, 6_266_000)
PARKEN = box(370_400, 6_265_400, 370_600, 6_265_600)
BYN = box(380_000, 6_270_000, 381_000, 6_271_000)
GEOMETRIES = {"Torget": TORGET, "Parken": PARKEN, "Byn": BYN}
ALIASES = {"Torget": "Centrum", "Parken": "Stadsparken;Parkområdet", "Byn": ""}


def add_places(engine, tmp_path, kommun: str = "1381") -> None:
    path = tmp_path / "platser.gpkg"
    gpd.GeoDataFrame(
        {"namn": list(GEOMETRIES), "alias": [ALIASES[n] for n in GEOMETRIES]},
        geometry=list(GEOMETRIES.values()),
        crs="EPSG:3006",
    ).to_file(path, driver="GPKG")
    places.import_places(engine, path, kommun, name_field="namn", alias_field="alias", actor=ADMIN)


def inner_point(place: str, k: int) -> tuple[float, float]:
    """The k-th of a grid of points well inside ``place`` but outside any smaller place."""
    geom = GEOMETRIES[place]
    minx, miny, _maxx, _maxy = geom.bounds
    x, y = minx + 20 + (k % 7) * 20, miny + 20 + (k // 7 % 7) * 20
    return x, y
