"""What the benchmark scripts beside this file share: timing a call (they run as `.venv/bin/python bench/NAME.py`, so this
directory is on sys.path)."""

import statistics
import time


def measure(fn, runs):
    """(median ms, min ms, queries of one run): one warm-up run first, then `runs` timed runs, then one counted run."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return statistics.median(times), min(times), len(ctx.captured_queries)
