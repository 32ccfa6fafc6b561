"""Incidents (points or places) and BRÅ-style aggregate crime statistics.

No index on the time column: figures read a year or more, which a plain scan serves
faster than an index range scan with a table lookup per row.

Revision ID: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _batch_column() -> sa.Column:
    return sa.Column(
        "batch_id",
        sa.Integer,
        sa.ForeignKey("import_batch.id", ondelete="CASCADE"),
        nullable=False,
    )


def upgrade() -> None:
    op.create_table(
        "incident",
        sa.Column("id", sa.Integer, primary_key=True),
        _batch_column(),
        sa.Column("kommun_kod", sa.String(4), sa.ForeignKey("kommun.kod"), nullable=False),
        sa.Column("row_number", sa.Integer, nullable=False),
        sa.Column("occurred_at", sa.DateTime, nullable=False),
        sa.Column("precision", sa.String(10), nullable=False),
        sa.Column("category", sa.String(40), nullable=False),
        sa.Column("source_category", sa.Text),
        sa.Column("count", sa.Integer, nullable=False),
        sa.Column("x", sa.Float),
        sa.Column("y", sa.Float),
        sa.Column("place_text", sa.Text),
        sa.Column("beskrivning", sa.Text),
    )
    op.create_index("ix_incident_batch", "incident", ["batch_id"])
    op.create_table(
        "incident_place",
        sa.Column(
            "incident_id",
            sa.Integer,
            sa.ForeignKey("incident.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "place_id",
            sa.Integer,
            sa.ForeignKey("place.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        _batch_column(),
        sa.Column("occurred_at", sa.DateTime, nullable=False),
        sa.Column("category", sa.String(40), nullable=False),
        sa.Column("count", sa.Integer, nullable=False),
    )
    op.create_table(
        "crime_stat",
        sa.Column("id", sa.Integer, primary_key=True),
        _batch_column(),
        sa.Column("kommun_kod", sa.String(4), sa.ForeignKey("kommun.kod"), nullable=False),
        sa.Column("row_number", sa.Integer, nullable=False),
        sa.Column("area", sa.Text, nullable=False),
        sa.Column("place_id", sa.Integer, sa.ForeignKey("place.id", ondelete="SET NULL")),
        sa.Column("period", sa.Text, nullable=False),
        sa.Column("year", sa.Integer),
        sa.Column("offence", sa.Text, nullable=False),
        sa.Column("count", sa.Integer),
        sa.Column("per_100k", sa.Float),
        sa.Column("preliminary", sa.Boolean),
        sa.Column("missing_marker", sa.Text),
    )
    op.create_index("ix_crime_stat_batch", "crime_stat", ["batch_id"])


def downgrade() -> None:
    op.drop_table("crime_stat")
    op.drop_table("incident_place")
    op.drop_table("incident")
