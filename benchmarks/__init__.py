"""Benchmark suites of CQF Graph (``python -m benchmarks``)."""
