"""Column-wise reading and placing (issue 13, build item 1): the fast paths give exactly
what the row-by-row ones give, checked against independent computations (the ``csv``
module, ``float``, shapely's own predicate per point), and the incident store written
column-wise reads back as written."""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd
import pytest
import shapely
from alembic import command
from shapely.geometry import MultiPolygon, Polygon, box

from tests.store_rows import add_batches, add_incident
from trygg import places, store
from trygg.auth import local_admin
from trygg.importers import incident_store, incidents
from trygg.places.lookup import POINTS_PER_PLACE, Locator, _by_place
from trygg.store import reads, schema
from trygg.tabular import parse_number, parse_numbers, read_table

ADMIN = local_admin()
LAHOLM = "1381"


def _by_csv_module(text: str) -> tuple[list[str], list[list[str]], list[int]]:
    """Header, padded rows and row numbers as the csv module reads them (blank rows
    skipped but counted): the independent reading."""
    delimiter = ";" if text.split("\n")[0].count(";") else ","
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    kept = [(n, r) for n, r in enumerate(records, start=1) if any(c.strip() for c in r)]
    (_n, header), body = kept[0], kept[1:]
    rows = [r + [""] * (len(header) - len(r)) for _n, r in body]
    return [c.strip() for c in header], rows, [n for n, _r in body]


CSV_FILES = {
    "blank lines and short rows": "a;b;c\n1;2;3\n\n4;5\n ; ;\n7;8;9\n\n",
    "crlf and trailing delimiters": "a;b;c;\r\n1;2;3;\r\n\r\n4; 5 ;6;\r\n",
    "commas": "x,y,namn\n1,2,Stadsparken\n, ,\n3,4,Torget\n",
    "spaces around cells": "  a ; b \n 1 ;\t2\t\n",
    "quoted delimiters and newlines": 'a;b\n"1;2";"x\ny"\n\n3;"say ""hi"""\n',
    "text after a closing quote": 'a;b\n"ab"c;d\nx "y";z\n',
    "empty and spaced quotes": 'a;b\n"";" a "\n"x"  ;y\n',
    "a blank line inside quotes": 'a;b\n"a\n\nb";c\n',
}


@pytest.mark.parametrize("name", CSV_FILES)
def test_a_csv_is_read_column_wise_as_the_csv_module_reads_it(tmp_path, name):
    text = CSV_FILES[name]
    path = tmp_path / "data.csv"
    path.write_bytes(text.encode("utf-8"))
    table = read_table(path)
    assert table._frame is not None  # the column-wise path was taken
    header, rows, numbers = _by_csv_module(text)
    assert (table.header, table.rows, table.row_numbers) == (header, rows, numbers)
    table.columns = {name: index for index, name in enumerate(header) if name}
    for index, column in enumerate(header):
        if column:
            assert table.column(column) == [row[index].strip() for row in rows]


def test_a_quote_pandas_cannot_read_falls_back_to_the_csv_module(tmp_path):
    text = 'a;b\n"x";"y""\n'  # unterminated: the csv module keeps the rest of the file
    path = tmp_path / "data.csv"
    path.write_text(text, encoding="utf-8")
    table = read_table(path)
    assert table._frame is None
    assert table.rows == [["x", 'y"\n']]


def test_a_ragged_row_longer_than_the_header_falls_back_and_keeps_its_cells(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("a;b\n1;2;3\n4;5\n", encoding="utf-8")
    table = read_table(path)
    assert table.rows == [["1", "2", "3"], ["4", "5"]]


NUMBER_TEXTS = [
    "1",
    "+5",
    "-5",
    ".5",
    "5.",
    "1e5",
    "1E+5",
    "1 234,5",
    "1\u00a0234",
    "1\u2009234",
    "1_000",
    "inf",
    "nan",
    "",
    " ",
    "abc",
    "12,5",
    "1.2.3",
    "1e400",
    "-0",
    "0x10",
    "1,2,3",
    "+.5",
    "-5.e3",
    "6 250 000,5",
]


def test_parse_numbers_is_parse_number_for_every_text():
    found = parse_numbers(NUMBER_TEXTS)
    for text, value in zip(NUMBER_TEXTS, found, strict=True):
        expected = parse_number(text)
        if expected is None:
            assert np.isnan(value), text
        else:
            assert value == expected, text


def _locator_with(engine, tmp_path, shapes) -> Locator:
    import geopandas as gpd

    layer = tmp_path / "shapes.gpkg"
    gpd.GeoDataFrame(
        {"namn": [f"P{k}" for k in range(len(shapes))]}, geometry=shapes, crs="EPSG:3006"
    ).to_file(layer, driver="GPKG")
    places.import_places(engine, layer, LAHOLM, name_field="namn", actor=ADMIN)
    with engine.connect() as connection:
        return Locator(connection, LAHOLM)


def test_points_are_located_place_by_place_as_shapely_locates_each_point(engine, tmp_path):
    ring = Polygon(
        [(380_000, 6_250_000), (384_000, 6_250_000), (384_000, 6_254_000), (380_000, 6_254_000)],
        holes=[[(381_000, 6_251_000), (383_000, 6_251_000), (383_000, 6_253_000)]],
    )
    shapes = [
        ring,
        box(382_000, 6_252_000, 386_000, 6_256_000),
        MultiPolygon(
            [
                box(379_000, 6_249_000, 380_000, 6_250_000),
                box(385_000, 6_249_000, 386_000, 6_250_000),
            ]
        ),
        box(383_500, 6_250_500, 383_600, 6_250_600),
    ]
    locator = _locator_with(engine, tmp_path, shapes)
    rng = np.random.default_rng(3)
    xs = np.concatenate([rng.uniform(378_500, 386_500, 4000), [380_000.0, 382_000.0, 384_000.0]])
    ys = np.concatenate(
        [rng.uniform(6_248_500, 6_256_500, 4000), [6_252_000.0, 6_252_000.0, 6_250_000.0]]
    )
    assert len(xs) >= POINTS_PER_PLACE * len(shapes)  # the place-by-place path
    point_index, place_ids = locator.containing_pairs(xs, ys)
    with engine.connect() as connection:
        by_name = dict(
            connection.execute(
                schema.place.select().with_only_columns(schema.place.c.name, schema.place.c.id)
            ).all()
        )
    expected = [
        (p, by_name[f"P{k}"])
        for p in range(len(xs))
        for k, shape in enumerate(shapes)
        if shapely.Point(xs[p], ys[p]).within(shape)
    ]
    got = list(zip(point_index.tolist(), place_ids.tolist(), strict=True))
    assert sorted(got) == sorted(expected)
    assert point_index.tolist() == sorted(point_index.tolist())
    few = locator.containing_pairs(xs[:10], ys[:10])  # the STRtree path, same answer
    assert list(zip(*(a.tolist() for a in few), strict=True)) == [g for g in got if g[0] < 10]


def test_place_by_place_finds_nothing_for_no_shapes_or_no_points():
    points, shapes = _by_place(np.array([1.0]), np.array([1.0]), np.array([], dtype=object))
    assert len(points) == len(shapes) == 0
    points, shapes = _by_place(np.array([]), np.array([]), np.array([box(0, 0, 1, 1)]))
    assert len(points) == len(shapes) == 0


INCIDENT_ROWS = [
    ["Datum", "Kategori", "X", "Y", "Antal", "kalla_id"],
    ["2024-03-15 21:40", "Klotter", "383000", "6255000", "", "a"],
    ["2024-03-16", "Stöld", "", "", "2", "b"],
    ["igår", "Bråk", "383000", "6255000", "", ""],
    ["2024-03-17 08:05", "Okänd sak", "383000", "6255000", "x", "c"],
    ["2024-03-18 10:00", "Sammanfattning natt", "", "", "", ""],
    ["2024-03-19 10:00", "Rån", "383010", "6255010", "1", "a"],
    ["2024-03-20 10:00", "Narkotika", "abc", "6255010", "1", "d"],
    ["2024-03-21 10:00", "Okänd sak", "383020", "6255020", "3", "e"],
]


def _write(path, rows, quote: bool) -> None:
    if path.suffix == ".xlsx":
        pd.DataFrame(rows[1:], columns=rows[0]).to_excel(path, index=False)
        return
    lines = [";".join(f'"{c}"' if quote and c else c for c in row) for row in rows]
    path.write_text("\n".join(lines), encoding="utf-8")


def _stored(engine):
    with engine.connect() as connection:
        incident = connection.execute(
            schema.incident.select().with_only_columns(
                *(c for c in schema.incident.c if c.name not in {"id", "batch_id"})
            )
        ).all()
        links = connection.execute(
            schema.incident_place.select().with_only_columns(schema.incident_place.c.place_id)
        ).all()
        aggregate = connection.execute(
            schema.incident_aggregate.select().with_only_columns(
                *(c for c in schema.incident_aggregate.c if c.name != "batch_id")
            )
        ).all()
    return sorted(map(tuple, incident)), sorted(map(tuple, links)), sorted(aggregate, key=str)


def _import(demo_db, tmp_path, name: str, quote: bool):
    copy = tmp_path / f"{name}.sqlite"
    copy.write_bytes(demo_db.read_bytes())
    engine = store.make_engine(str(copy))
    path = tmp_path / name
    _write(path, INCIDENT_ROWS, quote)
    before = _stored(engine)
    result = incidents.import_incidents(engine, path, LAHOLM, actor=ADMIN)
    after = _stored(engine)
    engine.dispose()
    result.pop("batch_id")
    return before, after, result


def test_every_reading_of_the_same_rows_imports_the_same(demo_db, tmp_path):
    """The column-wise CSV, the csv module's (quoted) and a spreadsheet: the same
    outcome, rows, links and aggregate; the outcome as counted by hand."""
    before, after, result = _import(demo_db, tmp_path, "plain.csv", False)
    # igår (row 4), x as antal (row 5) and abc as X (row 8) are rejected; row 3 has no
    # point (kept for the kommun, noted), row 6 is a summary post, row 7 repeats id "a".
    assert (result["rows"], result["accepted"], result["rejected"]) == (8, 5, 3)
    assert [(e["row"], e["column"]) for e in result["errors"]] == [
        (3, "X/Y"),
        (4, "Datum"),
        (5, "Antal"),
        (8, "X"),
    ]
    assert result["excluded"] == {"sammanfattning": 1, "dubblett": 1, "annan_kommun": 0}
    assert result["precision"] == {"punkt": 2, "kommun": 1, "län": 0}
    assert result["counted"] == 3
    assert result["unknown_categories"] == {"Okänd sak": 1}
    new = [row for row in after[0] if row not in before[0]]
    assert {row[1]: row[6] for row in new} == {2: 1, 3: 2, 9: 3}  # row_number: count
    for name, quote in (("quoted.csv", True), ("sheet.xlsx", False)):
        assert _import(demo_db, tmp_path, name, quote)[1:] == (after, result), name


def test_incident_ids_are_read_back_when_they_are_not_one_run(engine):
    """:func:`incident_store._stored_ids` with ids that are not consecutive (another batch's
    row in between) reads every pair instead of assuming a run."""
    with store.write_transaction(engine) as connection:
        add_batches(connection, (1, 2))
        for batch, row in ((1, 2), (2, 2), (1, 3)):
            add_incident(connection, batch, row)
        ids = incident_store._stored_ids(connection, 1, np.array([2, 3]), 0)
    assert ids.tolist() == [1, 3]


def test_a_period_s_links_are_those_of_its_incidents(demo_engine):
    start, end = pd.Timestamp("2024-01-01").to_pydatetime(), pd.Timestamp("2024-07-01")
    frame, links = reads.load_incidents(demo_engine, LAHOLM, start, end.to_pydatetime())
    with demo_engine.connect() as connection:
        every = pd.DataFrame(
            connection.execute(
                schema.incident_place.select().with_only_columns(
                    schema.incident_place.c.incident_id, schema.incident_place.c.place_id
                )
            ).all(),
            columns=["incident_id", "place_id"],
        )
    expected = every[every["incident_id"].isin(frame["id"])]
    assert len(links) > 0
    assert sorted(map(tuple, links.to_numpy().tolist())) == sorted(
        map(tuple, expected.to_numpy().tolist())
    )


def test_migration_0013_keeps_every_link_and_gives_back_the_copies(demo_engine):
    with demo_engine.connect() as connection:
        before = sorted(connection.execute(schema.incident_place.select()).all())
    config = store._alembic_config()
    with store.write_transaction(demo_engine) as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0012")
    with demo_engine.connect() as connection:
        copies = connection.exec_driver_sql(
            "SELECT COUNT(*) FROM incident_place l JOIN incident i ON i.id = l.incident_id "
            "WHERE l.occurred_at = i.occurred_at AND l.category = i.category "
            "AND l.count = i.count"
        ).scalar()
    assert copies == len(before) > 0
    store.upgrade(demo_engine)
    with demo_engine.connect() as connection:
        assert sorted(connection.execute(schema.incident_place.select()).all()) == before


def test_bulk_insert_writes_safe_constants_once_and_binds_any_other(engine):
    """Constants are written into the statement only as whole numbers or plain words;
    a text with a quote is bound like any value (beside a written one), and stored as
    it is."""
    from trygg.store import bulk_insert, literal, write_transaction

    words = [literal(7), literal("1381"), literal("Skadegörelse"), literal("x'y")]
    assert [*words, literal("a b"), literal("x\\"), literal(True)] == [
        "7",
        "'1381'",
        "'Skadegörelse'",
        None,
        None,
        None,
        None,
    ]
    hostile = "x'); DROP TABLE kommun; --"
    with write_transaction(engine) as connection:
        bulk_insert(connection, schema.kommun, ["kod"], [("1111",)], constants={"namn": "Ett"})
        bulk_insert(connection, schema.kommun, ["kod"], [("2222",)], constants={"namn": hostile})
        bulk_insert(connection, schema.kommun, [], [()], constants={"kod": "3333", "namn": hostile})
    with engine.connect() as connection:
        names = dict(connection.execute(schema.kommun.select()).all())
    assert names == {"1111": "Ett", "2222": hostile, "3333": hostile}
