"""Writing incidents (issue 13): SQLite's row-by-row foreign-key look-ups are off for the
import's transaction, so the import checks its references itself; constant columns are
written into the statement; timestamps and day sums are computed in bulk. Each is
checked against an independent computation (SQLite's own ``foreign_key_check``,
SQLAlchemy's own datetime format, a pandas groupby)."""

from __future__ import annotations

import datetime as dt
import itertools

import numpy as np
import pandas as pd
import pytest
import shapely
import shapely.affinity
from alembic import command
from sqlalchemy import delete, func, select
from sqlalchemy.dialects import sqlite
from sqlalchemy.exc import IntegrityError

from tests.store_rows import add_batches, add_incident
from trygg import places, store
from trygg.auth import local_admin
from trygg.errors import TryggError
from trygg.importers import incident_store, incidents
from trygg.importers.base import open_upload
from trygg.stats import report
from trygg.store import aggregates, batches, reads, schema

ADMIN = local_admin()
LAHOLM = "1381"


def _write(engine, path, kommun: str = LAHOLM) -> list[float]:
    """Three rows with antal 2 and the same unknown category, at points inside the
    kommun's first place; returns their x."""
    point = places.load_places(engine, kommun).to_crs(3006).geometry.iloc[0]
    point = point.representative_point()
    xs = [round(point.x, 1) + step for step in (0.0, 0.1, 0.2)]
    stamps = ["2024-03-15 21:40", "2024-03-16 08:00", "2024-03-17 00:00"]
    lines = ["Datum;Kategori;X;Y;Antal"] + [
        f"{stamp};Bus o'hyfs;{x};{round(point.y, 1)};2" for stamp, x in zip(stamps, xs, strict=True)
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    return xs


def _foreign_keys(engine) -> int:
    with engine.connect() as connection:
        return connection.exec_driver_sql("PRAGMA foreign_keys").scalar()


def _counts(engine) -> tuple[int, ...]:
    with engine.connect() as connection:
        return tuple(
            connection.execute(select(func.count()).select_from(table)).scalar()
            for table in (
                schema.import_batch,
                schema.incident,
                schema.incident_place,
                schema.incident_aggregate,
            )
        )


def test_an_import_leaves_every_reference_whole_and_the_checks_on(demo_engine, tmp_path):
    path = tmp_path / "handelser.csv"
    _write(demo_engine, path)
    before = _counts(demo_engine)
    result = incidents.import_incidents(demo_engine, path, LAHOLM, actor=ADMIN)
    assert result["accepted"] == 3
    after = _counts(demo_engine)
    assert after[0] == before[0] + 1 and after[1] == before[1] + 3
    assert after[2] > before[2]  # the points lie in Laholm's places
    with demo_engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []
    assert _foreign_keys(demo_engine) == 1


def test_the_checks_come_back_after_a_failed_write_and_hold_elsewhere(engine):
    with pytest.raises(RuntimeError), store.write_transaction(engine, foreign_keys=False) as c:
        assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 0
        raise RuntimeError
    assert _foreign_keys(engine) == 1
    with pytest.raises(IntegrityError), store.write_transaction(engine) as connection:
        connection.execute(
            schema.incident_place.insert().values(incident_id=1, place_id=1, batch_id=1)
        )


@pytest.mark.parametrize("change", ["removed", "reshaped"])
def test_a_place_changed_before_the_write_refuses_the_whole_file(demo_engine, tmp_path, change):
    """The file is read and placed outside the write lock; a places import that
    removes or reshapes a place meanwhile makes the write refuse the file, with nothing
    kept."""
    path = tmp_path / "handelser.csv"
    _write(demo_engine, path)
    upload = open_upload(
        demo_engine,
        path,
        LAHOLM,
        synonyms=incidents.INCIDENT_SYNONYMS,
        reader=lambda file, content: incidents.read_incident_table(file, content, None),
    )
    mode = incidents.location_mode(upload.table.columns)
    outcome = incidents.parse_incident_rows(upload.table, upload.locator, mode, None, {})
    linked = sorted(set(outcome.records.link_places.tolist()))
    assert linked
    shapes = upload.locator.read_shapes
    place = schema.place
    with store.write_transaction(demo_engine) as connection:
        if change == "removed":
            connection.execute(delete(place).where(place.c.id == linked[0]))
        else:
            moved = shapely.affinity.translate(
                shapely.from_wkb(upload.locator.read_shapes[linked[0]]), 5.0, 0.0
            )
            connection.execute(
                place.update().where(place.c.id == linked[0]).values(geom_wkb=shapely.to_wkb(moved))
            )
    before = _counts(demo_engine)
    with pytest.raises(TryggError) as refused:
        upload.store(
            demo_engine,
            outcome,
            lambda connection, batch_id: incident_store.store_incidents(
                connection, LAHOLM, batch_id, outcome.records, path.name, shapes
            ),
            kind=incidents.BATCH_KIND,
            uploaded_by=ADMIN.name,
            source=None,
            foreign_keys=False,
        )
    assert str(refused.value).startswith(
        "Platserna i Laholm ändrades medan filen handelser.csv lästes in. Inget sparades"
    )
    assert _counts(demo_engine) == before
    assert _foreign_keys(demo_engine) == 1


def test_columns_with_one_value_are_stored_as_in_the_file(demo_engine, tmp_path):
    """Antal 2, the time precision and the source category (with a quote) in every
    row: written once into the statement or bound, the rows read back as in the file."""
    path = tmp_path / "handelser.csv"
    xs = _write(demo_engine, path)
    batch = incidents.import_incidents(demo_engine, path, LAHOLM, actor=ADMIN)["batch_id"]
    incident = schema.incident
    with demo_engine.connect() as connection:
        rows = connection.execute(
            select(
                incident.c.row_number,
                incident.c.occurred_at,
                incident.c.count,
                incident.c.source_category,
                incident.c.precision,
                incident.c.x,
            )
            .where(incident.c.batch_id == batch)
            .order_by(incident.c.row_number)
        ).all()
    assert [tuple(r) for r in rows] == [
        (2, dt.datetime(2024, 3, 15, 21, 40), 2, "Bus o'hyfs", "minute", xs[0]),
        (3, dt.datetime(2024, 3, 16, 8, 0), 2, "Bus o'hyfs", "minute", xs[1]),
        (4, dt.datetime(2024, 3, 17), 2, "Bus o'hyfs", "minute", xs[2]),
    ]


def test_timestamps_are_written_as_sqlalchemy_writes_them(engine):
    process = sqlite.DATETIME().bind_processor(sqlite.dialect())
    stamps = np.array(
        [
            "1969-12-31T23:59:59.999999",
            "1970-01-01T00:00",
            "2024-02-29T13:05:07.000123",
            "2024-03-31T00:00",
            "2024-02-29T13:05:07.000123",
            "2099-12-31T23:59",
        ],
        dtype="datetime64[us]",
    )
    with engine.connect() as connection:
        texts = incident_store.datetime_texts(connection, stamps)
    assert texts == [process(stamp) for stamp in stamps.astype(object)]


@pytest.mark.parametrize("largest", [50, 10**9], ids=["counted", "sorted"])
def test_day_sums_are_those_of_a_groupby(largest):
    rng = np.random.default_rng(largest)
    keys, counts = rng.integers(0, largest, 300), rng.integers(0, 4, 300)
    expected = pd.Series(counts).groupby(keys).sum()  # zero sums kept, as stored
    unique, sums = aggregates._sums(keys, counts)
    assert (unique.tolist(), sums.tolist()) == (expected.index.tolist(), expected.tolist())


def _ranges_and_sums(engine) -> tuple[list, list, list]:
    """Each incident batch's recorded id ranges, the ranges as min/max per batch, and
    every day sum without its id."""
    with engine.connect() as connection:
        recorded = connection.exec_driver_sql(
            "SELECT id, incident_first_id, incident_last_id, aggregate_first_id, "
            "aggregate_last_id FROM import_batch WHERE kind = 'incidents' ORDER BY id"
        ).all()
        computed = connection.exec_driver_sql(
            "SELECT b.id, (SELECT min(id) FROM incident WHERE batch_id = b.id), "
            "(SELECT max(id) FROM incident WHERE batch_id = b.id), "
            "(SELECT min(id) FROM incident_aggregate WHERE batch_id = b.id), "
            "(SELECT max(id) FROM incident_aggregate WHERE batch_id = b.id) "
            "FROM import_batch b WHERE b.kind = 'incidents' ORDER BY b.id"
        ).all()
        sums = connection.exec_driver_sql(
            "SELECT batch_id, kommun_kod, place_id, day, category, count FROM incident_aggregate"
        ).all()
    return recorded, computed, sorted(sums, key=str)


def _indexes(engine, table: str) -> set[str]:
    with engine.connect() as connection:
        return {row[1] for row in connection.exec_driver_sql(f"PRAGMA index_list({table})")}


def test_migration_0014_records_each_batch_s_ranges_and_gives_back_the_indexes(demo_engine):
    recorded, computed, sums = _ranges_and_sums(demo_engine)
    assert recorded == computed and len(recorded) > 0 and None not in recorded[0]
    figures = report.compute_stats(demo_engine, LAHOLM)
    config = store._alembic_config()
    with store.write_transaction(demo_engine) as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0013")
    assert "ix_incident_batch" in _indexes(demo_engine, "incident")
    assert "ix_incident_aggregate_kommun_day" in _indexes(demo_engine, "incident_aggregate")
    with demo_engine.connect() as connection:
        kept = connection.exec_driver_sql(
            "SELECT batch_id, kommun_kod, place_id, day, category, count FROM incident_aggregate"
        ).all()
        columns = {row[1] for row in connection.exec_driver_sql("PRAGMA table_info(import_batch)")}
    assert sorted(kept, key=str) == sums
    assert not columns & {"incident_first_id", "aggregate_last_id"}
    store.upgrade(demo_engine)
    again, computed, sums_again = _ranges_and_sums(demo_engine)
    assert again == computed and sums_again == sums
    assert [row[:3] for row in again] == [row[:3] for row in recorded]
    assert "ix_incident_batch" not in _indexes(demo_engine, "incident")
    assert report.compute_stats(demo_engine, LAHOLM) == figures


def test_interleaved_batches_of_two_kommuner_are_read_as_their_own(demo_engine, tmp_path):
    """Imports alternate between Laholm and Båstad, and one Laholm batch is rolled
    back: each kommun reads exactly its active batches' incidents, links and sums,
    as selected by batch id alone."""
    imported = []
    for number, kommun in enumerate([LAHOLM, "1278", LAHOLM]):
        path = tmp_path / f"handelser-{number}.csv"
        _write(demo_engine, path, kommun)
        path.write_text(path.read_text(encoding="utf-8") + f"\n2024-05-0{number + 1};Rån;;;1")
        imported.append(incidents.import_incidents(demo_engine, path, kommun, actor=ADMIN))
    batches.set_status(demo_engine, imported[0]["batch_id"], batches.ROLLED_BACK, actor=ADMIN)
    for kommun in (LAHOLM, "1278"):
        with demo_engine.connect() as connection:
            active = (
                connection.exec_driver_sql(
                    "SELECT id FROM import_batch WHERE kommun_kod = ? AND kind = 'incidents' "
                    "AND status = 'active'",
                    (kommun,),
                )
                .scalars()
                .all()
            )
            marks = ", ".join("?" * len(active))
            ids = (
                connection.exec_driver_sql(
                    f"SELECT id FROM incident WHERE batch_id IN ({marks})", tuple(active)
                )
                .scalars()
                .all()
            )
            links = connection.exec_driver_sql(
                f"SELECT incident_id, place_id FROM incident_place WHERE batch_id IN ({marks})",
                tuple(active),
            ).all()
            sums = connection.exec_driver_sql(
                "SELECT place_id, category, sum(count) FROM incident_aggregate "
                f"WHERE batch_id IN ({marks}) AND day >= ? AND day < ? "
                "GROUP BY place_id, category",
                (*active, 19723, 20089),  # 2024
            ).all()
        frame, link_frame = reads.load_incidents(demo_engine, kommun)
        assert sorted(frame["id"].tolist()) == sorted(ids)
        assert sorted(map(tuple, link_frame.to_numpy().tolist())) == sorted(map(tuple, links))
        period = [(dt.datetime(2024, 1, 1), dt.datetime(2025, 1, 1))]
        read = reads.aggregate_sums(demo_engine, kommun, period)
        rows = read[["place_id", "category", "count"]].astype(object).itertuples(index=False)
        found = [(None if pd.isna(p) else int(p), c, int(n)) for p, c, n in rows]
        assert len(found) > 0
        assert sorted(found, key=str) == sorted(map(tuple, sums), key=str)
    gone = imported[0]["batch_id"]
    frame, _links = reads.load_incidents(demo_engine, LAHOLM)
    with demo_engine.connect() as connection:
        first, last = connection.exec_driver_sql(
            "SELECT incident_first_id, incident_last_id FROM import_batch WHERE id = ?", (gone,)
        ).one()
    assert not frame["id"].between(first, last).any()


def test_many_batches_are_read_in_one_query_through_few_spans(engine):
    """A kommun with daily polisen.se snapshots can have thousands of active batches:
    the condition stays within SQLite's expression depth, every range is covered, and
    only the rows of the listed batches are read."""
    ranges = [(batch, 10 * batch, 10 * batch + 3) for batch in range(1, 1501)]
    spans = batches.id_spans(ranges)
    assert len(spans) == batches.MAX_SPANS
    assert all(a[1] < b[0] for a, b in itertools.pairwise(spans))
    assert all(any(lo <= first and last <= hi for lo, hi in spans) for _b, first, last in ranges)
    incident = schema.incident
    with store.write_transaction(engine) as connection:
        add_batches(connection, (1, 2, 1501, 1502))
        for batch, row_id in ((1, 10), (1, 13), (2, 21), (1501, 15011), (1502, 12)):
            add_incident(connection, batch, id=row_id)
    query = select(incident.c.id).where(
        *batches.in_batches(incident.c.id, incident.c.batch_id, ranges)
    )
    with engine.connect() as connection:
        found = sorted(connection.execute(query).scalars())
    # 1501 is outside every range listed; 1502's row lies in batch 1's span but is not its.
    assert found == [10, 13, 21]


def test_reads_find_a_batch_s_rows_through_the_primary_key(demo_engine):
    """The conditions every incident read uses search the key, never scan a table."""
    incident, link, sums = schema.incident, schema.incident_place, schema.incident_aggregate
    reads_of = [(incident, "incident", incident.c.id), (link, "incident", link.c.incident_id)]
    with demo_engine.connect() as connection:
        for table, rows, ids in [*reads_of, (sums, "aggregate", sums.c.id)]:
            ranges = batches.row_ranges(connection, LAHOLM, rows)
            assert ranges
            conditions = batches.in_batches(ids, table.c.batch_id, ranges)
            query = select(func.count()).select_from(table).where(*conditions)
            sql = query.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True})
            plan = " ".join(
                str(row[-1]) for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}")
            )
            assert "PRIMARY KEY" in plan and f"SCAN {table.name}" not in plan, plan
