"""Slimmer incident links and source ids: faster large imports.

``incident_place`` keeps only (incident, place, batch), in a table clustered on its key
(SQLite ``WITHOUT ROWID``): figures for any period come from ``incident_aggregate``,
and a period's links are the links of the period's incidents. Its time, category and
count were copies of the incident's. The index on ``incident.source_id`` holds only the
incidents that have one (polisen.se events), not every row of every other file.

Revision ID: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

COPIES = ("occurred_at", "category", "count")


def _links_table(name: str, *extra: sa.Column) -> None:
    op.create_table(
        name,
        sa.Column(
            "incident_id",
            sa.Integer,
            sa.ForeignKey("incident.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "place_id", sa.Integer, sa.ForeignKey("place.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column(
            "batch_id",
            sa.Integer,
            sa.ForeignKey("import_batch.id", ondelete="CASCADE"),
            nullable=False,
        ),
        *extra,
        sqlite_with_rowid=bool(extra),
    )


def upgrade() -> None:
    _links_table("incident_place_new")
    op.execute(
        "INSERT INTO incident_place_new (incident_id, place_id, batch_id) "
        "SELECT incident_id, place_id, batch_id FROM incident_place "
        "ORDER BY incident_id, place_id"
    )
    op.drop_table("incident_place")
    op.rename_table("incident_place_new", "incident_place")
    op.drop_index("ix_incident_source_id", table_name="incident")
    op.create_index(
        "ix_incident_source_id",
        "incident",
        ["kommun_kod", "source_id"],
        sqlite_where=sa.text("source_id IS NOT NULL"),
        postgresql_where=sa.text("source_id IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_incident_source_id", table_name="incident")
    op.create_index("ix_incident_source_id", "incident", ["kommun_kod", "source_id"])
    _links_table(
        "incident_place_old",
        sa.Column("occurred_at", sa.DateTime, nullable=False),
        sa.Column("category", sa.String(40), nullable=False),
        sa.Column("count", sa.Integer, nullable=False),
    )
    op.execute(
        "INSERT INTO incident_place_old (incident_id, place_id, batch_id, occurred_at, "
        "category, count) SELECT l.incident_id, l.place_id, l.batch_id, i.occurred_at, "
        "i.category, i.count FROM incident_place l JOIN incident i ON i.id = l.incident_id"
    )
    op.drop_table("incident_place")
    op.rename_table("incident_place_old", "incident_place")
