"""Start-up benchmark (issue 9, Acceptance 3): ``trygg --help`` against ``import sqlalchemy``.

Both run as fresh processes, side by side in each round, so a busy moment on the shared
machine slows both; they are compared by their fastest round. Target: ``trygg --help``
at most 1.5× ``python -c "import sqlalchemy"``. ``trygg batches`` and ``trygg places`` on
the demo database are timed the same way, for the README. Run with ``make bench``.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from trygg import store
from trygg.demo import load_demo

MAX_HELP_RATIO = 1.5
#: A listing opens the store and reads a table: it may cost a few sqlalchemy imports.
MAX_LISTING_RATIO = 6.0
ROUNDS = 15
BASELINE = [sys.executable, "-c", "import sqlalchemy"]


def trygg(*args: str) -> list[str]:
    """The installed console script, as a user runs it (``python -m trygg`` without one)."""
    script = Path(sys.executable).with_name("trygg")
    return [str(script), *args] if script.is_file() else [sys.executable, "-m", "trygg", *args]


def seconds(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def side_by_side(benchmark, label: str, command: list[str]) -> tuple[float, float]:
    """Fastest round of ``command`` and of the baseline, run alternately in one session."""
    times: dict[str, list[float]] = {"command": [], "baseline": []}

    def one_round():
        times["baseline"].append(seconds(BASELINE))
        times["command"].append(seconds(command))

    benchmark.pedantic(one_round, rounds=ROUNDS, iterations=1, warmup_rounds=1)
    best, baseline = min(times["command"]), min(times["baseline"])
    benchmark.extra_info.update(seconds=best, baseline_seconds=baseline, ratio=best / baseline)
    print(
        f"\n{label}: {best:.3f} s, import sqlalchemy {baseline:.3f} s, ratio {best / baseline:.2f}"
    )
    return best, baseline


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("bench-cli") / "demo.sqlite"
    engine = store.make_engine(str(path))
    load_demo(engine)
    engine.dispose()
    return path


def test_help_is_at_most_one_and_a_half_imports_of_sqlalchemy(benchmark):
    best, baseline = side_by_side(benchmark, "trygg --help", trygg("--help"))
    assert best <= MAX_HELP_RATIO * baseline, f"{best:.3f} s against {baseline:.3f} s"


@pytest.mark.parametrize("command", ["batches", "places"])
def test_listings_start_without_the_heavy_libraries(benchmark, demo_db, command):
    arguments = (command, "--kommun", "1381")
    best, baseline = side_by_side(
        benchmark, f"trygg {' '.join(arguments)}", trygg("--db", str(demo_db), *arguments)
    )
    assert best <= MAX_LISTING_RATIO * baseline, f"{best:.3f} s against {baseline:.3f} s"
