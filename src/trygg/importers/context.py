"""Context layers beneath the places: the kommun's boundary, water, roads and buildings.

A kommun's own GIS layer (GeoJSON, GeoPackage, zipped Shapefile; any CRS) is read by the
same bounded, sandboxed reader as the places (:func:`trygg.geo.read_layer`), clipped to
the kommun's places plus :data:`MARGIN_M` (and its imported boundary), simplified in
metres for zoom 12–16 and stored as the map draws it: WGS84, rounded to about a metre.
One import is one batch that keeps the original file; importing a kind again replaces
the kommun's earlier layer of that kind (the earlier batch is kept, marked replaced).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import shapely
from sqlalchemy import Connection, Engine, delete, select

from trygg import filecheck
from trygg.auth import Actor, require_write
from trygg.errors import TryggError
from trygg.geometry import WEB_DECIMALS
from trygg.scales import STORE_CRS, WEB_CRS
from trygg.store import batches, check_kommun_code, require_kommun, schema, write_transaction
from trygg.strings import t
from trygg.text import fold

#: The kinds of context, in the order they are drawn (lowest first).
CONTEXT_KINDS = ("bebyggelse", "vatten", "vag", "grans")
AREAS = frozenset({"Polygon", "MultiPolygon"})
LINES = frozenset({"LineString", "MultiLineString", "LinearRing"})
#: The geometry each kind may hold.
ALLOWED = {
    "grans": AREAS | LINES,
    "vatten": AREAS | LINES,
    "vag": LINES | AREAS,
    "bebyggelse": AREAS,
}
#: The layer picked in a file of several layers when none is named.
PREFER = {"grans": "polygon", "vatten": "polygon", "vag": "line", "bebyggelse": "polygon"}
#: Simplification tolerance in metres: at zoom 16 a pixel is about 1.3 m, at zoom 12 20 m.
TOLERANCE_M = {"grans": 10.0, "vatten": 5.0, "vag": 3.0, "bebyggelse": 2.0}
#: How far beyond the kommun's places (and boundary) context is kept.
MARGIN_M = 15_000.0
#: The most vertices a context layer may keep after clipping and simplifying: they all go
#: into the page the map is drawn on.
MAX_WEB_VERTICES = 250_000
NAME_FIELDS = ("name", "namn", "benamning", "benämning")


def import_context(
    engine: Engine,
    path: str | Path,
    kommun: str,
    *,
    kind: str,
    layer: str | None = None,
    crs: str | None = None,
    source: str | None = None,
    actor: Actor | None,
) -> dict:
    """Store a GIS layer as the kommun's context of ``kind``, in one transaction.

    Parameters
    ----------
    engine : Engine
        The store.
    path : str or Path
        GeoJSON, GeoPackage or zipped Shapefile (KML is read too).
    kommun : str
        Kommunkod of a kommun that has places (they say where the kommun lies).
    kind : {"grans", "vatten", "vag", "bebyggelse"}
        What the layer shows.
    layer : str, optional
        The layer to read when the file holds several.
    crs : str, optional
        The layer's CRS when the file lacks one (or to override it).
    source : str, optional
        Where the layer comes from, kept on the batch.
    actor : Actor or None
        Who imports; must be allowed to change ``kommun``.

    Returns
    -------
    dict
        ``{"kommun", "kind", "features", "skipped", "replaced", "batch_id", "unchanged"}``.

    Examples
    --------
    >>> admin = local_admin()  # doctest: +SKIP
    >>> import_context(engine, "sjoar.gpkg", "1381", kind="vatten", actor=admin)  # doctest: +SKIP
    {'kommun': '1381', 'kind': 'vatten', 'features': 12, 'skipped': 0, 'replaced': 0, ...}
    """
    from trygg import geo  # geopandas: only when a layer is read

    check_kommun_code(kommun)
    require_write(actor, kommun)
    if kind not in CONTEXT_KINDS:
        raise TryggError(t("ctx.err_kind", kind=kind, kinds=", ".join(CONTEXT_KINDS)))
    path = Path(path)
    data = filecheck.read_bounded(path)
    frame = geo.read_layer(path, layer, data=data, prefer=PREFER[kind])
    if frame.empty:
        raise TryggError(t("err.places_empty_layer", file=path.name))
    frame = geo.to_store_crs(frame, crs, path.name)
    shapes, skipped = _checked_shapes(frame.geometry.array, kind, path.name)
    names = _names(frame)
    with engine.connect() as connection:
        extent = _extent(connection, kommun)
    web, kept = _web_shapes(shapes, extent, kind)
    if not kept:
        raise TryggError(
            t("ctx.err_nothing_near", file=path.name, count=len(frame), km=int(MARGIN_M / 1000))
        )
    _check_vertices(web, path.name)
    rows = [
        {"kind": kind, "name": names[i], "web_wkb": shapely.to_wkb(g)}
        for i, g in zip(kept, web, strict=True)
    ]
    return _store(engine, kommun, kind, (path.name, data, len(frame)), rows, skipped, source, actor)


def summary(result: dict) -> str:
    """What an import did, in words (the command line prints it)."""
    kind_label = t(f"ctx.kind_{result['kind']}")
    lines = [t("ctx.skipped", **result)] if result["skipped"] else []
    key = "ctx.unchanged" if result["unchanged"] else "ctx.saved"
    return "\n".join([*lines, t(key, kind_label=kind_label, **result)])


def _checked_shapes(geometry, kind: str, file_name: str) -> tuple[list, int]:
    """Each feature's 2-D geometry, or a refusal naming the first feature of a wrong type
    or outside Sweden; features without geometry are skipped and counted."""
    from trygg import geo

    shapes, skipped = [], 0
    for number, geom in enumerate(geometry, start=1):
        if geom is None or geom.is_empty:
            shapes.append(None)
            skipped += 1
            continue
        if geom.geom_type not in ALLOWED[kind]:
            expected = t("ctx.expect_areas" if ALLOWED[kind] == AREAS else "ctx.expect_any")
            raise TryggError(
                t(
                    "ctx.err_geom_type",
                    file=file_name,
                    feature=number,
                    geom_type=geom.geom_type,
                    kind=t(f"ctx.kind_{kind}"),
                    expected=expected,
                )
            )
        geom = shapely.force_2d(geom)
        if not geo.in_sweden(geom):
            raise TryggError(t("ctx.err_outside", file=file_name, feature=number))
        if geom.geom_type in AREAS and not geom.is_valid:
            geom = geo.polygonal_part(shapely.make_valid(geom))
        shapes.append(geom)
    return shapes, skipped


def _names(frame) -> list[str | None]:
    by_folded = {fold(c): c for c in frame.columns if c != frame.geometry.name}
    field = next((by_folded[f] for f in NAME_FIELDS if f in by_folded), None)
    if field is None:
        return [None] * len(frame)
    return [
        None if v is None or str(v) in {"", "nan", "None"} else str(v)[:200] for v in frame[field]
    ]


def _extent(connection: Connection, kommun: str) -> shapely.Geometry:
    """The kommun's places and imported boundary, as a box grown by :data:`MARGIN_M`."""
    require_kommun(connection, kommun)
    place = schema.place
    wkbs = connection.execute(
        select(place.c.geom_wkb).where(place.c.kommun_kod == kommun)
    ).scalars()
    shapes = list(shapely.from_wkb(list(wkbs)))
    if not shapes:
        raise TryggError(t("ctx.err_no_places", kommun=kommun))
    boundary = _stored_boundary(connection, kommun)
    if boundary is not None:
        shapes.append(boundary)
    return shapely.box(*shapely.total_bounds(shapes)).buffer(MARGIN_M, join_style="mitre")


def _stored_boundary(connection: Connection, kommun: str) -> shapely.Geometry | None:
    from trygg import geo

    feature = schema.context_feature
    wkbs = list(
        connection.execute(
            select(feature.c.web_wkb).where(
                feature.c.kommun_kod == kommun, feature.c.kind == "grans"
            )
        ).scalars()
    )
    if not wkbs:
        return None
    import geopandas as gpd

    web = gpd.GeoSeries(shapely.from_wkb(wkbs), crs=WEB_CRS).to_crs(STORE_CRS)
    return geo.round_coordinates(shapely.box(*web.total_bounds), 0)


def _web_shapes(shapes: list, extent, kind: str) -> tuple[list, list[int]]:
    """Clip to ``extent``, simplify in metres, reproject to WGS84 and round."""
    import geopandas as gpd

    kept, clipped = [], []
    for index, geom in enumerate(shapes):
        if geom is None or not geom.intersects(extent):
            continue
        part = shapely.simplify(
            geom.intersection(extent), TOLERANCE_M[kind], preserve_topology=True
        )
        if not part.is_empty:
            kept.append(index)
            clipped.append(part)
    if not clipped:
        return [], []
    web = gpd.GeoSeries(clipped, crs=STORE_CRS).to_crs(WEB_CRS).array
    rounded = shapely.set_precision(np.asarray(web), 10.0**-WEB_DECIMALS, mode="pointwise")
    return list(rounded), kept


def _check_vertices(web: list, file_name: str) -> None:
    vertices = int(shapely.get_num_coordinates(np.asarray(web)).sum())
    if vertices > MAX_WEB_VERTICES:
        raise TryggError(
            t(
                "ctx.err_vertices",
                file=file_name,
                vertices=filecheck.number(vertices),
                max=filecheck.number(MAX_WEB_VERTICES),
            )
        )


def _store(engine, kommun, kind, file, rows, skipped, source, actor) -> dict:
    file_name, data, total = file
    batch_kind = batches.CONTEXT_KIND_PREFIX + kind
    result = {"kommun": kommun, "kind": kind, "features": len(rows), "skipped": skipped}
    with write_transaction(engine) as connection:
        copy = batches.find_active_copy(connection, kommun, batch_kind, batches.sha256(data))
        if copy is not None:
            return {**result, "replaced": 0, "batch_id": copy, "unchanged": True}
        earlier = _active_batches(connection, kommun, batch_kind)
        feature = schema.context_feature
        for batch_id in earlier:
            connection.execute(delete(feature).where(feature.c.batch_id == batch_id))
            batches.mark_replaced(connection, batch_id)
        batch_id = batches.create_batch(
            connection,
            kommun=kommun,
            kind=batch_kind,
            file_name=file_name,
            data=data,
            uploaded_by=actor.name,
            source=source,
        )
        connection.execute(
            feature.insert(), [{**row, "kommun_kod": kommun, "batch_id": batch_id} for row in rows]
        )
        batches.record_counts(
            connection,
            batch_id,
            total=total,
            accepted=len(rows),
            rejected=0,
            summary={"context_kind": kind, "skipped": skipped},
        )
    return {**result, "replaced": len(earlier), "batch_id": batch_id, "unchanged": False}


def _active_batches(connection: Connection, kommun: str, batch_kind: str) -> list[int]:
    table = schema.import_batch
    return list(
        connection.execute(
            select(table.c.id).where(
                table.c.kommun_kod == kommun,
                table.c.kind == batch_kind,
                table.c.status == batches.ACTIVE,
            )
        ).scalars()
    )
