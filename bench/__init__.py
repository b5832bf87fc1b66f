"""Benchmarks: each `bench/bench_*.py` module has `run() -> dict` and is run by `python -m bench`."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

_migrated = False


def ensure_db() -> None:
    """Create the tables in the benchmark database (a fresh SQLite file unless SKILLCERT_DATABASE_URL is set)."""
    global _migrated
    if not _migrated:
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
        _migrated = True


@contextmanager
def timer(figures: dict[str, object], key: str) -> Iterator[None]:
    """`with timer(figures, "import_s"): ...` stores the elapsed seconds under `key`."""
    started = time.perf_counter()
    yield
    figures[key] = round(time.perf_counter() - started, 4)


def best_of(fn: Callable[[], object], repeat: int = 5) -> float:
    """The fastest of `repeat` calls, in seconds."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)
