"""Context beneath the places (import-context, the demo's outline and sea) and local tile
packages (TRYGG_TILES naming a .pmtiles or .mbtiles file)."""

from __future__ import annotations

import re
import sqlite3
import struct
import zlib
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from pmtiles.reader import MmapSource, Reader
from pmtiles.tile import Compression, TileType, zxy_to_tileid
from pmtiles.writer import write
from pyproj import Transformer
from sqlalchemy import func, select

from conftest import run_cli
from trygg import store
from trygg.auth import local_admin
from trygg.demo import DEMO_ACTOR, demo_dir
from trygg.demo.context import load_demo_context
from trygg.maps import tiles
from trygg.maps.build import place_map, standalone_html
from trygg.maps.context import context_layers
from trygg.places import import_places, load_places
from trygg.store import reads, schema

REPO = Path(__file__).resolve().parents[1]
LAHOLM = demo_dir() / "1381_laholm" / "places.geojson"
#: A lake east of Laholm's town, in SWEREF 99 TM (metres).
LAKE_3006 = shapely.box(380_000, 6_262_000, 382_000, 6_263_500)
TO_WGS84 = Transformer.from_crs("EPSG:3006", "EPSG:4326", always_xy=True)


@pytest.fixture
def laholm(tmp_path):
    """A store holding Laholm's demo places only (its database file, its engine)."""
    path = tmp_path / "trygg.sqlite"
    engine = store.make_engine(str(path))
    store.upgrade(engine)
    import_places(engine, LAHOLM, "1381", kommun_name="Laholm", actor=local_admin())
    yield path, engine
    engine.dispose()


def _gpkg(path: Path, geometries, crs="EPSG:3006", **fields) -> Path:
    gpd.GeoDataFrame(fields, geometry=list(geometries), crs=crs).to_file(path, driver="GPKG")
    return path


def _counts(engine) -> tuple[int, int]:
    with engine.connect() as connection:
        features = connection.execute(select(func.count()).select_from(schema.context_feature))
        batches = connection.execute(select(func.count()).select_from(schema.import_batch))
        return features.scalar(), batches.scalar()


def test_import_context_gpkg_in_sweref_appears_as_a_context_layer(laholm, tmp_path):
    db, engine = laholm
    lake = _gpkg(tmp_path / "sjoar.gpkg", [LAKE_3006], namn=["Testsjön"])
    done = run_cli(
        "--db", str(db), "import-context", str(lake), "--kommun", "1381", "--kind", "vatten"
    )
    assert done.returncode == 0, done.stderr
    assert "1 objekt" in done.stdout and "vatten" in done.stdout

    layers = context_layers(reads.context_features(engine, "1381"))
    assert [(layer.kind, layer.names) for layer in layers] == [("vatten", ("Testsjön",))]
    html = standalone_html(place_map(load_places(engine, "1381"), context=layers))
    assert html.count('"className": "trygg-context trygg-context-vatten"') == 1
    assert '"pane": "tryggContext"' in html and '"interactive": false' in html
    # The corner, reprojected here by pyproj alone, is in the page to 5 decimals.
    lon, lat = TO_WGS84.transform(380_000, 6_262_000)
    assert f"[{round(lon, 5)}, {round(lat, 5)}]" in html
    with engine.connect() as connection:
        batch = connection.execute(
            select(schema.import_batch).where(schema.import_batch.c.kind == "context_vatten")
        ).one()
    assert batch.original == lake.read_bytes() and batch.uploaded_by == local_admin().name


def test_import_of_the_same_kind_replaces_the_earlier_layer(laholm, tmp_path):
    db, engine = laholm
    first = _gpkg(tmp_path / "a.gpkg", [LAKE_3006, LAKE_3006.buffer(-100)])
    second = _gpkg(tmp_path / "b.gpkg", [LAKE_3006.buffer(-200)])
    for path in (first, second):
        assert (
            run_cli(
                "--db", str(db), "import-context", str(path), "--kommun", "1381", "--kind", "vatten"
            ).returncode
            == 0
        )
    road = shapely.LineString([(375_000, 6_260_000), (385_000, 6_262_000)])
    roads = _gpkg(tmp_path / "vagar.gpkg", [road])
    assert (
        run_cli(
            "--db", str(db), "import-context", str(roads), "--kommun", "1381", "--kind", "vag"
        ).returncode
        == 0
    )
    kinds = [row[0] for row in reads.context_features(engine, "1381")]
    assert sorted(kinds) == ["vag", "vatten"]  # the second lake file alone, and the road
    with engine.connect() as connection:
        statuses = dict(
            connection.execute(
                select(schema.import_batch.c.file_name, schema.import_batch.c.status)
            ).all()
        )
    assert statuses == {
        "places.geojson": "active",
        "a.gpkg": "replaced",
        "b.gpkg": "active",
        "vagar.gpkg": "active",
    }
    again = run_cli(
        "--db", str(db), "import-context", str(second), "--kommun", "1381", "--kind", "vatten"
    )
    assert "redan inläst" in again.stdout and _counts(engine) == (2, 4)


@pytest.mark.parametrize(
    ("make", "kind", "words"),
    [
        (
            lambda d: _gpkg(d / "punkter.gpkg", [shapely.Point(380_000, 6_262_000)]),
            "vag",
            ["Objekt 1", "Point", "vägar"],
        ),
        (
            lambda d: _gpkg(
                d / "hus.gpkg",
                [LAKE_3006, shapely.LineString([(380_000, 6_262_000), (381_000, 6_262_500)])],
            ),
            "bebyggelse",
            ["Objekt 2", "LineString"],
        ),
        (
            lambda d: _gpkg(d / "fel_crs.gpkg", [LAKE_3006], crs="EPSG:3021"),
            "vatten",
            ["utanför Sverige", "--crs"],
        ),
        (
            lambda d: _gpkg(
                d / "kiruna.gpkg", [shapely.box(740_000, 7_530_000, 742_000, 7_532_000)]
            ),
            "vatten",
            ["Inget av de 1 objekten", "15 km"],
        ),
        (
            lambda d: (d / "trasig.gpkg").write_bytes(b"inte en geopackage") and d / "trasig.gpkg",
            "grans",
            ["trasig.gpkg", "SQLite"],
        ),
    ],
)
def test_a_bad_layer_is_one_swedish_sentence_and_nothing_is_written(
    laholm, tmp_path, make, kind, words
):
    db, engine = laholm
    before = _counts(engine)
    done = run_cli(
        "--db", str(db), "import-context", str(make(tmp_path)), "--kommun", "1381", "--kind", kind
    )
    assert done.returncode == 1 and done.stdout == ""
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert all(word in done.stderr for word in words), done.stderr
    assert _counts(engine) == before


def test_a_kommun_without_places_is_refused(tmp_path):
    db = tmp_path / "tom.sqlite"
    assert run_cli("--db", str(db), "init").returncode == 0
    lake = _gpkg(tmp_path / "sjo.gpkg", [LAKE_3006])
    command = ("--db", str(db), "import-context", str(lake), "--kommun", "1381", "--kind", "vatten")
    unknown = run_cli(*command)
    assert unknown.returncode == 1 and "1381 finns inte" in unknown.stderr
    engine = store.make_engine(str(db))
    with store.write_transaction(engine) as connection:
        store.ensure_kommun(connection, "1381", "Laholm")
    engine.dispose()
    empty = run_cli(*command)
    assert empty.returncode == 1 and "Traceback" not in empty.stderr
    assert "inga platser" in empty.stderr and "trygg import-places" in empty.stderr


def test_demo_context_gives_laholm_an_outline_and_its_sea(laholm, tmp_path):
    _db, engine = laholm
    varnamo = demo_dir() / "0683_varnamo" / "places.geojson"
    import_places(engine, varnamo, "0683", kommun_name="Värnamo", actor=local_admin())
    load_demo_context(engine, DEMO_ACTOR)
    load_demo_context(engine, DEMO_ACTOR)  # again: nothing new
    # Laholm's outline and sea, Värnamo's outline (inland); the batches of both places too.
    assert _counts(engine) == (3, 5)

    layers = {layer.kind: layer for layer in context_layers(reads.context_features(engine, "1381"))}
    assert set(layers) == {"grans", "vatten"}
    places = gpd.GeoSeries(load_places(engine, "1381").geometry).to_crs("EPSG:4326")
    outline = shapely.union_all(layers["grans"].shapes)
    assert all(outline.contains(place) for place in places)
    sea = shapely.union_all(layers["vatten"].shapes)
    assert sea.contains(shapely.Point(12.80, 56.50))  # Laholmsbukten, west of Mellbystrand
    assert not sea.intersects(shapely.Point(13.04, 56.51))  # Laholm's town, 6 km inland
    assert "Ungefärlig" in layers["grans"].note and "Natural Earth" in layers["vatten"].note
    english = context_layers(reads.context_features(engine, "1381"), lang="en")
    assert english[0].note.startswith("Approximate")
    assert {layer.kind for layer in context_layers(reads.context_features(engine, "0683"))} == {
        "grans"
    }


def test_demo_laholm_map_has_context_paths_beneath_the_places(demo_db):
    engine = store.make_engine(str(demo_db))
    try:
        layers = context_layers(reads.context_features(engine, "1381"))
        html = standalone_html(place_map(load_places(engine, "1381"), context=layers))
    finally:
        engine.dispose()
    assert '"className": "trygg-context trygg-context-grans"' in html
    assert '"className": "trygg-context trygg-context-vatten"' in html
    assert re.search(r'createPane\(\s*"tryggContext"\);\s*\w+\.style\.zIndex = 350;', html)
    # The context is added to the map before the places, in its own lower pane.
    assert html.index("trygg-context-vatten") < html.index('"place_id"')


# --- Local tile packages -------------------------------------------------------------


def png_tile(rgb=(200, 220, 200), size=256) -> bytes:
    """A plain PNG of one colour, made with zlib alone."""
    raw = b"".join(b"\x00" + bytes(rgb) * size for _ in range(size))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def tile_xy(lon: float, lat: float, zoom: int) -> tuple[int, int]:
    import math

    n = 2**zoom
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


def write_pmtiles(path: Path, lon=13.05, lat=56.5, zooms=range(8, 14)) -> dict:
    """A raster PMTiles file with a 5 × 5 block of tiles around (lon, lat) at each zoom."""
    tile = png_tile()
    written = {}
    with write(str(path)) as writer:
        ids = sorted(
            zxy_to_tileid(z, x + dx, y + dy)
            for z in zooms
            for x, y in [tile_xy(lon, lat, z)]
            for dx in range(-2, 3)
            for dy in range(-2, 3)
        )
        for tile_id in ids:
            writer.write_tile(tile_id, tile)
            written[tile_id] = tile
        writer.finalize(
            {
                "tile_type": TileType.PNG,
                "tile_compression": Compression.NONE,
                "min_lon_e7": int((lon - 1) * 1e7),
                "min_lat_e7": int((lat - 1) * 1e7),
                "max_lon_e7": int((lon + 1) * 1e7),
                "max_lat_e7": int((lat + 1) * 1e7),
                "center_zoom": 10,
                "center_lon_e7": int(lon * 1e7),
                "center_lat_e7": int(lat * 1e7),
            },
            {"attribution": "testpaket"},
        )
    return written


def write_mbtiles(path: Path, tile: bytes) -> None:
    """An MBTiles file with one tile, z 1 x 1 y 0 (rows counted from the south, TMS)."""
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
        connection.execute(
            "CREATE TABLE tiles (zoom_level INT, tile_column INT, tile_row INT, tile_data BLOB)"
        )
        metadata = {
            "name": "test",
            "format": "png",
            "bounds": "12,56,14,57",
            "center": "13,56.5,1",
            "minzoom": "1",
            "maxzoom": "1",
        }
        connection.executemany("INSERT INTO metadata VALUES (?, ?)", metadata.items())
        connection.execute("INSERT INTO tiles VALUES (1, 1, 1, ?)", (tile,))


def test_a_pmtiles_package_is_published_and_drawn(tmp_path, laholm):
    _db, engine = laholm
    archive = tmp_path / "kommun.pmtiles"
    write_pmtiles(archive)
    env = {"TRYGG_TILES": str(archive)}
    mode, source = tiles.tiles_from_env(env)
    assert mode == "on" and source.archive == archive.resolve()
    static = tmp_path / "static"
    published = tiles.publish_archive(static, env)
    assert published.read_bytes() == archive.read_bytes()
    assert source.url == f"/app/static/tiles/{published.name}"
    html = standalone_html(place_map(load_places(engine, "1381"), tiles=source))
    assert "pmtiles.leafletRasterLayer" in html and source.url in html
    assert "<script src=" not in html


def test_an_mbtiles_package_is_converted_once(tmp_path):
    mbtiles = tmp_path / "kommun.mbtiles"
    tile = png_tile((10, 20, 30), size=4)
    write_mbtiles(mbtiles, tile)
    env = {"TRYGG_TILES": str(mbtiles)}
    published = tiles.publish_archive(tmp_path / "static", env)
    assert published.suffix == ".pmtiles"
    with published.open("rb") as handle:
        reader = Reader(MmapSource(handle))
        assert reader.get(1, 1, 0) == tile  # TMS row 1 at zoom 1 is XYZ row 0
    stamp = published.stat().st_mtime_ns
    assert tiles.publish_archive(tmp_path / "static", env).stat().st_mtime_ns == stamp


@pytest.mark.parametrize(
    ("content", "words"),
    [(None, "finns inte"), (b"inte sqlite", "ingen läsbar MBTiles-fil")],
)
def test_a_bad_tile_package_is_a_sentence(tmp_path, content, words):
    path = tmp_path / "paket.mbtiles"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(Exception) as refused:
        tiles.tiles_from_env({"TRYGG_TILES": str(path)})
    assert type(refused.value).__name__ == "TryggError" and words in str(refused.value)
    assert tiles.publish_archive(tmp_path / "static", {"TRYGG_TILES": str(path)}) is None
