"""Reading vector layers, coordinate systems and polygon validation.

Places are stored and measured in SWEREF 99 TM (EPSG:3006) and sent to the web map
in WGS84 (EPSG:4326).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pyogrio
import shapely
from pyproj import CRS
from pyproj.exceptions import CRSError

from trygg.errors import TryggError
from trygg.scales import STORE_CRS, WEB_CRS
from trygg.strings import t

POLYGONAL = {"Polygon", "MultiPolygon"}


def read_layer(path: str | Path, layer: str | None = None) -> gpd.GeoDataFrame:
    """Read one layer of a GeoJSON, GeoPackage, zipped Shapefile or KML file.

    Parameters
    ----------
    path : str or Path
        The file. A ``.zip`` holding a Shapefile is read through GDAL's zip support.
    layer : str, optional
        The layer's name; needed only when the file holds more than one.

    Returns
    -------
    GeoDataFrame
        In the file's own CRS (which may be None).
    """
    path = Path(path)
    if not path.is_file():
        raise TryggError(t("err.file_missing", path=path))
    layers = _layer_names(path)
    if layer is None and len(layers) > 1:
        layer = _only_polygon_layer(path, layers)
    if layer is not None and layers and layer not in layers:
        raise TryggError(
            t("err.places_layer", layer=layer, file=path.name, layers=", ".join(layers))
        )
    try:
        frame = pyogrio.read_dataframe(path, layer=layer)
    except Exception as err:  # GDAL raises many kinds; all mean "not a readable layer"
        raise TryggError(t("err.places_unreadable", file=path.name, reason=err)) from None
    return frame


def _layer_names(path: Path) -> list[str]:
    try:
        return [str(name) for name, _geom in pyogrio.list_layers(path)]
    except Exception as err:
        raise TryggError(t("err.places_unreadable", file=path.name, reason=err)) from None


def _only_polygon_layer(path: Path, layers: list[str]) -> str:
    """KML folders and multi-layer GeoPackages: take the single polygon layer if there is one."""
    polygon_layers = [
        name for name, geom in pyogrio.list_layers(path) if geom and "polygon" in str(geom).lower()
    ]
    if len(polygon_layers) == 1:
        return str(polygon_layers[0])
    raise TryggError(t("err.places_layers_many", file=path.name, layers=", ".join(layers)))


def parse_crs(value: str) -> CRS:
    """Parse a user-given CRS such as ``EPSG:3021``; refuse it in Swedish if unknown."""
    try:
        return CRS.from_user_input(value)
    except CRSError:
        raise TryggError(t("err.places_bad_crs", crs=value)) from None


def to_store_crs(
    frame: gpd.GeoDataFrame, crs: str | None = None, file_name: str = ""
) -> gpd.GeoDataFrame:
    """Reproject ``frame`` to EPSG:3006.

    A layer without a CRS needs ``crs``; a given ``crs`` overrides what the file declares.
    """
    if crs is not None:
        frame = frame.set_crs(parse_crs(crs), allow_override=True)
    if frame.crs is None:
        raise TryggError(t("err.places_no_crs", file=file_name))
    return frame.to_crs(STORE_CRS)


def check_polygons(
    frame: gpd.GeoDataFrame, names: list[str], file_name: str
) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Refuse non-polygons and empty geometry; repair invalid polygons.

    Parameters
    ----------
    frame : GeoDataFrame
        The layer, in any CRS.
    names : list of str
        Each feature's place name, used in messages.
    file_name : str
        Used in messages.

    Returns
    -------
    (GeoDataFrame, list of str)
        The frame with 2-D, valid (Multi)Polygons and the warnings raised while repairing.
    """
    warnings: list[str] = []
    geometries = []
    for number, (geom, name) in enumerate(zip(frame.geometry, names, strict=True), start=1):
        if geom is None or geom.is_empty:
            raise TryggError(t("err.places_empty_geom", feature=number, name=name, file=file_name))
        if geom.geom_type not in POLYGONAL:
            raise TryggError(
                t(
                    "err.places_not_polygon",
                    feature=number,
                    file=file_name,
                    geom_type=geom.geom_type,
                )
            )
        geom = shapely.force_2d(geom)
        if not geom.is_valid:
            geom = polygonal_part(shapely.make_valid(geom))
            warnings.append(t("warn.places_repaired", feature=number, name=name))
            if geom.is_empty:
                raise TryggError(
                    t("err.places_empty_geom", feature=number, name=name, file=file_name)
                )
        geometries.append(geom)
    return frame.set_geometry(gpd.GeoSeries(geometries, crs=frame.crs, index=frame.index)), warnings


def polygonal_part(geom: shapely.Geometry) -> shapely.Geometry:
    """Keep only the polygons of what ``make_valid`` returned."""
    if geom.geom_type in POLYGONAL:
        return geom
    parts = [
        part
        for part in shapely.get_parts(geom)
        if part.geom_type in POLYGONAL and not part.is_empty
    ]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def round_coordinates(geom: shapely.Geometry, decimals: int) -> shapely.Geometry:
    """Round coordinates (7 decimals of a degree is about 1 cm)."""
    return shapely.transform(geom, lambda coords: coords.round(decimals))


def to_web(frame: gpd.GeoDataFrame, tolerance_m: float = 0.0) -> gpd.GeoDataFrame:
    """Simplify in metres (topology kept) and reproject to WGS84 for the web."""
    if tolerance_m > 0:
        frame = frame.set_geometry(frame.geometry.simplify(tolerance_m, preserve_topology=True))
    return frame.to_crs(WEB_CRS)
