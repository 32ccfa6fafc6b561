"""Benchmarks run with ``make bench``; their results are recorded in README.md."""
