"""A löfte's designated places keep the order the document gives them.

The presentation steps through them in that order. Places designated before this
revision have no position and come after, by id.

Revision ID: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("medborgarlofte_place") as batch:
        batch.add_column(sa.Column("position", sa.Integer))


def downgrade() -> None:
    with op.batch_alter_table("medborgarlofte_place") as batch:
        batch.drop_column("position")
