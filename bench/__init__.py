"""A tiny benchmark runner: each benchmark is a function registered under a name.

Run `python -m bench [names...]`; each benchmark prints lines of the form
`name: figure unit  (baseline: figure unit, ratio x)`.
"""

from __future__ import annotations

import time
from collections.abc import Callable

Benchmark = Callable[[], None]

REGISTRY: dict[str, Benchmark] = {}


def benchmark(name: str) -> Callable[[Benchmark], Benchmark]:
    """Register the decorated function as the benchmark `name`."""

    def register(function: Benchmark) -> Benchmark:
        if name in REGISTRY:
            raise ValueError(f"benchmark {name!r} registered twice")
        REGISTRY[name] = function
        return function

    return register


def report(
    name: str,
    figure: float,
    unit: str,
    *,
    baseline: float | None = None,
    note: str = "",
) -> None:
    """Print one result line, with the baseline and the ratio when there is one."""
    line = f"{name}: {_fmt(figure)} {unit}"
    if baseline is not None:
        ratio = figure / baseline
        shown = f"{ratio:.1f}" if ratio >= 1 else f"{ratio:.2f}"
        line += f"  (baseline: {_fmt(baseline)} {unit}, ratio {shown}x)"
    if note:
        line += f"  [{note}]"
    print(line, flush=True)


def best_rates(*runs: Callable[[], int], repeat: int) -> list[float]:
    """Return each run's best operations per second; `run()` returns how many it did.

    The runs are interleaved, round after round, so that a burst of load on a shared machine
    hits all of them alike and their ratio stays meaningful.
    """
    best = [0.0] * len(runs)
    for _ in range(repeat):
        for k, run in enumerate(runs):
            start = time.perf_counter()
            count = run()
            best[k] = max(best[k], count / (time.perf_counter() - start))
    return best


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:,.3g}"


def fresh_pg_database(admin_url: str, name: str, label: str) -> str | None:
    """Drop and create database `name` next to `admin_url`; return its URL, or None (printing
    why under `label`) when PostgreSQL is not reachable here."""
    try:
        import psycopg

        with psycopg.connect(admin_url, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {name}")
    except Exception as exc:  # any failure means "not here"
        print(f"{label}: skipped ({exc.__class__.__name__}: {exc})")
        return None
    return f"{admin_url.rsplit('/', 1)[0]}/{name}"
