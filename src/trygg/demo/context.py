"""The demo kommuner's context, made here from what the repository and its packages hold.

- **The outline** (``grans``) is drawn around the demo places: their convex hull grown by
  a few kilometres, less the sea. It is no real kommun boundary and says so on the map.
- **The sea** (``vatten``) is the map window minus Natural Earth's land at 1:10 million,
  from the npm package ``world-atlas`` that ``make setup`` installs; inland kommuner get
  none (lakes lie inside Natural Earth's land). Its coast is about 200 m coarse.

Both go through :func:`trygg.importers.context.import_context`, like a coordinator's own
layers; the town names are the labels of the ``ort`` places.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import mapping
from sqlalchemy import Engine, select

from trygg.auth import Actor
from trygg.importers.context import MARGIN_M, import_context
from trygg.maps.tiles import NODE_MODULES
from trygg.scales import DEMO_KOMMUNER, STORE_CRS, WEB_CRS
from trygg.store import schema
from trygg.strings import t

LAND_TOPOJSON = NODE_MODULES / "world-atlas" / "land-10m.json"
#: How far the outline lies outside the places: this share of their extent, at least 3 km.
OUTLINE_SHARE = 0.12
OUTLINE_MIN_M = 3_000.0


def load_demo_context(
    engine: Engine, actor: Actor, progress: Callable[[str], None] = lambda _msg: None
) -> list[dict]:
    """Import each demo kommun's approximate outline and, on the coast, its sea."""
    land = _land()
    if land is None:
        progress(t("ctx.demo_no_land", path=str(LAND_TOPOJSON)))
    loaded = []
    for kod in sorted(DEMO_KOMMUNER):
        places = _places(engine, kod)
        if places is None:
            continue
        ring = outline(places)
        layers = {"grans": (ring, t("ctx.demo_note_grans"))}
        if land is not None:
            sea = sea_near(_to_web(places.envelope.buffer(MARGIN_M, join_style="mitre")), land)
            if not sea.is_empty:  # the outline follows the coast, the sea lies beside it
                layers = {"grans": (ring.difference(sea), t("ctx.demo_note_grans"))}
                layers["vatten"] = (sea, t("ctx.demo_note_vatten"))
        for kind, (shape, note) in layers.items():
            result = _import(engine, kod, kind, shape, note, actor)
            loaded.append(result)
        progress(t("ctx.demo_loaded", kod=kod, namn=DEMO_KOMMUNER[kod], kinds=", ".join(layers)))
    return loaded


def outline(places: shapely.Geometry) -> shapely.Geometry:
    """An approximate kommun outline around ``places`` (EPSG:3006), in WGS84.

    Examples
    --------
    >>> square = shapely.box(370_000, 6_250_000, 380_000, 6_260_000)
    >>> ring = outline(square)
    >>> ring.geom_type, ring.contains(_to_web(square))
    ('Polygon', True)
    """
    xmin, ymin, xmax, ymax = places.bounds
    grow = max(OUTLINE_MIN_M, OUTLINE_SHARE * max(xmax - xmin, ymax - ymin))
    return _to_web(places.convex_hull.buffer(grow, quad_segs=4).simplify(200.0))


def sea_near(window: shapely.Geometry, land: list[shapely.Geometry]) -> shapely.Geometry:
    """``window`` (WGS84) minus the land polygons that touch it."""
    near = [part for part in land if part.intersects(window)]
    if not near:
        return window
    return shapely.difference(window, shapely.union_all(near).buffer(0))


def _land() -> list[shapely.Geometry] | None:
    """Natural Earth's land polygons near Sweden from ``world-atlas``, or None if absent."""
    if not LAND_TOPOJSON.is_file():
        return None
    topology = json.loads(LAND_TOPOJSON.read_text(encoding="utf-8"))
    arcs = _decoded_arcs(topology)
    nordic = shapely.box(4.0, 54.0, 26.0, 70.0)
    polygons = []
    for geometry in topology["objects"]["land"]["geometries"]:
        rings_of = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for rings in rings_of:
            shell, *holes = (_ring(ring, arcs) for ring in rings)
            polygon = shapely.Polygon(shell, holes)
            if polygon.intersects(nordic):
                polygons.append(shapely.make_valid(polygon))
    return polygons


def _decoded_arcs(topology: dict) -> list[np.ndarray]:
    """TopoJSON's delta-encoded, quantised arcs as longitude–latitude arrays."""
    scale = np.asarray(topology["transform"]["scale"], dtype=float)
    translate = np.asarray(topology["transform"]["translate"], dtype=float)
    return [
        np.cumsum(np.asarray(arc, dtype=float), axis=0) * scale + translate
        for arc in topology["arcs"]
    ]


def _ring(indexes: list[int], arcs: list[np.ndarray]) -> np.ndarray:
    """One ring from its arcs; ``~i`` is arc ``i`` reversed; shared end points once."""
    parts = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        parts.append(arc if not parts else arc[1:])
    return np.concatenate(parts)


def _places(engine: Engine, kod: str) -> shapely.Geometry | None:
    place = schema.place
    with engine.connect() as connection:
        wkbs = list(
            connection.execute(select(place.c.geom_wkb).where(place.c.kommun_kod == kod)).scalars()
        )
    return shapely.union_all(shapely.from_wkb(wkbs)) if wkbs else None


def _to_web(shape: shapely.Geometry) -> shapely.Geometry:
    import geopandas as gpd

    return gpd.GeoSeries([shape], crs=STORE_CRS).to_crs(WEB_CRS).iloc[0]


def _import(engine: Engine, kod: str, kind: str, shape, note: str, actor: Actor) -> dict:
    rounded = shapely.set_precision(shape, 1e-5)
    collection = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"name": note}, "geometry": mapping(rounded)}
        ],
    }
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"demo_{kod}_{kind}.geojson"
        path.write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")
        return import_context(engine, path, kod, kind=kind, source=note, actor=actor)
