"""Hypothesis strategies for fuzzing the importers: each draws ``(file name, bytes, importer)``.

Four families: random tables (CSV in several encodings and delimiters, or .xlsx) from a
pool of real and absurd headers and values; byte-level mutations of the valid seeds of
:mod:`tests.hostile_files` (truncation, flipped and inserted bytes, wrong extension);
random GeoJSON; and commitment files with parts replaced by wrong types and values.
Mostly a file goes to the importer it was made for, sometimes to any other.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import io
import json

import openpyxl
import yaml
from hypothesis import strategies as st

from tests.hostile_files import LAHOLM, PARK_X, PARK_Y, seeds

IMPORTERS = ["survey", "survey_results", "incidents", "crime_stats", "places", "commitments"]
SUFFIXES = [
    ".csv",
    ".xlsx",
    ".ods",
    ".xls",
    ".geojson",
    ".json",
    ".gpkg",
    ".zip",
    ".kml",
    ".yaml",
    ".yml",
    ".vrt",
    ".txt",
    "",
]
HEADERS = [
    "Område",
    "plats",
    "x",
    "y",
    "lat",
    "lon",
    "År",
    "ar",
    "Trygg kväll",
    "Problem klotter",
    "Oro brott",
    "Vikt",
    "Datum",
    "Tid",
    "Kategori",
    "Antal",
    "Beskrivning",
    "Period",
    "Brottstyp",
    "Per 100 000",
    "Status",
    "Indikator",
    "Värde",
    "n",
    "KI låg",
    "KI hög",
    "respondent_id",
    "Ålder",
    "Kön",
    "kommentar",
    "Month",
    "Crime type",
    "Longitude",
    "Latitude",
    "",
    " ",
    "=cmd|' /C calc'!A0",
    "Område ",
    "x" * 300,
]
VALUES = [
    "Stadsparken",
    "Laholms centrum",
    "Veinge",
    "stadsparken ",
    "Stadsparkn",
    "2024",
    "2023",
    "9999",
    "0",
    "1899",
    "2100",
    "3",
    "7",
    "8",
    "-1",
    "1,5",
    "1.5",
    "1 234",
    "9e18",
    "1e308",
    "1e309",
    "-1e400",
    "NaN",
    "nan",
    "inf",
    "-Infinity",
    "1_000",
    "１２",
    "0x10",
    "",
    " ",
    "XX",
    "..",
    "–",
    "Uppgift saknas",
    "Mycket trygg",
    "Ganska otrygg",
    "2024-03-15",
    "2024-03-15 21:40",
    "15/3/2024",
    "2024-02-30",
    "9999-12-31",
    "0001-01-01",
    "2024-03",
    "24:61",
    "kl 25.00",
    "Klotter",
    "Stöld",
    '=HYPERLINK("http://x")',
    "\x00",
    "\ufeff",
    "\u202e",
    str(PARK_X),
    str(PARK_Y),
    "13,0478",
    "56,5112",
    "13.0478",
    "56.5112",
    "1e300",
    "-1e300",
    "x" * 5000,
    "preliminär",
    "slutlig",
    "ja",
    "50 %",
    "200 %",
    "2024 kv1",
    "99999999999999999999999999",
    "{{7*7}}",
    "\r",
    "\n",
    '"',
    ";",
    "\t",
]

cells = st.one_of(
    st.sampled_from(VALUES),
    st.text(max_size=12),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)


@functools.cache
def seed_files() -> dict[str, tuple[bytes, str]]:
    return seeds()


#: The columns each table importer needs; most random tables start with them.
REQUIRED = {
    "survey": ["Område", "År", "Trygg kväll"],
    "survey_results": ["Område", "År", "Indikator", "Värde"],
    "incidents": ["Datum", "Kategori", "Plats", "Antal"],
    "crime_stats": ["Område", "Period", "Brottstyp", "Antal"],
}


@st.composite
def table_case(draw):
    """A random table as CSV or .xlsx, for one of the four table importers."""
    importer = draw(st.sampled_from(sorted(REQUIRED)))
    extra = draw(st.lists(st.one_of(st.sampled_from(HEADERS), st.text(max_size=8)), max_size=5))
    header = (REQUIRED[importer] if draw(st.integers(0, 3)) else []) + extra
    rows = draw(st.lists(st.lists(cells, max_size=len(header) + 2), max_size=12))
    if draw(st.integers(0, 4)) == 0:
        suffix = draw(st.sampled_from([".xlsx", ".xlsm"]))
        return f"tabell{suffix}", _xlsx([header, *rows]), importer
    delimiter = draw(st.sampled_from([";", ",", "\t", "|"]))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    lines = [delimiter.join(_quoted(c, delimiter) for c in row) for row in [header, *rows]]
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1"]))
    return "tabell.csv", newline.join(lines).encode(encoding, errors="replace"), importer


def _quoted(cell: str, delimiter: str) -> str:
    if any(ch in cell for ch in (delimiter, '"', "\n", "\r")):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def _xlsx(rows: list[list[str]]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append([_printable(cell) for cell in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _printable(cell: str) -> str:
    """openpyxl refuses control characters; a spreadsheet program would too."""
    return "".join(ch for ch in cell if ch >= " " or ch in "\t\n\r")[:32_000]


@st.composite
def mutated_seed_case(draw):
    """A valid seed with its bytes damaged, and maybe its extension changed."""
    name, (data, importer) = draw(st.sampled_from(sorted(seed_files().items())))
    data = bytearray(data)
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["truncate", "flip", "insert", "value", "duplicate"]))
        where = draw(st.integers(0, max(len(data) - 1, 0)))
        if kind == "truncate":
            del data[where:]
        elif kind == "flip" and data:
            data[where] ^= draw(st.integers(1, 255))
        elif kind == "insert":
            data[where:where] = draw(st.binary(min_size=1, max_size=16))
        elif kind == "value":
            data[where:where] = draw(st.sampled_from(VALUES)).encode()
        else:
            data[where:where] = data[where : where + draw(st.integers(1, 400))]
    if draw(st.integers(0, 5)) == 0:
        name = "fel" + draw(st.sampled_from(SUFFIXES))
    return name, bytes(data), importer


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.sampled_from(VALUES), st.integers(), st.floats()),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=12,
)


@st.composite
def geometry(draw):
    x, y = draw(
        st.sampled_from([(13.0478, 56.5112), (PARK_X, PARK_Y), (0.0, 0.0), (1e300, -1e300)])
    )
    size = draw(st.sampled_from([0.001, 50.0, 0.0, -5.0]))
    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    return draw(
        st.sampled_from(
            [
                {"type": "Polygon", "coordinates": [ring]},
                {"type": "MultiPolygon", "coordinates": [[ring]]},
                {"type": "Point", "coordinates": [x, y]},
                {"type": "LineString", "coordinates": ring},
                {
                    "type": "Polygon",
                    "coordinates": [
                        [[x, y], [x + size, y + size], [x, y + size], [x + size, y], [x, y]]
                    ],
                },
                {"type": "Polygon", "coordinates": []},
                None,
            ]
        )
    )


@st.composite
def geojson_case(draw):
    """A FeatureCollection with random properties, geometries and CRS members."""
    keys = st.sampled_from(
        ["namn", "name", "datum", "kategori", "antal", "invanare", "alias", "kind", "x"]
    )
    features = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "type": st.sampled_from(["Feature", "Feature", "feature", "Point"]),
                    "properties": st.dictionaries(keys, json_values, max_size=5),
                    "geometry": geometry(),
                }
            ),
            max_size=5,
        )
    )
    document = {
        "type": draw(
            st.sampled_from(["FeatureCollection", "FeatureCollection", "Feature", "Topology"])
        ),
        "features": features,
    }
    crs = draw(
        st.sampled_from(
            [
                None,
                {"type": "name", "properties": {"name": "EPSG:3006"}},
                {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
                {"type": "name", "properties": {"name": "/etc/passwd"}},
                {"type": "EPSG", "properties": {"code": 3006}},
                {"type": "name"},
                "EPSG:3006",
            ]
        )
    )
    if crs is not None:
        document["crs"] = crs
    text = json.dumps(document)
    name = draw(st.sampled_from(["lager.geojson", "lager.json"]))
    return name, text.encode(), draw(st.sampled_from(["places", "places", "incidents"]))


hostile_yaml_values = st.one_of(
    st.sampled_from(
        [
            None,
            5,
            -1,
            3.5,
            "",
            "x",
            [],
            {},
            [1, 2],
            {"a": 1},
            [[[]]],
            True,
            dt.date(9999, 1, 1),
            dt.date(1000, 1, 1),
            "2024-13-45",
            "x" * 2000,
            ["okänd plats"],
            "polisen",
            "pågår",
            "tertial",
            {"from": "2024-01-01"},
        ]
    ),
    st.text(max_size=10),
    st.integers(),
)


@st.composite
def yaml_case(draw):
    """Laholm's medborgarlöfte with a few values replaced by wrong types and values."""
    document = yaml.safe_load((LAHOLM / "medborgarlofte.yaml").read_text(encoding="utf-8"))
    for _ in range(draw(st.integers(1, 3))):
        _replace_somewhere(document, draw, copy.deepcopy(draw(hostile_yaml_values)))
    try:
        text = yaml.safe_dump(document, allow_unicode=True)
    except yaml.YAMLError:
        text = "medborgarloften: []"
    return "loften.yaml", text.encode(), "commitments"


def _replace_somewhere(node, draw, value) -> None:
    """Walk down a random path of dicts and lists and replace what is found there."""
    for _ in range(draw(st.integers(0, 6))):
        children = (
            list(node.items())
            if isinstance(node, dict)
            else list(enumerate(node))
            if isinstance(node, list)
            else []
        )
        if not children:
            break
        key, child = draw(st.sampled_from(children))
        if not isinstance(child, (dict, list)) or draw(st.booleans()):
            node[key] = value
            return
        node = child
    if isinstance(node, dict):
        node[
            draw(
                st.sampled_from(
                    ["title", "commitments", "period", "kommun", "places", "follow_ups"]
                )
            )
        ] = value


@st.composite
def fuzz_case(draw):
    """One file and the importer it goes to."""
    name, data, importer = draw(
        st.one_of(table_case(), mutated_seed_case(), geojson_case(), yaml_case())
    )
    if draw(st.integers(0, 4)) == 0:
        importer = draw(st.sampled_from(IMPORTERS))
    return name, data, importer
