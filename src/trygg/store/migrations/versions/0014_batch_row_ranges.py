"""Incident batches know where their rows are: faster large imports.

Each incident batch records the smallest and largest id of its incidents and of its
day sums (``import_batch.incident_first_id`` … ``aggregate_last_id``). A batch is
written in one transaction, so its rows fill that range, and reads find them through
the primary key. The index on ``incident.batch_id`` and the aggregate's covering index,
which every import had to extend row by row, are gone; ``incident_aggregate`` gets an
``id`` and is rewritten batch by batch.

Revision ID: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

#: (table, prefix of its two range columns on import_batch)
RANGES = (("incident", "incident"), ("incident_aggregate", "aggregate"))
SUMS = "batch_id, kommun_kod, place_id, day, category, count"


def _aggregate_table(name: str, *key: sa.Column) -> None:
    op.create_table(
        name,
        *key,
        sa.Column(
            "batch_id",
            sa.Integer,
            sa.ForeignKey("import_batch.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("kommun_kod", sa.String(4), sa.ForeignKey("kommun.kod"), nullable=False),
        sa.Column("place_id", sa.Integer, sa.ForeignKey("place.id", ondelete="CASCADE")),
        sa.Column("day", sa.Integer, nullable=False),
        sa.Column("category", sa.String(40), nullable=False),
        sa.Column("count", sa.Integer, nullable=False),
    )


def _rewrite_aggregate(*key: sa.Column, order: str) -> None:
    _aggregate_table("incident_aggregate_new", *key)
    op.execute(
        f"INSERT INTO incident_aggregate_new ({SUMS}) "
        f"SELECT {SUMS} FROM incident_aggregate ORDER BY {order}"
    )
    op.drop_table("incident_aggregate")
    op.rename_table("incident_aggregate_new", "incident_aggregate")


def upgrade() -> None:
    for _table, prefix in RANGES:
        op.add_column("import_batch", sa.Column(f"{prefix}_first_id", sa.Integer))
        op.add_column("import_batch", sa.Column(f"{prefix}_last_id", sa.Integer))
    _rewrite_aggregate(
        sa.Column("id", sa.Integer, primary_key=True),
        order="batch_id, day, place_id, category",
    )
    for table, prefix in RANGES:
        op.execute(
            f"UPDATE import_batch SET {prefix}_first_id = r.first_id, "
            f"{prefix}_last_id = r.last_id FROM (SELECT batch_id, min(id) AS first_id, "
            f"max(id) AS last_id FROM {table} GROUP BY batch_id) AS r "
            "WHERE r.batch_id = import_batch.id"
        )
    op.drop_index("ix_incident_batch", table_name="incident")


def downgrade() -> None:
    op.create_index("ix_incident_batch", "incident", ["batch_id"])
    _rewrite_aggregate(order="id")
    op.create_index(
        "ix_incident_aggregate_kommun_day",
        "incident_aggregate",
        ["kommun_kod", "day", "batch_id", "place_id", "category", "count"],
    )
    # ALTER TABLE … DROP COLUMN in place (SQLite ≥ 3.35, PostgreSQL): rebuilding the
    # table, as a batch operation would, would drop every batch and cascade.
    for _table, prefix in RANGES:
        for end in ("first", "last"):
            op.execute(f"ALTER TABLE import_batch DROP COLUMN {prefix}_{end}_id")
