"""PostgreSQL in SQLite's place: the migrations build the declared schema there and go
down and up again with data in the store, the demo imports, and the figures, hot
spots and an incident import's rows are the ones SQLite gives.

The server is Debian's PostgreSQL, started for this module in a throwaway cluster on a
free loopback port (``TRYGG_TEST_POSTGRES`` names a running one instead). Without
PostgreSQL on the machine the module is skipped and says so."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from trygg import places, store
from trygg.auth import local_admin
from trygg.demo import load_demo
from trygg.importers import incidents
from trygg.scales import DEMO_KOMMUNER
from trygg.stats import report
from trygg.store import reads
from trygg.store.schema import metadata

ADMIN = local_admin()
LAHOLM = "1381"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _server_binaries() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    return found[-1].parent if found else None


@pytest.fixture(scope="module")
def postgres_url():
    """A PostgreSQL database URL: ``TRYGG_TEST_POSTGRES``, or a new cluster's."""
    given = os.environ.get("TRYGG_TEST_POSTGRES")
    if given:
        yield given
        return
    binaries = _server_binaries()
    if binaries is None:
        pytest.skip("PostgreSQL is not installed here (Debian: apt-get install postgresql)")
    folder = Path(tempfile.mkdtemp(prefix="trygg-pg-"))
    runner = []
    if os.geteuid() == 0:  # the server refuses to run as root
        shutil.chown(folder, "postgres")
        runner = ["runuser", "-u", "postgres", "--"]
    data, port = folder / "data", _free_port()

    def run(*args) -> None:
        subprocess.run([*runner, *map(str, args)], check=True, capture_output=True, timeout=120)

    run(binaries / "initdb", "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8")
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
    run(binaries / "pg_ctl", "-D", data, "-o", options, "-l", folder / "log", "-w", "start")
    try:
        run(binaries / "createdb", "-h", "127.0.0.1", "-p", port, "-U", "postgres", "trygg")
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/trygg"
    finally:
        run(binaries / "pg_ctl", "-D", data, "-m", "fast", "-w", "stop")
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def postgres(postgres_url):
    """The demo kommuner in PostgreSQL, loaded as ``make run`` loads them."""
    engine = store.make_engine(postgres_url)
    load_demo(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def sqlite(tmp_path_factory):
    engine = store.make_engine(str(tmp_path_factory.mktemp("lite") / "demo.sqlite"))
    load_demo(engine)
    yield engine
    engine.dispose()


def _stats(engine) -> dict[str, str]:
    return {
        kommun: json.dumps(report.compute_stats(engine, kommun), sort_keys=True, default=str)
        for kommun in DEMO_KOMMUNER
    }


def test_the_migrations_build_the_declared_schema(postgres):
    with postgres.connect() as connection:
        assert connection.execute(text("SELECT version()")).scalar().startswith("PostgreSQL")
        diff = compare_metadata(MigrationContext.configure(connection), metadata)
    assert diff == []


def test_figures_and_hot_spots_are_sqlite_s(postgres, sqlite):
    assert _stats(postgres) == _stats(sqlite)
    for public in (False, True):
        spots = [
            report.hotspots(engine, LAHOLM, cell=250, public=public)
            for engine in (postgres, sqlite)
        ]
        assert json.dumps(spots[0], sort_keys=True, default=str) == json.dumps(
            spots[1], sort_keys=True, default=str
        )


def test_an_incident_import_stores_what_sqlite_stores(postgres, sqlite, tmp_path):
    path = tmp_path / "handelser.csv"
    point = places.load_places(sqlite, LAHOLM).to_crs(3006).geometry.iloc[0]
    point = point.representative_point()
    lines = ["Datum;Kategori;X;Y;Antal"]
    lines += [
        f"2024-0{1 + k % 9}-1{k % 10} 2{k % 4}:15;Klotter;{point.x + k / 10:.1f};{point.y:.1f};1"
        for k in range(40)
    ]
    lines += ["2024-05-01;Stöld;;;2", "igår;Bråk;383000;6255000;1"]
    path.write_text("\n".join(lines), encoding="utf-8")
    found = []
    for engine in (postgres, sqlite):
        result = incidents.import_incidents(engine, path, LAHOLM, actor=ADMIN)
        result.pop("batch_id")
        frame, links = reads.load_incidents(engine, LAHOLM)
        found.append((result, len(frame), len(links), report.compute_stats(engine, LAHOLM)))
    assert found[0] == found[1]
    assert found[0][0]["accepted"] == 41 and found[0][0]["rejected"] == 1
    with postgres.connect() as connection:
        ranges = connection.execute(
            text(
                "SELECT incident_last_id - incident_first_id + 1 FROM import_batch "
                "WHERE kind = 'incidents' ORDER BY id DESC LIMIT 1"
            )
        ).scalar()
        placed = connection.execute(
            text(
                "SELECT count(*) FROM incident_place WHERE batch_id = "
                "(SELECT max(id) FROM import_batch WHERE kind = 'incidents')"
            )
        ).scalar()
    assert ranges == 41 and placed > 0


def test_the_migrations_go_down_and_up_again_with_the_data(postgres):
    before = _stats(postgres)
    config = store._alembic_config()
    with store.write_transaction(postgres) as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0011")
    assert store.current_revision(postgres) == "0011"
    store.upgrade(postgres)
    assert store.current_revision(postgres) == store.head_revision()
    assert _stats(postgres) == before
