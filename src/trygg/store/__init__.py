"""The store: one SQLAlchemy engine over SQLite (default) or PostgreSQL, and its migrations."""

from __future__ import annotations

import ast
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, Table, create_engine, event, func, inspect, select
from sqlalchemy.exc import OperationalError

from trygg import settings
from trygg.errors import TryggError
from trygg.scales import DEMO_KOMMUNER
from trygg.store import schema
from trygg.strings import t

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def make_engine(db: str | None = None) -> Engine:
    """Open the store named by ``db`` (path or URL), ``TRYGG_DB`` or the default file.

    SQLite connections get foreign keys, write-ahead logging (readers never wait for a
    writer) and a busy timeout of ``TRYGG_LOCK_TIMEOUT_S``; SQLAlchemy, not the sqlite3
    driver, begins their transactions, so :func:`write_transaction` can take the write
    lock when it begins (SQLAlchemy's recipe for pysqlite transactions).
    """
    url = settings.database_url(db)
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # The driver must not begin transactions itself: _sqlite_begin does.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={settings.limits().lock_timeout_s * 1000}")
    # Safe with WAL: a crash loses at most the last commit, never corrupts the file.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA cache_size=-131072")
    cursor.close()


#: The execution option that makes a transaction take the write lock when it begins.
WRITE_LOCK_OPTION = "trygg_write_lock"


def _sqlite_begin(connection: Connection) -> None:
    """BEGIN IMMEDIATE for a write transaction (waits for the lock up front, so it never
    fails half-way when another writer committed first); a plain deferred BEGIN for reads."""
    writes = connection.get_execution_options().get(WRITE_LOCK_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")


@contextmanager
def write_transaction(engine: Engine, *, foreign_keys: bool = True) -> Iterator[Connection]:
    """A transaction that holds the store's write lock from its start; commit or nothing.

    Concurrent writers wait for each other, up to ``TRYGG_LOCK_TIMEOUT_S`` seconds
    (SQLite: ``BEGIN IMMEDIATE`` and the busy timeout; PostgreSQL: ``lock_timeout``).
    Read, parse and check a file before calling this, so only the write is serialised.

    ``foreign_keys=False`` is for bulk writes that check their own references inside
    the transaction: SQLite then skips its foreign-key look-ups (one per reference and
    row) and its ``ON DELETE`` actions, so such a writer must not delete either. The
    lock is held from the start, so nothing it checked can go before the commit.
    PostgreSQL always checks.

    Raises
    ------
    TryggError
        "Databasen är upptagen …" when the wait runs out; nothing is written then.

    Examples
    --------
    >>> with write_transaction(engine) as connection:  # doctest: +SKIP
    ...     connection.execute(schema.kommun.insert().values(kod="1381", namn="Laholm"))
    """
    try:
        with (
            engine.connect() as connection,
            _sqlite_foreign_keys(connection, foreign_keys),
            connection.execution_options(**{WRITE_LOCK_OPTION: True}).begin(),
        ):
            if connection.dialect.name == "postgresql":
                seconds = settings.limits().lock_timeout_s
                connection.exec_driver_sql(f"SET LOCAL lock_timeout = '{seconds}s'")
            yield connection
    except OperationalError as err:
        if _is_lock_timeout(err):
            raise TryggError(t("err.db_busy")) from None
        raise


@contextmanager
def _sqlite_foreign_keys(connection: Connection, enforce: bool) -> Iterator[None]:
    """SQLite's foreign-key enforcement off around a transaction (``enforce`` False),
    and on again after it. The pragma only takes effect outside a transaction."""
    if enforce or connection.dialect.name != "sqlite":
        yield
        return
    driver = connection.connection.dbapi_connection
    driver.execute("PRAGMA foreign_keys=OFF")
    try:
        yield
    finally:
        try:
            driver.execute("PRAGMA foreign_keys=ON")
        except sqlite3.Error:
            connection.invalidate()  # never back to the pool unchecked
            raise


def _is_lock_timeout(err: OperationalError) -> bool:
    """SQLite's "database is locked" (SQLITE_BUSY) or PostgreSQL's lock_not_available."""
    code = getattr(err.orig, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF == sqlite3.SQLITE_BUSY
    return (getattr(err.orig, "sqlstate", None) or getattr(err.orig, "pgcode", None)) == "55P03"


def _alembic_config():
    """Alembic's configuration for :data:`MIGRATIONS_DIR` (imports Alembic: call it lazily)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def upgrade(engine: Engine) -> str:
    """Create or upgrade the schema to the newest migration; return its revision."""
    # Alembic is imported only here: every command checks the schema, few change it.
    from alembic import command

    config = _alembic_config()
    with write_transaction(engine) as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    return head_revision()


def head_revision() -> str | None:
    """The newest migration: the one revision no other file names as its ``down_revision``.

    Read from the migration files themselves, without importing Alembic; None when the
    files do not form one line of revisions (then :func:`ensure_schema` lets Alembic decide).
    """
    revisions, parents = set(), set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        values = _module_constants(path)
        if "revision" in values:
            revisions.add(values["revision"])
            down = values.get("down_revision")
            parents.update(down if isinstance(down, tuple | list) else [down])
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def _module_constants(path: Path) -> dict:
    """The literal module-level assignments of a Python file, without running it."""
    values = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name):
                try:
                    values[target.id] = ast.literal_eval(node.value)
                except ValueError:
                    continue
    return values


def current_revision(engine: Engine) -> str | None:
    """The revision stored in ``alembic_version``; None for a new store (or several heads)."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        rows = connection.exec_driver_sql("SELECT version_num FROM alembic_version").all()
    return rows[0][0] if len(rows) == 1 else None


def ensure_schema(engine: Engine) -> None:
    """Upgrade when the store is behind; cheap when it is current (no Alembic import)."""
    head = head_revision()
    if head is None or current_revision(engine) != head:
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
    if not (isinstance(code, str) and len(code) == 4 and code.isascii() and code.isdigit()):
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
        listing = ", ".join(f"{k} {n}" for k, n in known) or t("fmt.none_listed")
        raise TryggError(t("err.kommun_unknown", code=kod, known=listing))
    return namn


PLACEHOLDERS = {"qmark": "?", "format": "%s", "pyformat": "%s"}


def bulk_insert(
    connection: Connection,
    table: Table,
    columns: list[str],
    rows: list[tuple],
    constants: dict[str, int | str] | None = None,
) -> None:
    """Insert many rows through the driver's ``executemany``: plain, portable SQL.

    SQLAlchemy's per-row parameter processing dominates large imports, so callers pass
    ready tuples; JSON columns must already be serialised to text. ``constants`` (the
    same value in every row, e.g. the batch) are written into the statement once
    instead of bound per row when :func:`literal` can write them; others are bound.
    """
    if not rows:
        return
    placeholder = PLACEHOLDERS.get(connection.dialect.paramstyle)
    constants = constants or {}
    literals = {name: literal(value) for name, value in constants.items()}
    bound = {name: constants[name] for name, text in literals.items() if text is None}
    if placeholder is None or bound:
        if placeholder is None:
            bound = constants
        values = [(*row, *bound.values()) for row in rows]
        if placeholder is None:
            named = [dict(zip([*columns, *bound], row, strict=True)) for row in values]
            connection.execute(table.insert(), named)
            return
        columns, rows = [*columns, *bound], values
        literals = {name: text for name, text in literals.items() if text is not None}
    sql = (
        f"INSERT INTO {table.name} ({', '.join([*columns, *literals])}) "
        f"VALUES ({', '.join([placeholder] * len(columns) + list(literals.values()))})"
    )
    connection.exec_driver_sql(sql, rows)


def literal(value) -> str | None:
    """``value`` as an SQL literal when it is safe to write one, else None: whole
    numbers, and texts of up to 40 letters (also å, ä, ö …), digits and underscores."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and re.fullmatch(r"\w{1,40}", value):
        return f"'{value}'"
    return None


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
