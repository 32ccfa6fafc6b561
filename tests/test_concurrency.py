"""Imports at the same moment: each lands once, writers wait for each other, nothing is
half-written, and the same respondents in another file format are caught before commit.

The concurrent imports are real ``python -m trygg`` processes on one SQLite file.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
import sys
import time
from contextlib import closing

import numpy as np
import openpyxl
import pytest
from alembic import command
from sqlalchemy import delete, func, select, text

from tests.conftest import REPO, assert_clean_refusal, run_cli
from tests.survey_fixtures import add_places, inner_point
from trygg import places, store
from trygg.auth import local_admin
from trygg.errors import TryggError
from trygg.importers import incidents, survey_answers
from trygg.store import batches, schema

#: These tests write as the command line's local administrator.
ADMIN = local_admin()
BIG = 300_000
BUSY = "Databasen är upptagen av en annan import; försök igen om en stund. Inget sparades."


@pytest.fixture
def db(engine, tmp_path) -> str:
    """A database file with kommun 1381's three places (Torget holds Parken; Byn apart)."""
    add_places(engine, tmp_path)
    engine.dispose()
    return str(engine.url.database)


#: Names (and aliases) in the generated files, and the place each one means.
NAMES = {"Torget": "Torget", "Centrum": "Torget", "Parken": "Parken", "Stadsparken": "Parken"}
NAMES |= {"Byn": "Byn"}


def incident_file(path, rows: int, seed: int) -> dict:
    """``rows`` incidents in 2024 at named places (cheap to generate and to import).

    Returns the path and how many incidents each place must get, counted here from the
    names rather than by the importer's place matching.
    """
    rng = np.random.default_rng(seed)
    names = np.array(list(NAMES))[rng.integers(0, len(NAMES), rows)]
    dates = (np.datetime64("2024-01-01") + rng.integers(0, 366, rows)).astype(str)
    categories = np.array(["klotter", "skadegörelse", "stöld"])[rng.integers(0, 3, rows)]
    lines = ["datum;kategori;plats"]
    lines += [f"{d};{c};{n}" for d, c, n in zip(dates, categories, names, strict=True)]
    path.write_text("\n".join(lines), encoding="utf-8")
    places_of = [NAMES[name] for name in names]
    return {"path": path, "per_place": {p: places_of.count(p) for p in set(NAMES.values())}}


def start_import(db: str, path, env: dict | None = None) -> subprocess.Popen:
    """Start ``python -m trygg import-incidents FILE --kommun 1381 --json``."""
    full_env = {**os.environ, **(env or {})}
    full_env.pop("TRYGG_DEBUG", None)
    arguments = ["--db", db, "import-incidents", str(path), "--kommun", "1381", "--json"]
    return subprocess.Popen(
        [sys.executable, "-m", "trygg", *arguments],
        cwd=REPO,
        env=full_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen) -> tuple[int, str, str]:
    stdout, stderr = process.communicate(timeout=600)
    assert "Traceback" not in stderr
    return process.returncode, stdout, stderr


def stored(db: str, sql: str) -> list[tuple]:
    with closing(sqlite3.connect(db)) as connection:
        return connection.execute(sql).fetchall()


# --- Many importers at once ----------------------------------------------------------


@pytest.mark.parametrize("importers", [2, 4])
def test_concurrent_imports_all_land_as_separate_batches(db, tmp_path, importers):
    files = [incident_file(tmp_path / f"handelser_{i}.csv", BIG, seed=i) for i in range(importers)]
    processes = [start_import(db, f["path"]) for f in files]
    results = [finish(p) for p in processes]
    assert [code for code, _out, _err in results] == [0] * importers, [e for *_, e in results]
    summaries = [json.loads(out) for _code, out, _err in results]
    assert all(s["rows"] == s["accepted"] == BIG and s["rejected"] == 0 for s in summaries)
    assert len({s["batch_id"] for s in summaries}) == importers
    for summary, file in zip(summaries, files, strict=True):
        batch = summary["batch_id"]
        assert stored(db, f"SELECT count(*) FROM incident WHERE batch_id = {batch}") == [(BIG,)]
        links = stored(
            db,
            "SELECT place.name, count(*) FROM incident_place JOIN place ON place.id = place_id "
            f"WHERE incident_place.batch_id = {batch} GROUP BY place.name",
        )
        assert dict(links) == file["per_place"]
    assert (
        stored(db, "SELECT rows_total, rows_accepted, status FROM import_batch ORDER BY id")[1:]
        == [(BIG, BIG, "active")] * importers
    )


def test_the_same_file_imported_twice_at_once_lands_once(db, tmp_path):
    file = incident_file(tmp_path / "handelser.csv", 50_000, seed=7)
    processes = [start_import(db, file["path"]) for _ in range(2)]
    results = sorted(finish(p) for p in processes)
    (ok_code, ok_out, _), (refused_code, _, refused_err) = results
    assert (ok_code, refused_code) == (0, 1)
    batch = json.loads(ok_out)["batch_id"]
    assert refused_err.strip() == (
        f"Filen handelser.csv är redan importerad (batch {batch}, samma innehåll). "
        "Inget nytt sparades."
    )
    assert stored(db, "SELECT count(*) FROM import_batch WHERE kind = 'incidents'") == [(1,)]
    assert stored(db, "SELECT count(*) FROM incident") == [(50_000,)]


# --- Waiting for the lock, and giving up ---------------------------------------------


@pytest.fixture
def held_lock(db):
    """Another writer holding the write lock, with an uncommitted row, until released."""
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("INSERT INTO kommun (kod, namn) VALUES ('9999', 'Låst')")
    yield holder
    if holder.in_transaction:
        holder.execute("ROLLBACK")
    holder.close()


def counts(db: str) -> tuple:
    return tuple(
        stored(db, f"SELECT count(*) FROM {table}")[0][0]
        for table in ("import_batch", "incident", "incident_place", "kommun")
    )


def test_an_import_that_cannot_get_the_lock_says_so_and_writes_nothing(db, tmp_path, held_lock):
    file = incident_file(tmp_path / "handelser.csv", 2_000, seed=1)
    before = counts(db)
    started = time.monotonic()
    result = run_cli(
        "--db", db, "import-incidents", str(file["path"]), "--kommun", "1381",
        env={"TRYGG_LOCK_TIMEOUT_S": "1"},
    )  # fmt: skip
    assert assert_clean_refusal(result) == BUSY
    assert time.monotonic() - started < 60
    held_lock.execute("ROLLBACK")
    assert counts(db) == before


def test_readers_do_not_wait_for_a_writer(db, held_lock):
    started = time.monotonic()
    result = run_cli("--db", db, "batches", "--kommun", "1381", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert [b["kind"] for b in json.loads(result.stdout)] == ["places"]
    assert time.monotonic() - started < 30


def test_an_import_waits_for_the_lock_and_then_lands(db, tmp_path, held_lock):
    file = incident_file(tmp_path / "handelser.csv", 2_000, seed=2)
    process = start_import(db, file["path"], env={"TRYGG_LOCK_TIMEOUT_S": "120"})
    time.sleep(6)  # the importer has parsed the file and is waiting for the lock
    assert process.poll() is None
    held_lock.execute("ROLLBACK")
    code, out, err = finish(process)
    assert code == 0, err
    assert json.loads(out)["accepted"] == 2_000
    assert stored(db, "SELECT count(*) FROM incident") == [(2_000,)]


# --- One active copy of a file, enforced by the database ------------------------------


def test_the_database_refuses_a_second_active_copy(db):
    with sqlite3.connect(db) as connection:
        digest, kind = connection.execute("SELECT sha256, kind FROM import_batch").fetchone()
        with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
            connection.execute(
                "INSERT INTO import_batch (kommun_kod, kind, file_name, sha256, original, "
                "uploaded_at, uploaded_by, rows_total, rows_accepted, rows_rejected, status) "
                f"VALUES ('1381', '{kind}', 'kopia', '{digest}', x'00', '2024-01-01', 'x', "
                "0, 0, 0, 'active')"
            )
        connection.execute(
            "INSERT INTO import_batch (kommun_kod, kind, file_name, sha256, original, "
            "uploaded_at, uploaded_by, rows_total, rows_accepted, rows_rejected, status) "
            f"VALUES ('1381', '{kind}', 'gammal', '{digest}', x'00', '2024-01-01', 'x', "
            "0, 0, 0, 'rolled_back')"
        )


def test_restoring_a_batch_whose_file_is_active_again_is_refused(engine, tmp_path):
    add_places(engine, tmp_path)
    file = incident_file(tmp_path / "handelser.csv", 500, seed=3)["path"]
    first = incidents.import_incidents(engine, file, "1381", actor=ADMIN)["batch_id"]
    batches.set_status(engine, first, batches.ROLLED_BACK, actor=ADMIN)
    second = incidents.import_incidents(engine, file, "1381", actor=ADMIN)["batch_id"]
    db = str(engine.url.database)
    message = assert_clean_refusal(run_cli("--db", db, "restore", str(first)))
    assert message == (
        f"Filen handelser.csv är redan importerad (batch {second}, samma innehåll). "
        "Inget nytt sparades."
    )
    statuses = stored(db, f"SELECT id, status FROM import_batch WHERE id IN ({first}, {second})")
    assert statuses == [(first, "rolled_back"), (second, "active")]


def test_places_go_through_the_same_rule(engine, tmp_path):
    add_places(engine, tmp_path)
    path = tmp_path / "platser.gpkg"
    with pytest.raises(TryggError, match=r"redan importerad \(batch 1,"):
        places.import_places(engine, path, "1381", name_field="namn", actor=ADMIN)
    same = places.import_places(engine, path, "1381", name_field="namn", replace=True, actor=ADMIN)
    assert same["unchanged"] is True and same["batch_id"] == 1
    with store.write_transaction(engine) as connection:  # edited since
        connection.execute(delete(schema.place).where(schema.place.c.name == "Byn"))
    again = places.import_places(engine, path, "1381", name_field="namn", replace=True, actor=ADMIN)
    assert again["batch_id"] == 2
    with engine.connect() as connection:
        rows = connection.execute(select(schema.import_batch.c.id, schema.import_batch.c.status))
        assert rows.all() == [(1, batches.REPLACED), (2, batches.ACTIVE)]


def test_the_migration_keeps_the_newest_of_existing_copies(tmp_path):
    engine = store.make_engine(str(tmp_path / "gammal.sqlite"))
    config = store._alembic_config()
    with store.write_transaction(engine) as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0004")
    with store.write_transaction(engine) as connection:
        connection.execute(text("INSERT INTO kommun VALUES ('1381', 'Laholm')"))
        for kind, digest, status in [
            ("survey", "a", "active"),
            ("survey", "a", "active"),
            ("survey", "a", "rolled_back"),
            ("survey", "a", "active"),
            ("incidents", "a", "active"),
            ("survey", "b", "active"),
        ]:
            connection.execute(
                text(
                    "INSERT INTO import_batch (kommun_kod, kind, file_name, sha256, original, "
                    "uploaded_at, uploaded_by, rows_total, rows_accepted, rows_rejected, status) "
                    "VALUES ('1381', :kind, 'f', :digest, x'00', '2024-01-01', 'x', 0, 0, 0, "
                    ":status)"
                ),
                {"kind": kind, "digest": digest, "status": status},
            )
    assert store.upgrade(engine) == store.head_revision()
    with engine.connect() as connection:
        statuses = connection.execute(text("SELECT status FROM import_batch ORDER BY id"))
        assert statuses.scalars().all() == [
            "rolled_back",
            "rolled_back",
            "rolled_back",
            "active",
            "active",
            "active",
        ]
    engine.dispose()


# --- The same respondents in another file format --------------------------------------


def respondents(count: int, with_ids: bool, seed: int = 0) -> list[list]:
    """Answers from points in Torget and Byn, with (or without) respondent ids."""
    rng = random.Random(seed)
    rows = []
    for k in range(count):
        x, y = inner_point("Byn" if k % 3 == 0 else "Torget", k)
        point = [round(x + rng.uniform(0, 15), 2), round(y + rng.uniform(0, 15), 2)]
        row = [2024, *point, rng.randint(1, 5), rng.randint(1, 4)]
        rows.append(([f"R{seed}-{k}"] if with_ids else []) + row)
    return rows


def survey_header(with_ids: bool) -> list[str]:
    return (["Respondent-ID"] if with_ids else []) + ["År", "X", "Y", "Trygg kväll", "Oro stöld"]


def survey_csv(path, rows: list[list], with_ids: bool):
    lines = [";".join(survey_header(with_ids))]
    lines += [";".join(str(v).replace(".", ",") for v in row) for row in rows]
    path.write_text("\n".join(lines), encoding="cp1252")
    return path


def survey_xlsx(path, rows: list[list], with_ids: bool):
    workbook = openpyxl.Workbook()
    workbook.active.append(survey_header(with_ids))
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return path


def import_survey_cli(db: str, path, *extra: str):
    return run_cli("--db", db, "import-survey", str(path), "--kommun", "1381", "--json", *extra)


@pytest.mark.parametrize("with_ids", [True, False], ids=["respondent-ids", "identical-rows"])
def test_a_survey_exported_again_as_xlsx_is_refused_until_forced(db, tmp_path, with_ids):
    rows = respondents(600, with_ids)
    first = import_survey_cli(db, survey_csv(tmp_path / "enkat.csv", rows, with_ids))
    assert first.returncode == 0, first.stderr
    batch = json.loads(first.stdout)["batch_id"]
    xlsx = survey_xlsx(tmp_path / "enkat.xlsx", rows, with_ids)

    message = assert_clean_refusal(import_survey_cli(db, xlsx))
    assert message.startswith(
        f"Filen enkat.xlsx innehåller 600 svar som redan finns i batch {batch} ("
    )
    assert "--force" in message and "Inget sparades" in message
    assert stored(db, "SELECT count(*) FROM survey_response") == [(600,)]

    forced = import_survey_cli(db, xlsx, "--force")
    assert forced.returncode == 0, forced.stderr
    summary = json.loads(forced.stdout)
    assert summary["accepted"] == 600
    assert summary["duplicates"] == {
        "count": 600,
        "batch_ids": [batch],
        "by": "id" if with_ids else "row",
    }
    assert stored(db, "SELECT count(*) FROM survey_response") == [(1200,)]


def test_other_respondents_of_the_same_year_are_not_duplicates(engine, tmp_path):
    add_places(engine, tmp_path)
    first = survey_csv(tmp_path / "a.csv", respondents(300, True), True)
    survey_answers.import_survey(engine, first, "1381", actor=ADMIN)
    others = survey_csv(tmp_path / "b.csv", respondents(300, True, seed=1), True)
    assert "duplicates" not in survey_answers.import_survey(engine, others, "1381", actor=ADMIN)
    # Without ids, a few equal rows (here 10 of 300) are no reason to stop.
    chance = respondents(290, False, seed=2) + [row[1:] for row in respondents(10, True)]
    path = survey_csv(tmp_path / "c.csv", chance, False)
    assert "duplicates" not in survey_answers.import_survey(engine, path, "1381", actor=ADMIN)


def test_the_duplicate_refusal_carries_what_the_dashboard_needs(engine, tmp_path):
    add_places(engine, tmp_path)
    rows = respondents(40, True)
    survey_answers.import_survey(
        engine, survey_csv(tmp_path / "a.csv", rows, True), "1381", actor=ADMIN
    )
    with pytest.raises(survey_answers.DuplicateRespondents) as refused:
        survey_answers.import_survey(
            engine, survey_xlsx(tmp_path / "a.xlsx", rows[:25], True), "1381", actor=ADMIN
        )
    assert refused.value.duplicates == {"count": 25, "batch_ids": [2], "by": "id"}
    with engine.connect() as connection:
        total = connection.execute(select(func.count()).select_from(schema.survey_response))
        assert total.scalar() == 40
