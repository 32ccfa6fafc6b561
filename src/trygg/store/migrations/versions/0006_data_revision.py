"""A revision counter per kommun, bumped in the same transaction as every change.

The dashboard keys its cached figures on it, so an import from the command line shows
on the next page view and a change in one kommun leaves the others' caches alone.

Revision ID: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "data_revision",
        sa.Column("kommun_kod", sa.String(4), primary_key=True),
        sa.Column("revision", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("data_revision")
