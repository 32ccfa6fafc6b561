"""Benchmarks run with ``make bench``; their results are recorded in README.md."""

from baselines import SUMMARY


def pytest_terminal_summary(terminalreporter):
    """The ratios against the plain libraries (``baselines.compare``), after the run."""
    if SUMMARY:
        terminalreporter.section("trygg against the plain libraries (fastest rounds)")
        for text in SUMMARY:
            terminalreporter.write_line(text)
