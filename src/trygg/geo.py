"""Reading vector layers, coordinate systems and polygon validation.

Places are stored and measured in SWEREF 99 TM (EPSG:3006) and sent to the web map
in WGS84 (EPSG:4326).
"""

from __future__ import annotations

import base64
import io
import tempfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeElementTree
from pyproj import CRS
from pyproj.exceptions import CRSError

from trygg import filecheck, sandbox, settings
from trygg.errors import TryggError
from trygg.scales import STORE_CRS, SWEDEN_BOUNDS, WEB_CRS
from trygg.strings import t
from trygg.text import suffix

POLYGONAL = {"Polygon", "MultiPolygon"}


#: The layer formats read, by file extension; the content must agree with it.
LAYER_FORMATS = {
    ".geojson": "geojson",
    ".json": "geojson",
    ".gpkg": "gpkg",
    ".zip": "shapefile",
    ".kml": "kml",
}
#: The fixed name each format is written under before GDAL reads it.
PRIVATE_NAMES = {
    "geojson": "layer.geojson",
    "gpkg": "layer.gpkg",
    "shapefile": "layer.zip",
    "kml": "layer.kml",
}
SQLITE_HEADER = b"SQLite format 3\x00"
#: A GeoPackage's SQLite ``application_id`` (header offset 68): 1.2+, 1.0 and 1.1.
GPKG_APPLICATION_IDS = {b"GPKG", b"GP10", b"GP11"}


def read_layer(
    path: str | Path,
    layer: str | None = None,
    *,
    data: bytes | None = None,
    prefer: str = "polygon",
    limits: settings.Limits | None = None,
) -> gpd.GeoDataFrame:
    """Read one layer of a GeoJSON, GeoPackage, zipped Shapefile or KML file.

    The bytes are checked first (format by content and extension, zip directory, no
    DOCTYPE in KML), then written under a fixed private name and read by GDAL in a child
    process (:mod:`trygg.sandbox`). No name given by a user ever reaches GDAL, so no GDAL
    path syntax (VRT, ``/vsicurl/``, ``GPKG:file:layer``) can.

    Parameters
    ----------
    path : str or Path
        The file; with ``data``, only its name is used.
    layer : str, optional
        The layer's name; needed only when the file holds more than one.
    data : bytes, optional
        The file's bytes, when they are already read (an upload).
    prefer : {"polygon", "point"}
        Without ``layer``, a file with several layers is read if exactly one holds this
        kind of geometry.
    limits : Limits, optional
        Default :func:`trygg.settings.limits`.

    Returns
    -------
    GeoDataFrame
        In the file's own CRS (which may be None).
    """
    path = Path(path)
    limits = limits or settings.limits()
    if data is None:
        data = filecheck.read_bounded(path, limits)
    filecheck.check_bytes(len(data), path.name, limits)
    kind = layer_format(data, path.name, limits)
    with tempfile.TemporaryDirectory(prefix="trygg-layer-") as folder:
        private = Path(folder) / PRIVATE_NAMES[kind]
        private.write_bytes(data)
        source = f"/vsizip/{private}" if kind == "shapefile" else str(private)
        answer = sandbox.run_reader(
            "layer",
            path.name,
            limits,
            b"",
            source,
            layer or "",
            prefer,
            "1" if kind == "geojson" else "0",
        )
    return _layer_frame(_layer_payload(answer, path.name, layer), path.name, limits)


def layer_format(data: bytes, file_name: str, limits: settings.Limits) -> str:
    """The layer format of ``data`` by extension and content, or a refusal naming why."""
    kind = LAYER_FORMATS.get(suffix(file_name))
    if kind is None:
        raise TryggError(t("err.layer_format", file=file_name))
    if kind == "geojson" and not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        raise _not_a_layer(file_name, "reason.not_geojson")
    if kind == "gpkg":
        if not data.startswith(SQLITE_HEADER):
            raise _not_a_layer(file_name, "reason.not_sqlite")
        if data[68:72] not in GPKG_APPLICATION_IDS:
            raise _not_a_layer(file_name, "reason.not_gpkg")
    if kind == "shapefile":
        with filecheck.open_zip(data, file_name) as archive:
            filecheck.check_zip(archive, file_name, limits)
            filecheck.check_shapefile_zip(archive, file_name)
    if kind == "kml":
        check_kml(data, file_name)
    return kind


def check_kml(data: bytes, file_name: str) -> None:
    """A KML file is XML whose root is ``<kml>``, with no DOCTYPE or ENTITY declarations
    (external entities could read local files or fetch URLs).

    Only the prolog and the root's start tag are parsed: every declaration comes before.
    """
    try:
        events = SafeElementTree.iterparse(io.BytesIO(data), events=("start",), forbid_dtd=True)
        _event, root = next(iter(events))
    except DefusedXmlException:
        raise _not_a_layer(file_name, "reason.kml_doctype") from None
    except (SafeElementTree.ParseError, StopIteration, ValueError):
        raise _not_a_layer(file_name, "reason.not_xml") from None
    if root.tag.rsplit("}", 1)[-1] != "kml":
        raise _not_a_layer(file_name, "reason.not_kml")


def _not_a_layer(file_name: str, reason: str) -> TryggError:
    return TryggError(t("err.layer_content", file=file_name, reason=t(reason)))


def _layer_payload(answer: dict, file_name: str, layer: str | None) -> dict:
    """The child's layer, or its refusal in words."""
    if "ok" in answer:
        return answer["ok"]
    code = answer.get("error")
    layers = ", ".join(answer.get("layers", []))
    if code == "layer_missing":
        raise TryggError(t("err.places_layer", layer=layer, file=file_name, layers=layers))
    if code == "layers_many":
        raise TryggError(t("err.places_layers_many", file=file_name, layers=layers))
    if code == "geojson_crs":
        raise TryggError(t("err.geojson_crs", file=file_name, value=answer.get("value")))
    if code in {"json_depth", "json_invalid", "geojson_type"}:
        raise _not_a_layer(file_name, f"reason.{code}")
    detail = answer.get("reason")
    reason = t("reason.gdal_failed") + (f" ({detail})" if detail else "")
    raise TryggError(t("err.places_unreadable", file=file_name, reason=reason))


def _layer_frame(payload: dict, file_name: str, limits: settings.Limits) -> gpd.GeoDataFrame:
    """Rebuild the child's layer; refuse more than ``max_vertices`` before any geometry
    work (validation, ``make_valid``) starts."""
    try:
        geometry = shapely.from_wkb(
            [None if g is None else base64.b64decode(g) for g in payload["wkb"]]
        )
        crs = CRS.from_user_input(payload["crs"]) if payload["crs"] else None
    except (shapely.errors.GEOSException, CRSError, ValueError) as err:
        raise TryggError(t("err.places_unreadable", file=file_name, reason=err)) from None
    vertices = int(shapely.get_num_coordinates(geometry).sum()) if len(geometry) else 0
    if vertices > limits.max_vertices:
        raise filecheck.limit_refusal(
            "err.layer_vertices",
            "max_vertices",
            filecheck.number(vertices),
            limits,
            file=file_name,
        )
    columns = pd.DataFrame(
        dict(zip(payload["fields"], payload["values"], strict=True)), index=range(len(geometry))
    )
    name = GEOMETRY if GEOMETRY not in columns else f"_{GEOMETRY}"
    return gpd.GeoDataFrame(columns, geometry=gpd.GeoSeries(geometry, crs=crs, name=name))


#: The geometry column of a read layer (a field of that name keeps its name as a field).
GEOMETRY = "geometry"


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
    """Refuse non-polygons, empty geometry and places outside Sweden; repair invalid polygons.

    Parameters
    ----------
    frame : GeoDataFrame
        The layer, in EPSG:3006 (a coordinate outside Sweden is refused).
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
        if not in_sweden(geom):
            raise TryggError(t("err.places_outside", feature=number, name=name, file=file_name))
        if not geom.is_valid:
            geom = polygonal_part(shapely.make_valid(geom))
            warnings.append(t("warn.places_repaired", feature=number, name=name))
            if geom.is_empty:
                raise TryggError(
                    t("err.places_empty_geom", feature=number, name=name, file=file_name)
                )
        geometries.append(geom)
    return frame.set_geometry(gpd.GeoSeries(geometries, crs=frame.crs, index=frame.index)), warnings


def in_sweden(geom: shapely.Geometry) -> bool:
    """Whether every coordinate (EPSG:3006) is finite and within
    :data:`~trygg.scales.SWEDEN_BOUNDS` (a wrong CRS puts a layer far outside)."""
    coordinates = shapely.get_coordinates(geom)
    xmin, ymin, xmax, ymax = SWEDEN_BOUNDS
    with np.errstate(invalid="ignore"):
        inside = (
            (coordinates[:, 0] >= xmin)
            & (coordinates[:, 0] <= xmax)
            & (coordinates[:, 1] >= ymin)
            & (coordinates[:, 1] <= ymax)
        )
    return bool(inside.all())


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
