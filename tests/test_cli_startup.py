"""The command line starts light: no heavy library is imported until a command needs it.

Each check runs a real process with ``python -X importtime`` and reads the modules it
imported from that report (one line per module, on standard error).
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import REPO
from trygg import store

#: The libraries that cost a second or more together (issue 9, Acceptance 3).
HEAVY = ("esda", "libpysal", "sklearn", "scipy", "folium", "geopandas", "streamlit")


def imported_modules(*args: str) -> tuple[set[str], subprocess.CompletedProcess]:
    """The top-level packages a ``python -X importtime ARGS`` process imported."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    names = set()
    other = []
    for line in result.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip().split(".")[0])
        else:
            other.append(line)
    result.stderr = "\n".join(other)
    return names, result


def test_the_report_shows_a_heavy_import_when_there_is_one():
    names, result = imported_modules("-c", "import scipy.stats")
    assert result.returncode == 0, result.stderr
    assert "scipy" in names


def test_import_trygg_cli_loads_no_heavy_library_and_no_store():
    names, result = imported_modules("-c", "import trygg.cli")
    assert result.returncode == 0, result.stderr
    assert "trygg" in names
    assert names.isdisjoint(HEAVY), names & set(HEAVY)
    assert names.isdisjoint({"alembic", "sqlalchemy", "pandas", "numpy"}), names


def test_help_loads_no_heavy_library():
    names, result = imported_modules("-m", "trygg", "--help")
    assert result.returncode == 0, result.stderr
    assert "import-survey" in result.stdout
    assert names.isdisjoint((*HEAVY, "alembic", "sqlalchemy")), names


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (["places", "--kommun", "1381"], "Stadsparken"),
        (["places", "--kommun", "1381", "--format", "json"], '"area_km2"'),
        (["batches", "--kommun", "1381"], "places"),
        (["batches", "--kommun", "1381", "--format", "json"], '"sha256"'),
    ],
)
def test_places_and_batches_run_without_heavy_libraries_or_alembic(demo_db, command, expected):
    names, result = imported_modules("-m", "trygg", "--db", str(demo_db), *command)
    assert result.returncode == 0, result.stderr
    assert expected in result.stdout
    assert names.isdisjoint(HEAVY), names & set(HEAVY)
    assert "alembic" not in names, "a current schema is checked without Alembic"


def test_a_new_store_is_still_upgraded_with_alembic(tmp_path):
    names, result = imported_modules("-m", "trygg", "--db", str(tmp_path / "new.sqlite"), "users")
    assert result.returncode == 0, result.stderr
    assert "alembic" in names
    engine = store.make_engine(str(tmp_path / "new.sqlite"))
    assert store.current_revision(engine) == store.head_revision()


def test_head_revision_from_the_files_is_alembics_head():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(store.MIGRATIONS_DIR))
    assert store.head_revision() == ScriptDirectory.from_config(config).get_current_head()


def test_a_store_behind_the_files_is_upgraded(tmp_path):
    from alembic import command

    engine = store.make_engine(str(tmp_path / "old.sqlite"))
    with engine.begin() as connection:
        config = store._alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "0005")
    assert store.current_revision(engine) == "0005"
    store.ensure_schema(engine)
    assert store.current_revision(engine) == store.head_revision()
    with engine.connect() as connection:
        connection.exec_driver_sql("SELECT count(*) FROM data_revision").scalar()
        connection.exec_driver_sql("SELECT web_wkb, label_lon FROM place").fetchall()
