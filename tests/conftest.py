"""Shared fixtures: real database files, real subprocesses, no mocks of our own code."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from trygg import store
from trygg.demo import load_demo

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def engine(tmp_path):
    """A fresh, migrated SQLite database file."""
    engine = store.make_engine(str(tmp_path / "trygg.sqlite"))
    store.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """A database file holding the five demo kommuner (shared; tests must not change it)."""
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    engine = store.make_engine(str(path))
    load_demo(engine)
    engine.dispose()
    return path


@pytest.fixture
def demo_engine(tmp_path, demo_db):
    """A private copy of the demo database that a test may change."""
    copy = tmp_path / "demo.sqlite"
    copy.write_bytes(demo_db.read_bytes())
    engine = store.make_engine(str(copy))
    yield engine
    engine.dispose()


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run ``python -m trygg ARGS`` as a user would, capturing its output."""
    full_env = {**os.environ, **(env or {})}
    full_env.pop("TRYGG_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "trygg", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=full_env,
        timeout=300,
    )


def assert_clean_refusal(result: subprocess.CompletedProcess) -> str:
    """A refusal: non-zero exit, one sentence on stderr, no traceback."""
    assert result.returncode != 0, result.stdout
    message = result.stderr.strip()
    assert message, "no message on stderr"
    assert "Traceback" not in result.stderr + result.stdout
    assert len(message.splitlines()) == 1, message
    return message
