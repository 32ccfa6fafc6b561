"""Safety surveys: respondent answers, their places, and area-level results.

Revision ID: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "survey_response",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "batch_id",
            sa.Integer,
            sa.ForeignKey("import_batch.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("kommun_kod", sa.String(4), sa.ForeignKey("kommun.kod"), nullable=False),
        sa.Column("row_number", sa.Integer, nullable=False),
        sa.Column("respondent_id", sa.Text),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("weight", sa.Float, nullable=False),
        sa.Column("trygg_kvall", sa.Integer),
        sa.Column("answers", sa.JSON, nullable=False),
        sa.Column("alder", sa.Text),
        sa.Column("kon", sa.Text),
        sa.Column("kommentar", sa.Text),
        sa.Column("place_text", sa.Text),
        sa.Column("x", sa.Float),
        sa.Column("y", sa.Float),
    )
    op.create_index("ix_survey_response_batch", "survey_response", ["batch_id"])
    op.create_table(
        "survey_response_place",
        sa.Column(
            "response_id",
            sa.Integer,
            sa.ForeignKey("survey_response.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "place_id", sa.Integer, sa.ForeignKey("place.id", ondelete="CASCADE"), primary_key=True
        ),
    )
    op.create_table(
        "survey_result",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "batch_id",
            sa.Integer,
            sa.ForeignKey("import_batch.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("kommun_kod", sa.String(4), sa.ForeignKey("kommun.kod"), nullable=False),
        sa.Column("row_number", sa.Integer, nullable=False),
        sa.Column("area", sa.Text, nullable=False),
        sa.Column("place_id", sa.Integer, sa.ForeignKey("place.id", ondelete="SET NULL")),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("indicator", sa.Text, nullable=False),
        sa.Column("value", sa.Float),
        sa.Column("unit", sa.String(20), nullable=False),
        sa.Column("n", sa.Integer),
        sa.Column("ki_lag", sa.Float),
        sa.Column("ki_hog", sa.Float),
        sa.Column("missing_marker", sa.Text),
    )
    op.create_index("ix_survey_result_batch", "survey_result", ["batch_id"])


def downgrade() -> None:
    op.drop_table("survey_result")
    op.drop_table("survey_response_place")
    op.drop_table("survey_response")
