"""Places: the kommun's named polygons (parks, centres, housing areas, villages).

Places may overlap (Stadsparken lies inside Laholms centrum). They are stored in
EPSG:3006 as WKB, with their area in m².
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import shapely
import shapely.geometry
from sqlalchemy import Connection, Engine, delete, select

from trygg import filecheck, formatting
from trygg.auth import Actor, require_write
from trygg.errors import TryggError
from trygg.scales import DEFAULT_PLACE_KIND, MAX_AREA_COUNT, STORE_CRS
from trygg.store import batches, check_kommun_code, ensure_kommun, schema, write_transaction
from trygg.strings import t
from trygg.tabular import parse_number
from trygg.text import fold, fold_accents, split_list

if TYPE_CHECKING:
    import geopandas as gpd

BATCH_KIND = batches.PLACES_KIND

#: Field names tried, ignoring case and accents, when the caller names none.
FIELD_GUESSES = {
    "name": ("name", "namn", "plats", "omrade", "delomrade", "basomrade", "stadsdel"),
    "alias": ("aliases", "alias", "alias_namn"),
    "kind": ("kind", "typ", "slag"),
    "population": ("population", "invanare", "befolkning", "folkmangd"),
}


def split_aliases(value) -> list[str]:
    """Aliases come as one ``;``-separated field, or as a list."""
    return [] if _is_missing(value) else split_list(value)


def import_places(
    engine: Engine,
    path: str | Path,
    kommun: str,
    *,
    layer: str | None = None,
    name_field: str | None = None,
    alias_field: str | None = None,
    kind_field: str | None = None,
    population_field: str | None = None,
    crs: str | None = None,
    replace: bool = False,
    kommun_name: str | None = None,
    actor: Actor | None,
) -> dict:
    """Store a polygon layer as the kommun's places, in one transaction.

    Parameters
    ----------
    engine : Engine
        The store.
    path : str or Path
        GeoJSON, GeoPackage, zipped Shapefile or KML.
    kommun : str
        Kommunkod, four digits. The kommun is created if missing.
    layer, name_field, alias_field, kind_field, population_field : str, optional
        Which layer and fields to read; fields are guessed from common names if omitted.
    crs : str, optional
        The layer's CRS when the file lacks one (or to override it), e.g. ``EPSG:3021``.
    replace : bool
        Replace the kommun's places: same names are updated (keeping their ids), new
        names added and names missing from the file removed.
    actor : Actor or None
        Who imports; must be allowed to change ``kommun``, and is recorded on the batch.

    Returns
    -------
    dict
        ``{"kommun": code, "places": N, "warnings": [...], "batch_id": id}``.

    Examples
    --------
    >>> import_places(engine, "omraden.gpkg", "1381", actor=local_admin())  # doctest: +SKIP
    {'kommun': '1381', 'places': 4, 'warnings': [], 'batch_id': 1}
    """
    from trygg import geo  # geopandas: only when a layer is read

    check_kommun_code(kommun)
    require_write(actor, kommun)
    path = Path(path)
    data = filecheck.read_bounded(path)
    frame = geo.read_layer(path, layer, data=data)
    if frame.empty:
        raise TryggError(t("err.places_empty_layer", file=path.name))
    fields = resolve_fields(
        frame,
        path.name,
        name=name_field,
        alias=alias_field,
        kind=kind_field,
        population=population_field,
    )
    names = _place_names(frame, fields["name"], path.name)
    frame = geo.to_store_crs(frame, crs, path.name)
    frame, warnings = geo.check_polygons(frame, names, path.name)
    records = [
        _place_record(frame, index, number, names[number - 1], fields)
        for number, index in enumerate(frame.index, start=1)
    ]
    with write_transaction(engine) as connection:
        ensure_kommun(connection, kommun, kommun_name)
        copy = batches.find_active_copy(connection, kommun, BATCH_KIND, batches.sha256(data))
        if copy is not None and replace and _same_places(connection, kommun, records):
            return {
                "kommun": kommun,
                "places": len(records),
                "warnings": [],
                "batch_id": copy,
                "unchanged": True,
            }
        if copy is not None and replace:
            batches.mark_replaced(connection, copy)
        batch_id = batches.create_batch(
            connection,
            kommun=kommun,
            kind=BATCH_KIND,
            file_name=path.name,
            data=data,
            uploaded_by=actor.name,
        )
        warnings += _store_places(connection, kommun, records, batch_id, replace)
        _store_web_shapes(connection, kommun)
        batches.record_counts(
            connection,
            batch_id,
            total=len(records),
            accepted=len(records),
            rejected=0,
            summary={"warnings": warnings},
        )
    return {"kommun": kommun, "places": len(records), "warnings": warnings, "batch_id": batch_id}


def resolve_fields(frame: gpd.GeoDataFrame, file_name: str, **given: str | None) -> dict:
    """The layer's field for each role (name, alias, kind, population): the given one
    (any case), else the first of ``FIELD_GUESSES``; for the name then the one of
    :func:`name_field_candidates` left by the other roles (:func:`_guess_name_field`).
    A missing given field, or no field or several for the name, is refused.
    """
    columns = [c for c in frame.columns if c != frame.geometry.name]
    by_folded = {fold(c): c for c in columns}
    by_plain = {fold_accents(c): c for c in columns}
    resolved: dict[str, str | None] = {}
    for role, field in given.items():
        if field is not None:
            if field not in columns:
                if fold(field) not in by_folded:
                    raise TryggError(
                        t(
                            "err.places_no_field",
                            field=field,
                            file=file_name,
                            fields=", ".join(columns) or t("fmt.none_listed"),
                        )
                    )
                field = by_folded[fold(field)]
            resolved[role] = field
            continue
        guesses = (by_plain.get(guess) for guess in FIELD_GUESSES[role])
        resolved[role] = next((g for g in guesses if g is not None), None)
    if resolved["name"] is None:
        taken = {field for role, field in resolved.items() if role != "name"}
        free = [c for c in columns if c not in taken]
        resolved["name"] = _guess_name_field(frame, free, file_name)
    if resolved["name"] is None:
        raise TryggError(
            t("err.places_no_field", field="name", file=file_name, fields=", ".join(columns))
        )
    return resolved


def name_field_candidates(columns: list[str]) -> list[str]:
    """The fields whose folded name contains ``namn`` or ``name`` (``kom_namn``); without
    any, those ending in ``nm`` (the ONS style ``LSOA11NM``)."""
    named = [c for c in columns if "namn" in fold(c) or "name" in fold(c)]
    return named or [c for c in columns if fold(c).endswith("nm")]


def _guess_name_field(frame: gpd.GeoDataFrame, columns: list[str], file_name: str) -> str | None:
    """The one candidate field (:func:`name_field_candidates`), else the one candidate
    whose values can all be place names (present and distinct, as :func:`_place_names`
    requires); None without candidates. Several left: refused, naming them."""
    candidates = name_field_candidates(columns)
    if len(candidates) > 1:
        usable = [c for c in candidates if _distinct_names(frame[c])]
        if len(usable) != 1:
            raise TryggError(
                t("err.places_name_fields", file=file_name, fields=", ".join(candidates))
            )
        candidates = usable
    return candidates[0] if candidates else None


def _distinct_names(values: pd.Series) -> bool:
    names = ["" if _is_missing(v) else fold(v) for v in values]
    return all(names) and len(set(names)) == len(names)


def _place_names(frame: gpd.GeoDataFrame, field: str, file_name: str) -> list[str]:
    names = []
    for number, value in enumerate(frame[field], start=1):
        name = "" if _is_missing(value) else " ".join(str(value).split())
        if not name:
            raise TryggError(
                t("err.places_missing_name", feature=number, file=file_name, field=field)
            )
        names.append(name)
    counts = Counter(fold(n) for n in names)
    for folded, count in counts.items():
        if count > 1:
            numbers = [i for i, n in enumerate(names, start=1) if fold(n) == folded]
            raise TryggError(
                t(
                    "err.places_duplicate_name",
                    name=names[numbers[0] - 1],
                    file=file_name,
                    features=", ".join(map(str, numbers)),
                )
            )
    return names


def _is_missing(value) -> bool:
    if isinstance(value, (list, tuple, np.ndarray)):
        return False
    return value is None or bool(pd.isna(value))


def _place_record(frame, index, number: int, name: str, fields: dict) -> dict:
    row = frame.loc[index]
    geom = row[frame.geometry.name]
    kind = row[fields["kind"]] if fields["kind"] else None
    return {
        "name": name,
        "aliases": split_aliases(row[fields["alias"]]) if fields["alias"] else [],
        "kind": DEFAULT_PLACE_KIND if _is_missing(kind) or not str(kind).strip() else fold(kind),
        "population": _population(row, fields["population"], number, name),
        "geom_wkb": shapely.to_wkb(geom),
        "area_m2": float(geom.area),
        "note": str(row["note"])
        if "note" in frame.columns and not _is_missing(row["note"])
        else None,
    }


def _population(row, field: str | None, number: int, name: str) -> int | None:
    if field is None or _is_missing(row[field]) or str(row[field]).strip() == "":
        return None
    value = row[field]
    number_value = parse_number(str(value))
    if number_value is None or not 0 <= number_value <= MAX_AREA_COUNT:
        raise TryggError(
            t(
                "err.places_population_range",
                feature=number,
                name=name,
                value=value,
                field=field,
                max=filecheck.number(MAX_AREA_COUNT),
            )
        )
    if not number_value.is_integer():
        raise TryggError(
            t("err.places_bad_population", feature=number, name=name, value=value, field=field)
        )
    return int(number_value)


def _same_places(connection: Connection, kommun: str, records: list[dict]) -> bool:
    stored = connection.execute(
        select(schema.place.c.name, schema.place.c.geom_wkb).where(
            schema.place.c.kommun_kod == kommun
        )
    ).all()
    return sorted(stored) == sorted((r["name"], r["geom_wkb"]) for r in records)


def _store_places(
    connection: Connection, kommun: str, records: list[dict], batch_id: int, replace: bool
) -> list[str]:
    table = schema.place
    existing = dict(
        connection.execute(
            select(table.c.name, table.c.id).where(table.c.kommun_kod == kommun)
        ).all()
    )
    incoming = {r["name"] for r in records}
    clashes = sorted(incoming & existing.keys())
    if clashes and not replace:
        raise TryggError(t("err.places_exists", kommun=kommun, names=formatting.few(clashes)))
    warnings = []
    if replace:
        for name in sorted(existing.keys() - incoming):
            connection.execute(delete(table).where(table.c.id == existing[name]))
    for record in records:
        values = {**record, "kommun_kod": kommun, "batch_id": batch_id}
        if record["name"] in existing:
            connection.execute(
                table.update().where(table.c.id == existing[record["name"]]).values(**values)
            )
        else:
            connection.execute(table.insert().values(**values))
    return warnings


def _store_web_shapes(connection: Connection, kommun: str) -> None:
    """Simplify the kommun's places for the web, together, and store each one's shape.

    They are simplified as one layer (shared borders stay shared, the tolerance follows
    the kommun's extent), so adding places recomputes them all.
    """
    from trygg.geometry import compute_web_shapes

    table = schema.place
    rows = connection.execute(
        select(table.c.id, table.c.geom_wkb).where(table.c.kommun_kod == kommun)
    ).all()
    shapes = compute_web_shapes(np.asarray(shapely.from_wkb([r.geom_wkb for r in rows])))
    for position, shape, (lon, lat) in zip(shapes.order, shapes.shapes, shapes.labels, strict=True):
        connection.execute(
            table.update()
            .where(table.c.id == rows[int(position)].id)
            .values(web_wkb=shapely.to_wkb(shape), label_lon=float(lon), label_lat=float(lat))
        )


def load_places(engine: Engine, kommun: str) -> gpd.GeoDataFrame:
    """The kommun's places as a GeoDataFrame in EPSG:3006, largest first.

    Columns: id, name, aliases (list), kind, population, area_m2, note, geometry, and
    the stored web shape (``web_geometry``, WGS84, None if not yet computed) with its
    label point (``label_lon``, ``label_lat``).
    """
    import geopandas as gpd

    table = schema.place
    with engine.connect() as connection:
        rows = (
            connection.execute(
                select(
                    table.c.id,
                    table.c.name,
                    table.c.aliases,
                    table.c.kind,
                    table.c.population,
                    table.c.area_m2,
                    table.c.note,
                    table.c.geom_wkb,
                    table.c.web_wkb,
                    table.c.label_lon,
                    table.c.label_lat,
                )
                .where(table.c.kommun_kod == kommun)
                .order_by(table.c.area_m2.desc(), table.c.name)
            )
            .mappings()
            .all()
        )
    frame = pd.DataFrame(
        [dict(r) for r in rows],
        columns=[
            "id",
            "name",
            "aliases",
            "kind",
            "population",
            "area_m2",
            "note",
            "geom_wkb",
            "web_wkb",
            "label_lon",
            "label_lat",
        ],
    )
    geometry = gpd.GeoSeries(shapely.from_wkb(frame.pop("geom_wkb").tolist()), crs=STORE_CRS)
    frame["web_geometry"] = shapely.from_wkb(frame.pop("web_wkb").tolist())
    frame["population"] = frame["population"].astype("Int64")
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=STORE_CRS)


def export_geojson(engine: Engine, kommun: str) -> dict:
    """The kommun's places as a WGS84 FeatureCollection.

    Properties: id, kommun, name, aliases (list), kind, population, area_km2, note.
    """
    from trygg import geo

    frame = geo.to_web(load_places(engine, kommun))
    features = [
        {
            "type": "Feature",
            "properties": {**place_properties(row), "kommun": kommun},
            "geometry": shapely.geometry.mapping(geo.round_coordinates(row.geometry, 7)),
        }
        for row in frame.itertuples()
    ]
    return {"type": "FeatureCollection", "features": features}


def place_properties(row) -> dict:
    """A place row (from :func:`load_places`) as plain JSON-ready properties."""
    return {
        "id": int(row.id),
        "name": row.name,
        "aliases": list(row.aliases),
        "kind": row.kind,
        "population": None if pd.isna(row.population) else int(row.population),
        "area_km2": round(float(row.area_m2) / 1e6, 4),
        "note": row.note,
    }


def list_places(engine: Engine, kommun: str) -> list[dict]:
    """The kommun's places as :func:`place_properties`, largest first, without geometry.

    One plain SELECT: a listing needs neither the polygons nor geopandas.
    """
    table = schema.place
    query = (
        select(
            table.c.id,
            table.c.name,
            table.c.aliases,
            table.c.kind,
            table.c.population,
            table.c.area_m2,
            table.c.note,
        )
        .where(table.c.kommun_kod == kommun)
        .order_by(table.c.area_m2.desc(), table.c.name)
    )
    with engine.connect() as connection:
        return [place_properties(row) for row in connection.execute(query)]
