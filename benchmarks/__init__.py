"""The iamsim benchmark harness (issue 7): ``python -m benchmarks`` (or ``make bench``).

See docs/performance.md for what it measures and how to read the table.
"""
