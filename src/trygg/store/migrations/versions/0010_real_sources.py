"""Real sources: where an incident is known to be, its id at the source, reference
areas among area-level results, and the places a coordinator adds to the presentation.

- ``incident.location_precision``: ``punkt``, ``kommun`` or ``län`` (NULL in rows stored
  before this revision: a point). Only ``punkt`` incidents are placed in places or cells.
- ``incident.source_id``: the event's id at its source (polisen.se ``id``), so an event
  in two overlapping snapshots counts once.
- ``survey_result.reference``: ``län`` or ``riket`` for a reference figure (not a place).
- ``presentation_place``: places a coordinator adds after the löfte's designated ones.

Revision ID: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("incident") as batch:
        batch.add_column(sa.Column("location_precision", sa.String(10)))
        batch.add_column(sa.Column("source_id", sa.Text))
    op.create_index("ix_incident_source_id", "incident", ["kommun_kod", "source_id"])
    with op.batch_alter_table("survey_result") as batch:
        batch.add_column(sa.Column("reference", sa.String(10)))
    op.create_table(
        "presentation_place",
        sa.Column("kommun_kod", sa.String(4), sa.ForeignKey("kommun.kod"), primary_key=True),
        sa.Column(
            "place_id",
            sa.Integer,
            sa.ForeignKey("place.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("position", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("presentation_place")
    with op.batch_alter_table("survey_result") as batch:
        batch.drop_column("reference")
    op.drop_index("ix_incident_source_id", table_name="incident")
    with op.batch_alter_table("incident") as batch:
        batch.drop_column("source_id")
        batch.drop_column("location_precision")
