"""One active import per file: the same bytes (sha256) are active once per kommun and kind.

A partial unique index enforces it, so two imports of the same file at the same moment
cannot both be stored. Copies already stored before this rule are resolved first: the
newest stays active and the older ones are rolled back (their data is kept).

Revision ID: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

INDEX = "uq_import_batch_active_file"
ACTIVE = sa.text("status = 'active'")


def upgrade() -> None:
    op.execute(
        """
        UPDATE import_batch SET status = 'rolled_back'
        WHERE status = 'active' AND EXISTS (
            SELECT 1 FROM import_batch AS newer
            WHERE newer.kommun_kod = import_batch.kommun_kod
              AND newer.kind = import_batch.kind
              AND newer.sha256 = import_batch.sha256
              AND newer.status = 'active'
              AND newer.id > import_batch.id
        )
        """
    )
    op.create_index(
        INDEX,
        "import_batch",
        ["kommun_kod", "kind", "sha256"],
        unique=True,
        sqlite_where=ACTIVE,
        postgresql_where=ACTIVE,
    )


def downgrade() -> None:
    op.drop_index(INDEX, table_name="import_batch")
