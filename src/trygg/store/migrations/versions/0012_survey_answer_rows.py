"""Survey answers as rows: one per response and item, instead of JSON per response.

Figures read ``survey_answer`` with the responses in one plain scan instead of
decoding a JSON text per respondent. This revision moves the answers already stored
(in every batch, whatever its status) into the rows, in SQL, and drops the JSON column;
the downgrade puts them back.

Revision ID: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

#: Every (response, item, code) of the stored JSON objects, per dialect.
SPREAD_SQL = {
    "sqlite": (
        "SELECT r.id, j.key, CAST(j.value AS INTEGER) "
        "FROM survey_response r, json_each(r.answers) j WHERE j.value IS NOT NULL"
    ),
    "postgresql": (
        "SELECT r.id, j.key, CAST(j.value AS INTEGER) "
        "FROM survey_response r, json_each_text(CAST(r.answers AS json)) j "
        "WHERE j.value IS NOT NULL"
    ),
}

#: A response's rows as one JSON object again (the downgrade), per dialect.
GATHER_SQL = {
    "sqlite": "json_group_object(a.item, a.code)",
    "postgresql": "json_object_agg(a.item, a.code)",
}


def upgrade() -> None:
    op.create_table(
        "survey_answer",
        sa.Column(
            "response_id",
            sa.Integer,
            sa.ForeignKey("survey_response.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("item", sa.Text, primary_key=True),
        sa.Column("code", sa.Integer, nullable=False),
        sqlite_with_rowid=False,
    )
    spread = SPREAD_SQL[op.get_bind().dialect.name]
    op.execute(f"INSERT INTO survey_answer (response_id, item, code) {spread} ORDER BY r.id, j.key")
    op.drop_column("survey_response", "answers")


def downgrade() -> None:
    op.add_column(
        "survey_response",
        sa.Column("answers", sa.JSON, nullable=False, server_default="{}"),
    )
    gather = GATHER_SQL[op.get_bind().dialect.name]
    op.execute(
        f"UPDATE survey_response SET answers = (SELECT {gather} FROM survey_answer a "
        "WHERE a.response_id = survey_response.id) "
        "WHERE id IN (SELECT response_id FROM survey_answer)"
    )
    op.drop_table("survey_answer")
