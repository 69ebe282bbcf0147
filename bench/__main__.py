"""Run the registered benchmarks: `python -m bench [names...]` (all when none given)."""

from __future__ import annotations

import sys
import time

import bench.fieldreports  # registers fieldreports
import bench.ipn  # registers the IPN benchmark
import bench.notify  # registers notify
import bench.p1_intake  # registers P1
import bench.p3_report  # registers P3
import bench.p4_due_dates  # registers P4
import bench.p5_book  # registers P5
import bench.uploads  # registers uploads
import bench.wall  # registers wall
import bench.warnings  # noqa: F401 - registers warnings (each import registers one)
from bench import REGISTRY


def main(argv: list[str]) -> int:
    """Run the benchmarks named in `argv`, or all of them."""
    if argv in (["-l"], ["--list"]):
        print("\n".join(REGISTRY))
        return 0
    unknown = [name for name in argv if name not in REGISTRY]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(REGISTRY)}")
        return 2
    started = time.perf_counter()
    for name in argv or list(REGISTRY):
        REGISTRY[name]()
    print(f"total: {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
