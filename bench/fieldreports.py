"""Field reports over Open311 at 100,000 reports (issue 16's figure, beside the wall's bench).

A fresh database gets the test world, 20 wards and N field reports (bulk insert) spread over
a year in five categories, 95% closed (a tenth of them late), the rest open with deadlines
from a week ago to a week ahead. Timed in the same run, each against its own baseline:

- `GET /georeport/v2/requests.json` (the public list: last 90 days, at most 1000, newest
  first, through the view, JSON rendered) vs fetching the same 1000 rows' columns with one
  plain query (`values_list`);
- the same list filtered (`status=open&service_code=roads`) vs the same plain query filtered;
- `GET /georeport/v2/requests/{id}.json` vs one `get(pk=)`;
- `fieldreports.figures.open_and_late` for the province (the wall's tile) vs `count(*)` of
  the province's open reports;
- the warning scan: first (catch-up) and steady, vs `count(*)` of the open reports.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from bench import benchmark, fresh_pg_database, report

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
PG_BENCH_DB = "motcua_bench_fieldreports"
WARDS = 20


def build(n: int, seed: int = 16) -> None:
    """Write the wards and `n` field reports."""
    from django.db import connection, transaction

    from fieldreports.models import Category, FieldReport
    from orgs.models import Unit
    from testing.clock import vn
    from testing.world import build_world

    rng = random.Random(seed)
    now = vn(2026, 3, 6, 16)
    categories = list(Category.objects.all())
    with transaction.atomic():
        w = build_world()
        wards = [
            Unit.objects.create(
                code=f"9{i:04d}", name=f"Phường {i}", kind="ward", parent=w.province
            )
            for i in range(WARDS)
        ]
        rows = []
        for j in range(n):
            requested = now - timedelta(minutes=rng.uniform(0, 365 * 24 * 60))
            expected = requested + timedelta(hours=rng.choice((16, 24, 40, 72)))
            open_ = rng.random() < 0.05
            if open_:
                requested = now - timedelta(days=rng.uniform(0, 14))
                expected = now + timedelta(hours=rng.uniform(-7 * 24, 7 * 24))
            closed = None if open_ else expected - timedelta(hours=rng.uniform(-8, 60))
            rows.append(
                FieldReport(
                    category=categories[j % len(categories)],
                    unit=wards[j % WARDS],
                    description="Ổ gà lớn trước nhà số 12, nguy hiểm cho xe máy",
                    address=f"Số {j % 300} đường {j % 40}",
                    lat="10.8",
                    long="105.4",
                    status="open" if open_ else "closed",
                    status_notes="" if open_ else "Đã xử lý xong.",
                    requested_at=requested,
                    updated_at=closed or requested,
                    expected_at=expected,
                    closed_at=closed,
                    phone="0912345678",
                    email="nguoi.bao@example.vn",
                )
            )
        FieldReport.objects.bulk_create(rows, batch_size=5000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _best(run: Callable[[], Any], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        run()
        times.append(time.perf_counter() - t)
    return min(times)


def measure(n: int) -> dict[str, float]:
    from django.test import Client
    from django.test.utils import setup_test_environment

    from fieldreports.figures import open_and_late
    from fieldreports.models import FieldReport
    from fieldreports.warnings import scan
    from orgs.models import Unit
    from testing.clock import vn

    setup_test_environment()  # the test client's host is allowed
    import time_machine

    now = vn(2026, 3, 6, 16)
    started = time.perf_counter()
    build(n)
    out: dict[str, float] = {"load_s": time.perf_counter() - started}
    client = Client()
    columns = (
        "pk", "status", "status_notes", "category__name", "category__code", "description",
        "agency__name", "unit__name", "requested_at", "updated_at", "expected_at", "address",
        "lat", "long",
    )  # fmt: skip
    recent = FieldReport.objects.filter(requested_at__gte=now - timedelta(days=90))
    some = FieldReport.objects.order_by("pk")[n // 2].pk
    province = Unit.objects.get(code="82")
    with time_machine.travel(now, tick=False):
        answer = client.get("/georeport/v2/requests.json")
        assert answer.status_code == 200, answer.content[:300]
        out["list_rows"] = len(answer.json())
        out["list_s"] = _best(lambda: client.get("/georeport/v2/requests.json"))
        out["list_base_s"] = _best(
            lambda: list(recent.order_by("-requested_at", "-pk").values_list(*columns)[:1000])
        )
        q = {"status": "open", "service_code": "roads"}
        out["filtered_rows"] = len(client.get("/georeport/v2/requests.json", q).json())
        out["filtered_s"] = _best(lambda: client.get("/georeport/v2/requests.json", q))
        out["filtered_base_s"] = _best(
            lambda: list(
                recent.filter(status="open", category__code="roads")
                .order_by("-requested_at", "-pk")
                .values_list(*columns)[:1000]
            )
        )
        out["one_s"] = _best(lambda: client.get(f"/georeport/v2/requests/{some}.json"), 20)
        out["one_base_s"] = _best(lambda: FieldReport.objects.get(pk=some), 20)
    figures = open_and_late([province.path], now)
    out["open"] = figures["open"]
    out["overdue"] = figures["overdue"]
    out["wall_s"] = _best(lambda: open_and_late([province.path], now))
    out["wall_base_s"] = _best(lambda: FieldReport.objects.open().in_units([province.path]).count())
    out["open_count_s"] = _best(lambda: FieldReport.objects.open().count())
    t = time.perf_counter()
    first = scan(now)
    out["first_scan_s"] = time.perf_counter() - t
    out["first_scan_rows"] = first.warned + first.escalated
    t = time.perf_counter()
    steady = scan(now + timedelta(minutes=5))
    out["steady_scan_s"] = time.perf_counter() - t
    out["steady_scan_rows"] = steady.warned + steady.escalated
    return out


CHILD = r"""
import json, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from bench.fieldreports import measure
print("F=" + json.dumps(measure(int(sys.argv[1]))), flush=True)
"""


def _engine(label: str, database_url: str, n: int) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "PYTHONPATH": str(ROOT),
        "RATE_LIMIT_PUBLIC_PER_MINUTE": "100000000",
    }
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(n)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    r = json.loads(next(x for x in out.splitlines() if x.startswith("F="))[2:])
    tag = f"fieldreports.{label}"
    print(
        f"{tag}: {n:,} reports loaded in {r['load_s']:.0f} s; {int(r['open']):,} open, "
        f"{int(r['overdue']):,} overdue",
        flush=True,
    )
    ms = 1000
    report(
        f"{tag}.list_json",
        r["list_s"] * ms,
        "ms",
        baseline=r["list_base_s"] * ms,
        note=f"{int(r['list_rows'])} requests; baseline: the same rows by one plain query",
    )
    report(
        f"{tag}.list_open_roads",
        r["filtered_s"] * ms,
        "ms",
        baseline=r["filtered_base_s"] * ms,
        note=f"{int(r['filtered_rows'])} requests",
    )
    report(f"{tag}.one_json", r["one_s"] * ms, "ms", baseline=r["one_base_s"] * ms)
    report(
        f"{tag}.wall_open_and_late",
        r["wall_s"] * ms,
        "ms",
        baseline=r["wall_base_s"] * ms,
        note="baseline: count(*) of the province's open reports",
    )
    report(
        f"{tag}.first_scan",
        r["first_scan_s"] * ms,
        "ms",
        baseline=r["open_count_s"] * ms,
        note=f"{int(r['first_scan_rows']):,} warned or escalated; baseline: count of open",
    )
    report(
        f"{tag}.steady_scan",
        r["steady_scan_s"] * ms,
        "ms",
        baseline=r["open_count_s"] * ms,
        note=f"{int(r['steady_scan_rows'])} new",
    )


@benchmark("fieldreports")
def fieldreports_bench() -> None:
    """Time the Open311 list and the wall's figure at N reports against plain queries."""
    n = int(os.environ.get("BENCH_FIELDREPORTS", "100000"))
    if os.environ.get("BENCH_FIELDREPORTS_SQLITE", "1") == "1":
        with tempfile.TemporaryDirectory() as tmp:
            _engine("sqlite", f"sqlite:///{Path(tmp) / 'f.sqlite3'}", n)
    url = fresh_pg_database(PG_ADMIN_URL, PG_BENCH_DB, "fieldreports.postgresql")
    if url is not None:
        _engine("postgresql", url, n)
