"""Each place keeps its simplified web shape and label point, computed at import.

The map then draws a kommun's first view without simplifying its places again; places
imported before this revision get theirs computed by the map until they are imported
anew.

Revision ID: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("place") as batch:
        batch.add_column(sa.Column("web_wkb", sa.LargeBinary))
        batch.add_column(sa.Column("label_lon", sa.Float))
        batch.add_column(sa.Column("label_lat", sa.Float))


def downgrade() -> None:
    with op.batch_alter_table("place") as batch:
        batch.drop_column("label_lat")
        batch.drop_column("label_lon")
        batch.drop_column("web_wkb")
