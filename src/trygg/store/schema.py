"""Table definitions for queries. Migrations in ``migrations/versions`` create them;
``tests/test_store.py`` checks that the two agree."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

metadata = MetaData()

kommun = Table(
    "kommun",
    metadata,
    Column("kod", String(4), primary_key=True),
    Column("namn", Text, nullable=False),
)

import_batch = Table(
    "import_batch",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kommun_kod", String(4), ForeignKey("kommun.kod"), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("file_name", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("original", LargeBinary, nullable=False),
    Column("uploaded_at", DateTime, nullable=False),
    Column("uploaded_by", Text, nullable=False),
    Column("source", Text),
    Column("rows_total", Integer, nullable=False, default=0),
    Column("rows_accepted", Integer, nullable=False, default=0),
    Column("rows_rejected", Integer, nullable=False, default=0),
    Column("status", String(20), nullable=False, default="active"),
    Column("summary", JSON),
    #: The smallest and largest id of an incident batch's incidents and day sums: its
    #: rows, written in one transaction, are found through the primary key (0014).
    Column("incident_first_id", Integer),
    Column("incident_last_id", Integer),
    Column("aggregate_first_id", Integer),
    Column("aggregate_last_id", Integer),
    #: The same file (bytes) is active once per kommun and kind (migration 0005).
    Index(
        "uq_import_batch_active_file",
        "kommun_kod",
        "kind",
        "sha256",
        unique=True,
        sqlite_where=text("status = 'active'"),
        postgresql_where=text("status = 'active'"),
    ),
)

place = Table(
    "place",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kommun_kod", String(4), ForeignKey("kommun.kod"), nullable=False),
    Column("name", Text, nullable=False),
    Column("aliases", JSON, nullable=False),
    Column("kind", String(40), nullable=False),
    Column("population", Integer),
    Column("geom_wkb", LargeBinary, nullable=False),
    Column("area_m2", Float, nullable=False),
    Column("note", Text),
    Column("batch_id", Integer, ForeignKey("import_batch.id")),
    #: The shape as the web map draws it (WGS84, simplified with its kommun's places,
    #: rounded) and its label point; see :mod:`trygg.geometry`.
    Column("web_wkb", LargeBinary),
    Column("label_lon", Float),
    Column("label_lat", Float),
    UniqueConstraint("kommun_kod", "name", name="uq_place_kommun_name"),
)

medborgarlofte = Table(
    "medborgarlofte",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kommun_kod", String(4), ForeignKey("kommun.kod"), nullable=False),
    Column("title", Text, nullable=False),
    Column("period_from", Date),
    Column("period_to", Date),
    Column("signed", Date),
    Column("signatories", JSON, nullable=False),
    Column("follow_up_cadence", String(20)),
    Column("source", Text),
    Column("batch_id", Integer, ForeignKey("import_batch.id")),
    UniqueConstraint("kommun_kod", "title", name="uq_medborgarlofte_kommun_title"),
)

#: The promise's designated places (utpekade områden).
medborgarlofte_place = Table(
    "medborgarlofte_place",
    metadata,
    Column(
        "medborgarlofte_id",
        Integer,
        ForeignKey("medborgarlofte.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("place_id", Integer, ForeignKey("place.id", ondelete="CASCADE"), primary_key=True),
    #: The place's position among the löfte's designated places (document order).
    Column("position", Integer),
)

commitment = Table(
    "commitment",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "medborgarlofte_id",
        Integer,
        ForeignKey("medborgarlofte.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("position", Integer, nullable=False),
    Column("party", String(20), nullable=False),
    Column("text", Text, nullable=False),
    Column("themes", JSON, nullable=False),
    Column("partners", JSON, nullable=False),
    Column("designated", Boolean, nullable=False, default=False),
    Column("status", String(20), nullable=False),
)

commitment_place = Table(
    "commitment_place",
    metadata,
    Column(
        "commitment_id",
        Integer,
        ForeignKey("commitment.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("place_id", Integer, ForeignKey("place.id", ondelete="CASCADE"), primary_key=True),
)

follow_up = Table(
    "follow_up",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "commitment_id",
        Integer,
        ForeignKey("commitment.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("date", Date, nullable=False),
    Column("status", String(20), nullable=False),
    Column("comment", Text, nullable=False, default=""),
    Column("demo", Boolean, nullable=False, default=False),
    Column("recorded_at", DateTime, nullable=False),
    Column("recorded_by", Text, nullable=False),
)

survey_response = Table(
    "survey_response",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("batch_id", Integer, ForeignKey("import_batch.id", ondelete="CASCADE"), nullable=False),
    Column("kommun_kod", String(4), ForeignKey("kommun.kod"), nullable=False),
    Column("row_number", Integer, nullable=False),
    Column("respondent_id", Text),
    Column("year", Integer, nullable=False),
    Column("weight", Float, nullable=False),
    Column("trygg_kvall", Integer),
    Column("alder", Text),
    Column("kon", Text),
    Column("kommentar", Text),
    Column("place_text", Text),
    Column("x", Float),
    Column("y", Float),
    Index("ix_survey_response_batch", "batch_id"),
)

#: One row per response and item answered (problem_*, oro_*; the core question is
#: ``survey_response.trygg_kvall``), so that figures are a plain scan (migration 0012).
#: In SQLite the table is its own key order: a response's answers lie together.
survey_answer = Table(
    "survey_answer",
    metadata,
    Column(
        "response_id",
        Integer,
        ForeignKey("survey_response.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("item", Text, primary_key=True),
    Column("code", Integer, nullable=False),
    sqlite_with_rowid=False,
)

#: A respondent counts for every place that holds their point (places overlap).
survey_response_place = Table(
    "survey_response_place",
    metadata,
    Column(
        "response_id",
        Integer,
        ForeignKey("survey_response.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("place_id", Integer, ForeignKey("place.id", ondelete="CASCADE"), primary_key=True),
)

#: Area-level figures as delivered (Police trygghetsmätning index, BRÅ NTU percentages).
survey_result = Table(
    "survey_result",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("batch_id", Integer, ForeignKey("import_batch.id", ondelete="CASCADE"), nullable=False),
    Column("kommun_kod", String(4), ForeignKey("kommun.kod"), nullable=False),
    Column("row_number", Integer, nullable=False),
    Column("area", Text, nullable=False),
    Column("place_id", Integer, ForeignKey("place.id", ondelete="SET NULL")),
    Column("year", Integer, nullable=False),
    Column("indicator", Text, nullable=False),
    Column("value", Float),
    Column("unit", String(20), nullable=False),
    Column("n", Integer),
    Column("ki_lag", Float),
    Column("ki_hog", Float),
    Column("missing_marker", Text),
    #: ``län`` or ``riket`` for a reference figure shown beside the kommun (not a place);
    #: NULL for the kommun's own areas (migration 0010).
    Column("reference", String(10)),
    Index("ix_survey_result_batch", "batch_id"),
)

incident = Table(
    "incident",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("batch_id", Integer, ForeignKey("import_batch.id", ondelete="CASCADE"), nullable=False),
    Column("kommun_kod", String(4), ForeignKey("kommun.kod"), nullable=False),
    Column("row_number", Integer, nullable=False),
    Column("occurred_at", DateTime, nullable=False),
    Column("precision", String(10), nullable=False),
    Column("category", String(40), nullable=False),
    Column("source_category", Text),
    Column("count", Integer, nullable=False),
    Column("x", Float),
    Column("y", Float),
    Column("place_text", Text),
    Column("beskrivning", Text),
    #: ``punkt``, ``kommun`` or ``län`` (NULL: stored before migration 0010, a point).
    #: Only a point is placed in places and grid cells.
    Column("location_precision", String(10)),
    #: The event's id at its source (polisen.se ``id``): counted once across snapshots.
    Column("source_id", Text),
    #: No index on batch_id: a batch's incidents lie in its id range (migration 0014).
    #: Only the incidents with a source id (polisen.se events) are in it.
    Index(
        "ix_incident_source_id",
        "kommun_kod",
        "source_id",
        sqlite_where=text("source_id IS NOT NULL"),
        postgresql_where=text("source_id IS NOT NULL"),
    ),
)

#: One row per incident and place holding it (places overlap). Counts per period come
#: from :data:`incident_aggregate`; a period's links are those of its incidents.
incident_place = Table(
    "incident_place",
    metadata,
    Column("incident_id", Integer, ForeignKey("incident.id", ondelete="CASCADE"), primary_key=True),
    Column("place_id", Integer, ForeignKey("place.id", ondelete="CASCADE"), primary_key=True),
    Column("batch_id", Integer, ForeignKey("import_batch.id", ondelete="CASCADE"), nullable=False),
    #: Clustered on its key: a large import appends to one tree (migration 0013).
    sqlite_with_rowid=False,
)

#: Summed incident counts per batch, place (NULL: every incident of the kommun, placed or
#: not), local day (days since 1970-01-01) and category, written with the incidents
#: (migration 0011): figures for any period of whole days scan this, not every link.
#: A batch's sums lie in its id range (``import_batch.aggregate_first_id`` …, 0014).
incident_aggregate = Table(
    "incident_aggregate",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("batch_id", Integer, ForeignKey("import_batch.id", ondelete="CASCADE"), nullable=False),
    Column("kommun_kod", String(4), ForeignKey("kommun.kod"), nullable=False),
    Column("place_id", Integer, ForeignKey("place.id", ondelete="CASCADE")),
    Column("day", Integer, nullable=False),
    Column("category", String(40), nullable=False),
    Column("count", Integer, nullable=False),
)

#: BRÅ-style aggregates: offence type × period × count (and per 100 000 inhabitants).
crime_stat = Table(
    "crime_stat",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("batch_id", Integer, ForeignKey("import_batch.id", ondelete="CASCADE"), nullable=False),
    Column("kommun_kod", String(4), ForeignKey("kommun.kod"), nullable=False),
    Column("row_number", Integer, nullable=False),
    Column("area", Text, nullable=False),
    Column("place_id", Integer, ForeignKey("place.id", ondelete="SET NULL")),
    Column("period", Text, nullable=False),
    Column("year", Integer),
    Column("offence", Text, nullable=False),
    Column("count", Integer),
    Column("per_100k", Float),
    Column("preliminary", Boolean),
    Column("missing_marker", Text),
    Index("ix_crime_stat_batch", "batch_id"),
)

#: Places a coordinator adds to the presentation after the löfte's designated places,
#: in the order chosen (migration 0010).
presentation_place = Table(
    "presentation_place",
    metadata,
    Column("kommun_kod", String(4), ForeignKey("kommun.kod"), primary_key=True),
    Column("place_id", Integer, ForeignKey("place.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, nullable=False),
)

#: Coordinators who may log in to the dashboard (see trygg.auth). Only argon2 hashes.
users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False, unique=True),
    #: Matched, lower-cased, to the e-mail an OIDC provider vouches for.
    Column("email", Text, unique=True),
    Column("password_hash", Text, nullable=False),
    Column("admin", Boolean, nullable=False, default=False),
    Column("created_at", DateTime, nullable=False),
    #: The last change of the password; a session begun before it ends.
    Column("changed_at", DateTime, nullable=False),
)

#: The kommuner a coordinator may change (an admin may change every kommun).
user_kommun = Table(
    "user_kommun",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("kommun_kod", String(4), primary_key=True),
)

#: Every login attempt, so failures are rate-limited across processes.
login_attempt = Table(
    "login_attempt",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_name", Text, nullable=False),
    Column("client", Text, nullable=False),
    Column("attempted_at", DateTime, nullable=False),
    Column("success", Boolean, nullable=False),
    Index("ix_login_attempt_user", "user_name", "attempted_at"),
    Index("ix_login_attempt_client", "client", "attempted_at"),
)

#: Context beneath the places (boundary, water, roads, buildings), as the map draws it:
#: WGS84, simplified and rounded (migration 0008, :mod:`trygg.importers.context`).
context_feature = Table(
    "context_feature",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kommun_kod", String(4), ForeignKey("kommun.kod"), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("name", Text),
    Column("web_wkb", LargeBinary, nullable=False),
    Column("batch_id", Integer, ForeignKey("import_batch.id"), nullable=False),
    Index("ix_context_feature_kommun", "kommun_kod", "kind"),
)

#: One counter per kommun, raised in the same transaction as every import, rollback,
#: restore and follow-up (see :func:`trygg.store.reads.data_version`).
data_revision = Table(
    "data_revision",
    metadata,
    Column("kommun_kod", String(4), primary_key=True),
    Column("revision", Integer, nullable=False),
)
