"""The store: migrations match the table definitions, pragmas, database location."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from trygg import store
from trygg.settings import database_url
from trygg.store.schema import metadata


def test_migrations_create_exactly_the_declared_schema(engine):
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), metadata)
    assert diff == []


def test_upgrade_is_idempotent_and_records_head(engine):
    assert store.upgrade(engine) == store.head_revision()
    assert store.current_revision(engine) == store.head_revision()


def test_sqlite_runs_with_foreign_keys_and_wal(engine):
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_foreign_keys_are_enforced(engine):
    from sqlalchemy.exc import IntegrityError

    with engine.begin() as connection:
        try:
            connection.execute(
                text(
                    "INSERT INTO place (kommun_kod, name, aliases, kind, geom_wkb, area_m2) "
                    "VALUES ('9999', 'x', '[]', 'park', x'00', 1)"
                )
            )
        except IntegrityError:
            return
    raise AssertionError("a place for a kommun that does not exist was accepted")


def test_database_url_prefers_argument_then_env_then_default(tmp_path, monkeypatch):
    monkeypatch.setenv("TRYGG_DB", str(tmp_path / "env.sqlite"))
    assert database_url(str(tmp_path / "arg.sqlite")).endswith("/arg.sqlite")
    assert database_url().endswith("/env.sqlite")
    assert database_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"
    monkeypatch.delenv("TRYGG_DB")
    monkeypatch.chdir(tmp_path)
    assert database_url() == f"sqlite:///{tmp_path / 'data' / 'trygg.sqlite'}"
