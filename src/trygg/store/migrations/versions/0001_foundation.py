"""Foundation: kommun, places, medborgarlöften, commitments, follow-up, import batches.

Revision ID: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kommun",
        sa.Column("kod", sa.String(4), primary_key=True),
        sa.Column("namn", sa.Text, nullable=False),
    )
    op.create_table(
        "import_batch",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kommun_kod", sa.String(4), sa.ForeignKey("kommun.kod"), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("file_name", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("original", sa.LargeBinary, nullable=False),
        sa.Column("uploaded_at", sa.DateTime, nullable=False),
        sa.Column("uploaded_by", sa.Text, nullable=False),
        sa.Column("source", sa.Text),
        sa.Column("rows_total", sa.Integer, nullable=False),
        sa.Column("rows_accepted", sa.Integer, nullable=False),
        sa.Column("rows_rejected", sa.Integer, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("summary", sa.JSON),
    )
    op.create_table(
        "place",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kommun_kod", sa.String(4), sa.ForeignKey("kommun.kod"), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("aliases", sa.JSON, nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("population", sa.Integer),
        sa.Column("geom_wkb", sa.LargeBinary, nullable=False),
        sa.Column("area_m2", sa.Float, nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("batch_id", sa.Integer, sa.ForeignKey("import_batch.id")),
        sa.UniqueConstraint("kommun_kod", "name", name="uq_place_kommun_name"),
    )
    op.create_table(
        "medborgarlofte",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kommun_kod", sa.String(4), sa.ForeignKey("kommun.kod"), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("period_from", sa.Date),
        sa.Column("period_to", sa.Date),
        sa.Column("signed", sa.Date),
        sa.Column("signatories", sa.JSON, nullable=False),
        sa.Column("follow_up_cadence", sa.String(20)),
        sa.Column("source", sa.Text),
        sa.Column("batch_id", sa.Integer, sa.ForeignKey("import_batch.id")),
        sa.UniqueConstraint("kommun_kod", "title", name="uq_medborgarlofte_kommun_title"),
    )
    op.create_table(
        "medborgarlofte_place",
        sa.Column(
            "medborgarlofte_id",
            sa.Integer,
            sa.ForeignKey("medborgarlofte.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "place_id", sa.Integer, sa.ForeignKey("place.id", ondelete="CASCADE"), primary_key=True
        ),
    )
    op.create_table(
        "commitment",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "medborgarlofte_id",
            sa.Integer,
            sa.ForeignKey("medborgarlofte.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("party", sa.String(20), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("themes", sa.JSON, nullable=False),
        sa.Column("partners", sa.JSON, nullable=False),
        sa.Column("designated", sa.Boolean, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
    )
    op.create_table(
        "commitment_place",
        sa.Column(
            "commitment_id",
            sa.Integer,
            sa.ForeignKey("commitment.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "place_id", sa.Integer, sa.ForeignKey("place.id", ondelete="CASCADE"), primary_key=True
        ),
    )
    op.create_table(
        "follow_up",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "commitment_id",
            sa.Integer,
            sa.ForeignKey("commitment.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("comment", sa.Text, nullable=False),
        sa.Column("demo", sa.Boolean, nullable=False),
        sa.Column("recorded_at", sa.DateTime, nullable=False),
        sa.Column("recorded_by", sa.Text, nullable=False),
    )


def downgrade() -> None:
    for table in (
        "follow_up",
        "commitment_place",
        "commitment",
        "medborgarlofte_place",
        "medborgarlofte",
        "place",
        "import_batch",
        "kommun",
    ):
        op.drop_table(table)
