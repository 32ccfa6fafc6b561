"""Files for the fuzz tests: valid seeds for every importer, and hand-made hostile files.

Every file is built here from scratch (no downloads). Places and points use the demo
places of Laholm (kommun 1381), which :mod:`tests.fuzz_runner` loads first.
"""

from __future__ import annotations

import io
import json
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import openpyxl
import yaml
from shapely.geometry import box

REPO = Path(__file__).resolve().parents[1]
LAHOLM = REPO / "geodata" / "1381_laholm"
#: A point inside Stadsparken, Laholm, in SWEREF 99 TM.
PARK_X, PARK_Y = 379_270.9, 6_264_556.6

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


@dataclass(frozen=True)
class Hostile:
    """A hostile file, the importer whose refusal is checked, and a text it must name."""

    name: str
    data: bytes
    importer: str
    expect: str


# --- Building blocks -------------------------------------------------------------------


def xlsx(sheet_xml: str) -> bytes:
    """A minimal workbook whose only sheet is ``sheet_xml`` (written as given)."""
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
            '.org/package/2006/content-types"><Default Extension="rels" ContentType="application'
            '/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            'ContentType="application/xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{PACKAGE_NS}"><Relationship Id="rId1" Type="{REL_NS}/'
            'officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><sheets><sheet name="Blad1" '
            'sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{PACKAGE_NS}"><Relationship Id="rId1" Type="{REL_NS}/'
            'worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": sheet_xml,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def sheet(cells: list[tuple[str, str]], dimension: str | None = None) -> str:
    """Sheet XML with inline-string cells, one row per distinct row number."""
    rows: dict[int, list[str]] = {}
    for ref, value in cells:
        number = int("".join(ch for ch in ref if ch.isdigit()))
        rows.setdefault(number, []).append(
            f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'
        )
    body = "".join(f'<row r="{n}">{"".join(c)}</row>' for n, c in sorted(rows.items()))
    extent = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f'<worksheet xmlns="{MAIN_NS}">{extent}<sheetData>{body}</sheetData></worksheet>'


def workbook(rows: list[list]) -> bytes:
    """A real .xlsx written by openpyxl."""
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def zip_bomb(member: str, megabytes: int, extra: dict[str, bytes] | None = None) -> bytes:
    """A zip whose ``member`` unpacks to ``megabytes`` MB of spaces (ratio ≈ 1000)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
        with archive.open(member, "w") as stream:
            chunk = b" " * (1024 * 1024)
            for _ in range(megabytes):
                stream.write(chunk)
    return buffer.getvalue()


def layer_bytes(frame: gpd.GeoDataFrame, driver: str, suffix: str) -> bytes:
    """``frame`` written by GDAL, as bytes (a Shapefile comes zipped)."""
    with tempfile.TemporaryDirectory() as folder:
        if driver == "ESRI Shapefile":
            frame.to_file(Path(folder) / "omraden.shp", driver=driver)
            return zipped({p.name: p.read_bytes() for p in sorted(Path(folder).iterdir())})
        path = Path(folder) / f"omraden{suffix}"
        frame.to_file(path, driver=driver)
        return path.read_bytes()


def park_places() -> gpd.GeoDataFrame:
    """Two small places near Stadsparken, in SWEREF 99 TM."""
    return gpd.GeoDataFrame(
        {"namn": ["Fuzzparken", "Fuzztorget"], "invanare": [120, 300]},
        geometry=[
            box(PARK_X - 50, PARK_Y - 50, PARK_X + 50, PARK_Y + 50),
            box(PARK_X + 100, PARK_Y, PARK_X + 200, PARK_Y + 100),
        ],
        crs="EPSG:3006",
    )


# --- Valid seeds -----------------------------------------------------------------------


def seeds() -> dict[str, tuple[bytes, str]]:
    """One valid file per importer and format: name → (bytes, importer)."""
    survey = (
        "Område;År;Trygg kväll;Problem klotter;Vikt\n"
        "Stadsparken;2024;3;2;1,2\nLaholms centrum;2024;Mycket trygg;1;0,8\n"
        "Veinge;2023;5;4;1\n"
    )
    survey_xy = f"x;y;ar;trygg_kvall\n{PARK_X};{PARK_Y};2024;2\n{PARK_X + 5};{PARK_Y};2024;6\n"
    incidents = (
        "Datum;Kategori;Plats;Antal;Beskrivning\n"
        "2024-03-15 21:40;Klotter;Stadsparken;2;text\n15/3/2024;Skadegörelse;Veinge;1;\n"
    )
    points = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"datum": "2024-05-01 22:10", "kategori": "Stöld", "antal": 1},
                "geometry": {"type": "Point", "coordinates": [13.0478, 56.5112]},
            }
        ],
    }
    results = (
        "Område;År;Indikator;Värde;n;KI låg;KI hög\n"
        "Stadsparken;2024;Trygghetsindex;2,4;120;2,1;2,7\nTotalt;2024;Oro brott;35 %;800;..;..\n"
    )
    crime = (
        "Område;Period;Brottstyp;Antal;Per 100 000;Status\n"
        "Laholm;2024;Skadegörelse;120;510,5;slutlig\nStadsparken;2024 kv1;Stöld;XX;..;prel\n"
    )
    promises = yaml.safe_load((LAHOLM / "medborgarlofte.yaml").read_text(encoding="utf-8"))
    promise_csv = (
        "kommun,medborgarlofte,period_from,period_to,signed,signatories,follow_up_cadence,"
        "source,designated_places,party,text,places,designated,themes,partners,status\n"
        "1381,Fuzzlöfte,2024-01-01,2024-12-31,2024-01-10,Anna (chef),tertial,Källa,"
        "Stadsparken,polisen,synas i parken,Stadsparken,ja,polisnarvaro,,pågår\n"
    )
    frame = park_places()
    return {
        "enkat.csv": (survey.encode("cp1252"), "survey"),
        "enkat_xy.csv": (survey_xy.encode(), "survey"),
        "enkat.xlsx": (
            workbook([r.split(";") for r in survey.strip().splitlines()]),
            "survey",
        ),
        "resultat.csv": (results.encode(), "survey_results"),
        "handelser.csv": (incidents.encode(), "incidents"),
        "handelser.geojson": (json.dumps(points).encode(), "incidents"),
        "bra.csv": (crime.encode(), "crime_stats"),
        "platser.geojson": (frame.to_crs(4326).to_json().encode(), "places"),
        "platser.gpkg": (layer_bytes(frame, "GPKG", ".gpkg"), "places"),
        "platser.kml": (layer_bytes(frame.to_crs(4326), "KML", ".kml"), "places"),
        "platser.zip": (layer_bytes(frame, "ESRI Shapefile", ".shp"), "places"),
        "loften.yaml": (yaml.safe_dump(promises, allow_unicode=True).encode(), "commitments"),
        "loften.csv": (promise_csv.encode(), "commitments"),
    }


# --- Hostile files ---------------------------------------------------------------------


def hostile_files(url: str, slow: bool = False) -> list[Hostile]:
    """The hand-made hostile files; ``url`` is a local server that must never be asked.

    With ``slow``, also those that take a reader to its time limit or read millions of
    rows (for ``make fuzz``).
    """
    files = [*_spreadsheets(), *_zips(), *_layers(url), *_tables(), *_documents()]
    if slow:
        files += [
            Hostile("oandlig.gpkg", endless_geopackage(), "places", "TRYGG_READ_TIMEOUT_S"),
            Hostile("rader.csv", b"Omrade\n" + b"x\n" * 2_000_001, "survey", "TRYGG_MAX_ROWS"),
        ]
    return files


def _spreadsheets() -> list[Hostile]:
    header = [("A1", "Område"), ("B1", "År")]
    ods = zipped(
        {
            "mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
            "content.xml": (
                b'<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:'
                b'office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
                b'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body>'
                b'<office:spreadsheet><table:table table:name="A"><table:table-row '
                b'table:number-rows-repeated="1048576"><table:table-cell '
                b'table:number-columns-repeated="16384" office:value-type="string"><text:p>x'
                b"</text:p></table:table-cell></table:table-row></table:table>"
                b"</office:spreadsheet></office:body></office:document-content>"
            ),
        }
    )
    valid = seeds()["enkat.xlsx"][0]
    return [
        Hostile(
            "dimension.xlsx",
            xlsx(sheet([*header, ("XFD1048576", "1")], "A1:XFD1048576")),
            "survey",
            "XFD1048576",
        ),
        Hostile("gles.xlsx", xlsx(sheet([*header, ("ZZ200000", "1")])), "survey", "TRYGG_"),
        Hostile(
            "gles_dimension.xlsx",
            xlsx(sheet([*header, ("ZZ200000", "1")], "A1:ZZ200000")),
            "survey",
            "ZZ200000",
        ),
        Hostile(
            "ljuger.xlsx",
            xlsx(sheet([*header, ("ZZ200000", "1")], "A1:B2")),
            "incidents",
            "TRYGG_",
        ),
        Hostile("gles.ods", ods, "survey", "gles.ods"),
        Hostile("trasig.xlsx", valid[: len(valid) // 2], "survey", "trasig.xlsx"),
        Hostile("tabell.xlsx", b"Omrade;Ar\nStadsparken;2024\n", "survey", "tabell.xlsx"),
        Hostile("excel.csv", valid, "survey", "Excel"),
        Hostile(
            "gammal.xls",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
            "survey",
            "gammal.xls",
        ),
    ]


def _zips() -> list[Hostile]:
    frame = park_places()
    shapefile = layer_bytes(frame, "ESRI Shapefile", ".shp")
    parts = {
        i.filename: zipfile.ZipFile(io.BytesIO(shapefile)).read(i)
        for i in zipfile.ZipFile(io.BytesIO(shapefile)).infolist()
    }
    valid = seeds()["enkat.xlsx"][0]
    book = {
        i.filename: zipfile.ZipFile(io.BytesIO(valid)).read(i)
        for i in zipfile.ZipFile(io.BytesIO(valid)).infolist()
    }
    del book["xl/worksheets/sheet1.xml"]
    return [
        Hostile("bomb.xlsx", zip_bomb("xl/worksheets/sheet1.xml", 64, book), "survey", "zip-bomb"),
        Hostile(
            "bomb.zip",
            zip_bomb("omraden.dbf", 64, {k: v for k, v in parts.items() if k != "omraden.dbf"}),
            "places",
            "zip-bomb",
        ),
        Hostile("klattra.zip", zipped({**parts, "../../etc/omraden.shp": b"x"}), "places", ".."),
        Hostile("absolut.zip", zipped({"/etc/passwd.shp": b"x", **parts}), "places", "/etc"),
        Hostile(
            "vrt.zip", zipped({**parts, "lager.vrt": b"<OGRVRTDataSource/>"}), "places", "lager.vrt"
        ),
        Hostile("inbaddad.zip", zipped({"inre.zip": shapefile}), "places", "inre.zip"),
        Hostile("tom.zip", zipped({}), "places", ".shp"),
        Hostile("trasig.zip", shapefile[: len(shapefile) // 3], "places", "zip"),
    ]


def _layers(url: str) -> list[Hostile]:
    passwd_vrt = (
        b'<OGRVRTDataSource><OGRVRTLayer name="passwd"><SrcDataSource>CSV:/etc/passwd'
        b"</SrcDataSource></OGRVRTLayer></OGRVRTDataSource>"
    )
    url_vrt = (
        f'<OGRVRTDataSource><OGRVRTLayer name="u"><SrcDataSource>/vsicurl/{url}/vrt.csv'
        "</SrcDataSource></OGRVRTLayer></OGRVRTDataSource>"
    ).encode()
    polygon = {
        "type": "Polygon",
        "coordinates": [[[13.04, 56.51], [13.05, 56.51], [13.05, 56.52], [13.04, 56.51]]],
    }
    link_crs = {
        "type": "FeatureCollection",
        "crs": {"type": "link", "properties": {"href": f"{url}/crs", "type": "proj4"}},
        "features": [{"type": "Feature", "properties": {"name": "A"}, "geometry": polygon}],
    }
    escaped_crs = json.dumps(link_crs).replace('"crs"', '"\\u0063rs"').encode()
    xxe = (
        '<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY x SYSTEM "file:///etc/passwd">'
        f'<!ENTITY u SYSTEM "{url}/xxe">]><kml xmlns="http://www.opengis.net/kml/2.2">'
        "<Placemark><name>&x;&u;</name><Polygon><outerBoundaryIs><LinearRing><coordinates>"
        "13.04,56.51 13.05,56.51 13.05,56.52 13.04,56.51</coordinates></LinearRing>"
        "</outerBoundaryIs></Polygon></Placemark></kml>"
    ).encode()
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY a "aaaaaaaaaa">'
        + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
        + "]><kml><Placemark><name>&i;</name></Placemark></kml>"
    ).encode()
    gpkg = layer_bytes(park_places(), "GPKG", ".gpkg")
    return [
        Hostile("passwd.vrt", passwd_vrt, "places", "GeoJSON, GeoPackage, zippad Shapefile"),
        Hostile("url.vrt", url_vrt, "places", "GeoJSON, GeoPackage, zippad Shapefile"),
        Hostile("vrt.geojson", passwd_vrt, "places", "JSON-objekt"),
        Hostile("vrt.kml", passwd_vrt, "places", "<kml>"),
        Hostile("vrt.gpkg", passwd_vrt, "places", "SQLite"),
        Hostile("vsicurl.geojson", f"/vsicurl/{url}/x.geojson".encode(), "places", "JSON-objekt"),
        Hostile("lank.geojson", json.dumps(link_crs).encode(), "places", "koordinatsystem"),
        Hostile("lank_escape.geojson", escaped_crs, "places", "koordinatsystem"),
        Hostile(
            "lank_punkter.geojson", json.dumps(link_crs).encode(), "incidents", "koordinatsystem"
        ),
        Hostile("xxe.kml", xxe, "places", "DOCTYPE"),
        Hostile("skratt.kml", laughs, "places", "DOCTYPE"),
        Hostile(
            "djup.geojson",
            b'{"type":"FeatureCollection","features":' + b"[" * 100_000 + b"]" * 100_000 + b"}",
            "places",
            "nästlat",
        ),
        Hostile("hornpunkter.geojson", million_vertex_polygon(), "places", ""),
        Hostile("annat.gpkg", sqlite_with_other_tables(), "places", "GeoPackage"),
        Hostile(
            "falsk.gpkg",
            sqlite_with_other_tables(application_id=0x47504B47),
            "places",
            "falsk.gpkg",
        ),
        Hostile("trasig.gpkg", gpkg[: len(gpkg) // 2], "places", "trasig.gpkg"),
        Hostile("trasig.geojson", seeds()["platser.geojson"][0][:200], "places", "JSON"),
        Hostile("paket.geojson", gpkg, "places", "JSON-objekt"),
        Hostile("bara_json.geojson", b'{"hej": [1, 2, 3]}', "places", "GeoJSON-typ"),
    ]


def _tables() -> list[Hostile]:
    absurd_incidents = (
        "Datum;Kategori;x;y;Antal\n"
        f"2024-03-15;Klotter;{PARK_X};{PARK_Y};9e18\n"
        f"9999-12-31;Klotter;{PARK_X};{PARK_Y};1\n"
        f"2024-03-16;Klotter;1e300;1e300;1\n"
        f"2024-03-17;Klotter;{PARK_X};{PARK_Y};1e400\n"
    ).encode()
    absurd_survey = "Område;År;Trygg kväll;Vikt\nStadsparken;9999;3;1\nStadsparken;2024;3;1e308\n"
    absurd_results = "Område;År;Indikator;Värde;n\nStadsparken;2024;Index;9e18;9e18\n"
    absurd_crime = "Område;Period;Brottstyp;Antal\nLaholm;9999;Stöld;1\nLaholm;2024;Stöld;1e19\n"
    return [
        Hostile("nul.csv", b"Omr\x00de;\x00\x00r\n" + b"\x00" * 5000, "survey", "nul.csv"),
        Hostile(
            "sen_nul.csv",
            b"Omrade;Ar\n" + b"Stadsparken;2024\n" * 400 + b"\x00\x00;\x00\n",
            "survey",
            "rad",
        ),
        Hostile(
            "kolumner.csv",
            (";".join(f"k{i}" for i in range(100_000)) + "\n1\n").encode(),
            "survey",
            "100 000",
        ),
        Hostile(
            "lang_cell.csv",
            b"Omrade;Ar\n" + b"x" * 200_000 + b";2024\n",
            "survey",
            "TRYGG_MAX_CELL_CHARS",
        ),
        Hostile("tom.csv", b"", "survey", "tom"),
        Hostile("bom.csv", b"\xef\xbb\xbf", "incidents", "bom.csv"),
        Hostile("bara_rubrik.csv", b"Datum;Kategori;Plats\n", "incidents", "inga datarader"),
        Hostile("absurd_handelser.csv", absurd_incidents, "incidents", "9e18"),
        Hostile("absurd_enkat.csv", absurd_survey.encode(), "survey", "9999"),
        Hostile("absurd_resultat.csv", absurd_results.encode(), "survey_results", "9e18"),
        Hostile("absurd_bra.csv", absurd_crime.encode(), "crime_stats", "1e19"),
        Hostile(
            "utf16.csv", "Område;År\nStadsparken;2024\n".encode("utf-16"), "survey", "utf16.csv"
        ),
    ]


def _documents() -> list[Hostile]:
    laughs = (
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
        + "".join(
            f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n"
            for i in range(8)
        )
        + "medborgarloften: [{title: *i}]\n"
    )
    wrong = {
        "kommun": "1381",
        "medborgarloften": [
            {
                "title": "Fel typer",
                "period": {"from": "2024-01-01", "to": "9999-12-31"},
                "commitments": [{"party": "polisen", "text": "x", "follow_ups": 5}],
            }
        ],
    }
    return [
        Hostile("skratt.yaml", laughs.encode(), "commitments", "alias"),
        Hostile(
            "djup.yaml",
            b"medborgarloften: " + b"[" * 10_000 + b"]" * 10_000,
            "commitments",
            "TRYGG_MAX_NESTING",
        ),
        Hostile(
            "stor.yaml", b"# " + b"x" * (6 * 1024 * 1024), "commitments", "TRYGG_MAX_DOCUMENT_MB"
        ),
        Hostile("typer.yaml", yaml.safe_dump(wrong).encode(), "commitments", "9999"),
        Hostile(
            "datum.yaml",
            b"medborgarloften:\n  - {title: x, signed: 2024-13-45}\n",
            "commitments",
            "2024-13-45",
        ),
        Hostile(
            "objekt.yaml",
            b"medborgarloften: !!python/object/apply:os.system [id]\n",
            "commitments",
            "objekt.yaml",
        ),
        Hostile("binar.yaml", b"\xff\xfe\x00\x00garbage", "commitments", "binar.yaml"),
    ]


# --- Big or odd layers -----------------------------------------------------------------


def million_vertex_polygon(vertices: int = 1_000_000) -> bytes:
    """A valid GeoJSON polygon (a 2 km circle near Stadsparken) with ``vertices`` corners."""
    angles = np.linspace(0, 2 * np.pi, vertices, endpoint=False)
    xs = np.round(PARK_X + 2000 * np.cos(angles), 3)
    ys = np.round(PARK_Y + 2000 * np.sin(angles), 3)
    ring = ",".join(f"[{x},{y}]" for x, y in zip(xs.tolist(), ys.tolist(), strict=True))
    ring += f",[{xs[0]},{ys[0]}]"
    return (
        '{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:3006"}},'
        '"features":[{"type":"Feature","properties":{"namn":"Cirkeln"},'
        f'"geometry":{{"type":"Polygon","coordinates":[[{ring}]]}}}}]}}'
    ).encode()


def sqlite_with_other_tables(application_id: int = 0) -> bytes:
    """An SQLite file with ordinary tables (optionally claiming to be a GeoPackage)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "db.sqlite"
        connection = sqlite3.connect(path)
        connection.execute(f"PRAGMA application_id = {application_id}")
        connection.execute("CREATE TABLE kunder (namn TEXT, losen TEXT)")
        connection.execute("INSERT INTO kunder VALUES ('root', 'hemligt')")
        connection.commit()
        connection.close()
        return path.read_bytes()


def endless_geopackage() -> bytes:
    """A GeoPackage whose layer is a view over an endless recursive query."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "oandlig.gpkg"
        path.write_bytes(layer_bytes(park_places(), "GPKG", ".gpkg"))
        connection = sqlite3.connect(path)
        triggers = connection.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        for (name,) in triggers.fetchall():
            connection.execute(f'DROP TRIGGER "{name}"')
        connection.execute("ALTER TABLE omraden RENAME TO omraden_t")
        connection.execute(
            "CREATE VIEW omraden AS WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL "
            "SELECT n + 1 FROM r) SELECT r.n AS fid, o.geom, o.namn FROM omraden_t o, r"
        )
        connection.execute("DELETE FROM gpkg_ogr_contents")
        connection.commit()
        connection.close()
        return path.read_bytes()
