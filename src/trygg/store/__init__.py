"""The store: one SQLAlchemy engine over SQLite (default) or PostgreSQL, and its migrations."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, Table, create_engine, event, func, select

from trygg.errors import TryggError
from trygg.scales import DEMO_KOMMUNER
from trygg.settings import database_url
from trygg.store import schema
from trygg.strings import t

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def make_engine(db: str | None = None) -> Engine:
    """Open the store named by ``db`` (path or URL), ``TRYGG_DB`` or the default file.

    SQLite connections get foreign keys and write-ahead logging turned on.
    """
    url = database_url(db)
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    # Safe with WAL: a crash loses at most the last commit, never corrupts the file.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def upgrade(engine: Engine) -> str:
    """Create or upgrade the schema to the newest migration; return its revision."""
    config = _alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    return head_revision()


def head_revision() -> str:
    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def ensure_schema(engine: Engine) -> None:
    """Upgrade when the store is behind; cheap when it is current."""
    if current_revision(engine) != head_revision():
        upgrade(engine)


def ensure_kommun(connection, kod: str, namn: str | None = None) -> str:
    """Insert the kommun if it is missing; return its name."""
    check_kommun_code(kod)
    existing = connection.execute(
        select(schema.kommun.c.namn).where(schema.kommun.c.kod == kod)
    ).scalar_one_or_none()
    wanted = namn or existing or DEMO_KOMMUNER.get(kod) or f"Kommun {kod}"
    if existing is None:
        connection.execute(schema.kommun.insert().values(kod=kod, namn=wanted))
    elif namn and namn != existing:
        connection.execute(
            schema.kommun.update().where(schema.kommun.c.kod == kod).values(namn=namn)
        )
    return wanted


def check_kommun_code(code: str) -> str:
    """Return ``code`` if it is a 4-digit kommunkod, else refuse it in Swedish."""
    if not (isinstance(code, str) and len(code) == 4 and code.isdigit()):
        raise TryggError(t("err.kommun_code", code=code))
    return code


def require_kommun(connection, kod: str) -> str:
    """Return the kommun's name, refusing an unknown code with the list of known ones."""
    check_kommun_code(kod)
    namn = connection.execute(
        select(schema.kommun.c.namn).where(schema.kommun.c.kod == kod)
    ).scalar_one_or_none()
    if namn is None:
        known = connection.execute(select(schema.kommun.c.kod, schema.kommun.c.namn)).all()
        listing = ", ".join(f"{k} {n}" for k, n in known) or "inga"
        raise TryggError(t("err.kommun_unknown", code=kod, known=listing))
    return namn


PLACEHOLDERS = {"qmark": "?", "format": "%s", "pyformat": "%s"}


def bulk_insert(
    connection: Connection, table: Table, columns: list[str], rows: list[tuple]
) -> None:
    """Insert many rows through the driver's ``executemany``: plain, portable SQL.

    SQLAlchemy's per-row parameter processing dominates large imports, so callers pass
    ready tuples; JSON columns must already be serialised to text.
    """
    if not rows:
        return
    placeholder = PLACEHOLDERS.get(connection.dialect.paramstyle)
    if placeholder is None:
        connection.execute(table.insert(), [dict(zip(columns, row, strict=True)) for row in rows])
        return
    sql = (
        f"INSERT INTO {table.name} ({', '.join(columns)}) "
        f"VALUES ({', '.join([placeholder] * len(columns))})"
    )
    connection.exec_driver_sql(sql, rows)


def list_kommuner(engine: Engine) -> list[dict]:
    """Kommuner with at least one place, sorted by name."""
    query = (
        select(schema.kommun.c.kod, schema.kommun.c.namn, func.count(schema.place.c.id))
        .join(schema.place, schema.place.c.kommun_kod == schema.kommun.c.kod, isouter=True)
        .group_by(schema.kommun.c.kod, schema.kommun.c.namn)
        .order_by(schema.kommun.c.namn)
    )
    with engine.connect() as connection:
        return [
            {"kod": kod, "namn": namn, "places": count}
            for kod, namn, count in connection.execute(query)
        ]
