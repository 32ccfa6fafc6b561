"""The incident aggregate (migration 0011): figures read from it are the figures read
from every incident and place link, the way they were computed before it existed.

The old computation is kept here only, under its own names, as the reference: one
database pass over the links with a text-timestamp ``CASE``, then a groupby per place.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from alembic import command
from sqlalchemy import and_, case, func, select

from trygg import store
from trygg.auth import local_admin
from trygg.importers import incidents
from trygg.places import load_places
from trygg.scales import DEMO_KOMMUNER, INCIDENT_CATEGORIES
from trygg.stats.incident_figures import incident_block
from trygg.stats.periods import Period
from trygg.stats.report import place_figures
from trygg.store import batches, reads, schema

ADMIN = local_admin()
LAHOLM = "1381"


def _old_incident_sums(engine, kommun, periods, by_place):
    """``reads.incident_sums`` before the aggregate: links or incidents, text CASE (the
    links' time, category and count are their incident's)."""
    table, link = schema.incident, schema.incident_place
    period = case(
        *(
            (and_(table.c.occurred_at >= first, table.c.occurred_at < last), number)
            for number, (first, last) in enumerate(periods)
        ),
        else_=None,
    ).label("period")
    keys = ([link.c.place_id] if by_place else []) + [table.c.category, period]
    batch = schema.import_batch
    active = select(batch.c.id).where(
        batch.c.kommun_kod == kommun,
        batch.c.kind == batches.INCIDENTS_KIND,
        batch.c.status == batches.ACTIVE,
    )
    query = select(*keys, func.sum(table.c.count))
    if by_place:
        query = query.join(link, link.c.incident_id == table.c.id)
    query = query.where(
        table.c.batch_id.in_(active),
        table.c.occurred_at >= min(p[0] for p in periods),
        table.c.occurred_at < max(p[1] for p in periods),
    ).group_by(*keys)
    with engine.connect() as connection:
        rows = [tuple(r) for r in connection.execute(query)]
    names = ["place_id"] if by_place else []
    frame = pd.DataFrame.from_records(rows, columns=[*names, "category", "period", "count"])
    return frame.dropna(subset=["period"])


def _old_exact_blocks(places, by_place, kommun_sums):
    """``incident_figures.exact_blocks`` before the aggregate: a groupby per place."""
    groups = {key: frame for key, frame in by_place.groupby(["place_id", "period"])}
    empty = by_place.iloc[0:0]

    def block(now, before, area, population):
        sums = now.groupby("category")["count"].sum()
        parts = {c: int(sums[c]) for c in INCIDENT_CATEGORIES if c in sums.index}
        return incident_block(int(sums.sum()), parts, int(before["count"].sum()), area, population)

    figures = {
        int(p.place_id): block(
            groups.get((p.place_id, 0), empty),
            groups.get((p.place_id, 1), empty),
            p.area_m2,
            None if pd.isna(p.population) else int(p.population),
        )
        for p in places.itertuples()
    }
    now = kommun_sums["period"] == 0
    figures[None] = block(kommun_sums[now], kommun_sums[kommun_sums["period"] == 1], None, None)
    return figures


def _old_figures(engine, kommun, period: Period) -> dict:
    periods = [(period.start, period.end), (period.previous().start, period.previous().end)]
    return _old_exact_blocks(
        reads.place_frame(engine, kommun),
        _old_incident_sums(engine, kommun, periods, by_place=True),
        _old_incident_sums(engine, kommun, periods, by_place=False),
    )


def _blocks(figures: dict) -> dict:
    found = {place["place_id"]: place["incidents"] for place in figures["places"]}
    return {**found, None: figures["kommun_incidents"]}


def _assert_same_as_before(engine, kommun, year=None, start=None, end=None) -> dict:
    new = _blocks(place_figures(engine, kommun, year, start=start, end=end))
    old = _old_figures(engine, kommun, Period.of(year, start, end))
    assert new == old
    return new


@pytest.mark.parametrize("kommun", sorted(DEMO_KOMMUNER))
@pytest.mark.parametrize("year", [2023, 2024])
def test_demo_figures_are_those_computed_from_every_link(demo_engine, kommun, year):
    blocks = _assert_same_as_before(demo_engine, kommun, year)
    assert blocks[None]["total"] > 0


@pytest.mark.parametrize(
    "start, end",
    [
        (dt.date(2024, 3, 1), dt.date(2024, 3, 31)),  # a month, and February before it
        (dt.date(2024, 3, 5), dt.date(2024, 4, 2)),  # a range of days, and the one before
        (dt.date(2023, 12, 31), dt.date(2024, 1, 1)),  # two days across the year
    ],
)
def test_periods_of_days_match_the_links(demo_engine, start, end):
    _assert_same_as_before(demo_engine, LAHOLM, start=start, end=end)


def test_public_figures_show_only_the_exact_counts(demo_engine):
    exact = _old_figures(demo_engine, LAHOLM, Period.year_of(2024))
    public = _blocks(place_figures(demo_engine, LAHOLM, 2024, public=True))
    shown = [key for key, block in public.items() if block["total"] is not None]
    assert None in shown and len(shown) > 1
    for key in shown:
        assert public[key]["total"] == exact[key]["total"]
        for category, count in public[key]["by_category"].items():
            assert count in (None, exact[key]["by_category"][category])


def _second_file(engine, folder) -> tuple:
    """A small extra file for Laholm: two incidents in every place (one of them on the
    last minute of 2023), three counted in one row, and one far outside every place."""
    places = load_places(engine, LAHOLM)
    points = places.geometry.representative_point()
    lines = ["Datum;Kategori;Antal;X;Y"]
    for point in points:
        lines.append(f"2024-06-01 12:00;Klotter;1;{point.x:.1f};{point.y:.1f}")
        lines.append(f"2023-12-31 23:59;Skadegörelse;1;{point.x:.1f};{point.y:.1f}")
    first = points.iloc[0]
    lines += [
        f"2024-02-29 03:10;Stöld;3;{first.x:.1f};{first.y:.1f}",
        f"2024-07-01;Våld;1;{first.x:.1f};{first.y + 50_000:.1f}",
    ]
    path = folder / "extra.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path, len(places)


def test_rollback_and_restore_switch_a_batch_in_and_out(demo_engine, tmp_path):
    path, count = _second_file(demo_engine, tmp_path)
    demo_batch = _incident_batches(demo_engine, LAHOLM)[0]
    both = _assert_same_as_before(demo_engine, LAHOLM, 2024)
    extra = incidents.import_incidents(demo_engine, path, LAHOLM, actor=ADMIN)
    assert extra["accepted"] == 2 * count + 2
    added = _assert_same_as_before(demo_engine, LAHOLM, 2024)
    assert added[None]["total"] == both[None]["total"] + count + 4
    assert added[None]["previous_total"] == both[None]["previous_total"] + count
    batches.set_status(demo_engine, demo_batch, batches.ROLLED_BACK, actor=ADMIN)
    alone = _assert_same_as_before(demo_engine, LAHOLM, 2024)
    assert alone[None]["total"] == count + 4
    assert alone[None]["by_category"] == {"klotter": count, "stöld": 3, "våld": 1}
    batches.set_status(demo_engine, demo_batch, batches.ACTIVE, actor=ADMIN)
    batches.set_status(demo_engine, extra["batch_id"], batches.ROLLED_BACK, actor=ADMIN)
    assert _assert_same_as_before(demo_engine, LAHOLM, 2024) == both


def _incident_batches(engine, kommun) -> list[int]:
    batch = schema.import_batch
    with engine.connect() as connection:
        return list(
            connection.execute(
                select(batch.c.id)
                .where(batch.c.kommun_kod == kommun, batch.c.kind == batches.INCIDENTS_KIND)
                .order_by(batch.c.id)
            ).scalars()
        )


def _table(engine, name: str) -> pd.DataFrame:
    with engine.connect() as connection:
        return pd.read_sql_table(name, connection)


def test_aggregate_sums_equal_the_incidents_and_links_of_each_batch(demo_engine):
    aggregate = _table(demo_engine, "incident_aggregate")
    incident, link = _table(demo_engine, "incident"), _table(demo_engine, "incident_place")
    link = link.merge(incident[["id", "count"]], left_on="incident_id", right_on="id")
    whole = aggregate[aggregate["place_id"].isna()]
    placed = aggregate[aggregate["place_id"].notna()].astype({"place_id": int})
    assert whole.groupby("batch_id")["count"].sum().to_dict() == (
        incident.groupby("batch_id")["count"].sum().to_dict()
    )
    assert placed.groupby(["batch_id", "place_id"])["count"].sum().to_dict() == (
        link.groupby(["batch_id", "place_id"])["count"].sum().to_dict()
    )
    day = (incident["occurred_at"].dt.normalize() - pd.Timestamp("1970-01-01")).dt.days
    by_day = incident.assign(day=day).groupby(["batch_id", "day", "category"])["count"].sum()
    assert whole.set_index(["batch_id", "day", "category"])["count"].sort_index().to_dict() == (
        by_day.to_dict()
    )
    assert not aggregate.duplicated(["batch_id", "place_id", "day", "category"]).any()


def test_the_migration_fills_the_aggregate_the_importer_writes(demo_engine):
    written = _sorted(_table(demo_engine, "incident_aggregate"))
    config = store._alembic_config()
    with store.write_transaction(demo_engine) as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0010")
    with demo_engine.connect() as connection:
        assert "incident_aggregate" not in connection.dialect.get_table_names(connection)
    store.upgrade(demo_engine)
    filled = _sorted(_table(demo_engine, "incident_aggregate"))
    assert len(filled) > 0
    pd.testing.assert_frame_equal(filled, written)


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    keys = ["batch_id", "place_id", "day", "category"]
    return frame.sort_values(keys, na_position="first").reset_index(drop=True)


def test_a_period_must_run_over_whole_days(demo_engine):
    noon = dt.datetime(2024, 1, 1, 12)
    with pytest.raises(ValueError, match="whole days"):
        reads.aggregate_sums(demo_engine, LAHOLM, [(noon, dt.datetime(2024, 2, 1))])
