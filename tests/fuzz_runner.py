"""The long-lived caller of the fuzz tests: imports many files in one process, as the
dashboard does, and reports what happened to each.

Run as ``python -m tests.fuzz_runner --db DB --report REPORT (--jobs JOBS | --examples N)``.
``--jobs`` names a JSON list of ``{"file": path, "importer": name}``; ``--examples`` lets
hypothesis make N files (see :mod:`tests.fuzz_cases`). The report holds one entry per
import (outcome, message, row errors, seconds, whether any table changed after a
refusal), hypothesis's failure if it found one, and the peak memory of this process and
of its children (the sandboxed readers). A runner that gets to write its report is alive.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
import traceback
from pathlib import Path

from sqlalchemy import func, select

from trygg import auth, commitments, places, store
from trygg.errors import TryggError
from trygg.importers import context, crime_stats, incidents, survey_answers, survey_results
from trygg.store import schema

KOMMUN = "1381"
#: Place layers are imported into a kommun of their own, so that the places the other
#: importers resolve against stay the demo places of Laholm.
PLACES_KOMMUN = "2999"
ADMIN = auth.local_admin()
IMPORTERS = {
    "survey": lambda engine, path: survey_answers.import_survey(engine, path, KOMMUN, actor=ADMIN),
    "survey_results": lambda engine, path: survey_results.import_survey_results(
        engine, path, KOMMUN, actor=ADMIN
    ),
    "incidents": lambda engine, path: incidents.import_incidents(engine, path, KOMMUN, actor=ADMIN),
    "crime_stats": lambda engine, path: crime_stats.import_crime_stats(
        engine, path, KOMMUN, actor=ADMIN
    ),
    "places": lambda engine, path: places.import_places(
        engine, path, PLACES_KOMMUN, replace=True, actor=ADMIN
    ),
    "commitments": lambda engine, path: commitments.import_commitments(
        engine, path, KOMMUN, actor=ADMIN
    ),
    "context": lambda engine, path: context.import_context(
        engine, path, KOMMUN, kind="vatten", actor=ADMIN
    ),
}


def prepare(db: Path):
    """A migrated database holding Laholm's demo places."""
    engine = store.make_engine(str(db))
    store.upgrade(engine)
    layer = Path(__file__).resolve().parents[1] / "geodata" / "1381_laholm" / "places.geojson"
    with store.write_transaction(engine) as connection:
        store.ensure_kommun(connection, KOMMUN)
    places.import_places(engine, layer, KOMMUN, replace=True, actor=ADMIN)
    return engine


def table_counts(engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            name: connection.execute(select(func.count()).select_from(table)).scalar_one()
            for name, table in schema.metadata.tables.items()
        }


def run_one(engine, path: Path, importer: str) -> dict:
    """Import ``path`` with ``importer``; never raises."""
    before = table_counts(engine)
    started = time.perf_counter()
    entry: dict = {"file": path.name, "importer": importer}
    try:
        summary = IMPORTERS[importer](engine, path)
        entry |= {"outcome": "ok", "errors": [str(e) for e in _row_errors(summary)][:20]}
    except TryggError as err:
        entry |= {"outcome": "refused", "message": str(err)}
    except Exception:  # what the fuzz test looks for: anything that is no refusal
        entry |= {"outcome": "unexpected", "message": traceback.format_exc()}
    entry["seconds"] = round(time.perf_counter() - started, 3)
    entry["partial_write"] = entry["outcome"] != "ok" and table_counts(engine) != before
    return entry


def _row_errors(summary: dict) -> list[str]:
    return [
        f"Rad {e['row']}, kolumn {e['column']!r}, värde {e['value']!r}: {e['message']}"
        for e in summary.get("errors", [])
    ]


def run_jobs(engine, jobs: list[dict]) -> list[dict]:
    return [run_one(engine, Path(job["file"]), job["importer"]) for job in jobs]


def run_examples(engine, examples: int, seed: int, folder: Path) -> tuple[list[dict], str]:
    """Let hypothesis make ``examples`` files; return the entries and any failure."""
    from hypothesis import HealthCheck, given
    from hypothesis import seed as fixed_seed
    from hypothesis import settings as hypothesis_settings

    from tests.fuzz_cases import fuzz_case

    entries: list[dict] = []

    @fixed_seed(seed)
    @hypothesis_settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=fuzz_case())
    def check(case):
        name, data, importer = case
        path = folder / f"{len(entries)}-{name}"
        path.write_bytes(data)
        entry = run_one(engine, path, importer)
        path.unlink()
        entries.append(entry)
        assert entry["outcome"] != "unexpected", entry["message"]
        assert not entry["partial_write"], entry
        assert entry["seconds"] < 60, entry

    try:
        check()
    except Exception:  # hypothesis re-raises the (shrunk) failure
        return entries, traceback.format_exc()
    return entries, ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--report", type=Path, required=True)
    parser.add_argument("--jobs", type=Path)
    parser.add_argument("--examples", type=int, default=0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    engine = prepare(args.db)
    failure = ""
    with tempfile.TemporaryDirectory(prefix="trygg-fuzz-") as folder:
        if args.jobs:
            entries = run_jobs(engine, json.loads(args.jobs.read_text()))
        else:
            entries, failure = run_examples(engine, args.examples, args.seed, Path(folder))
    report = {
        "entries": entries,
        "failure": failure,
        "maxrss_self_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "maxrss_children_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
        "alive": True,
    }
    args.report.write_text(json.dumps(report, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
