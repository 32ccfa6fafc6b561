"""Context layers beneath the places: a kommun's boundary, water, roads and buildings.

Each feature is stored as the map draws it (WGS84, simplified, rounded) with the batch
that brought it; see :mod:`trygg.importers.context`.

Revision ID: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "context_feature",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kommun_kod", sa.String(4), sa.ForeignKey("kommun.kod"), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("name", sa.Text),
        sa.Column("web_wkb", sa.LargeBinary, nullable=False),
        sa.Column("batch_id", sa.Integer, sa.ForeignKey("import_batch.id"), nullable=False),
    )
    op.create_index("ix_context_feature_kommun", "context_feature", ["kommun_kod", "kind"])


def downgrade() -> None:
    op.drop_index("ix_context_feature_kommun", table_name="context_feature")
    op.drop_table("context_feature")
