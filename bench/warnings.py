"""The warning scan (dossiers.warnings.scan) over 100,000 steps in progress.

A fresh database gets the test world's province and 20 wards (two office-hour patterns, so
two calendars), each with two desk officers, two specialists and a leader, and N dossiers in
progress with one open step each (bulk insert), due from one working day ago to nineteen
ahead in their ward's calendar. Timed in the same run:

- the baseline: `SELECT count(*)` of the same open steps of running dossiers, and the
  desk's existing `Dossier.objects.due_soon(now).count()`;
- the first scan (every step already past a threshold is warned at once: the catch-up after
  a deployment, with its message rows);
- the steady scan five minutes later (what every period costs: the same walk, few new rows).

Goal (issue 13): the scan over 100,000 steps in progress <= 2 s on PostgreSQL.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from bench import benchmark, fresh_pg_database, report

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
PG_BENCH_DB = "motcua_bench_warnings"
WARDS = 20


def build(n: int, seed: int = 13) -> None:
    """Write the wards, their people and `n` running dossiers with one open step each."""
    from django.db import transaction

    from accounts.models import User
    from catalog.models import ProcedureVersion
    from dossiers.models import Dossier, DossierStep
    from orgs.models import Agency, AgencyKind, Role, StaffRole, Unit
    from testing.clock import vn
    from testing.world import build_world
    from workdays.calendars import calendar_for

    rng = random.Random(seed)
    now = vn(2026, 3, 6, 16)
    with transaction.atomic():
        w = build_world()
        version = ProcedureVersion.objects.get(procedure__code="1.001193")
        kinds = {k.code: k for k in AgencyKind.objects.all()}
        roles = [("one_stop_desk", Role.DESK_OFFICER), ("office", Role.SPECIALIST)]
        wards = []
        for i in range(WARDS):
            hours = "07:30-11:30,13:00-17:00" if i % 2 else "07:00-11:30,13:30-17:00"
            ward = Unit.objects.create(
                code=f"9{i:04d}",
                name=f"Phường {i}",
                kind="ward",
                parent=w.province,
                office_hours=hours,
            )
            agencies = {
                code: Agency.objects.create(
                    unit=ward, kind=kinds[code], code=f"9{i:04d}.{code}", name=code
                )
                for code in ("one_stop_desk", "office", "leadership")
            }
            for code, role in roles:
                for k in range(2):
                    user = User.objects.create_user(
                        username=f"u{i}{code}{k}", email=f"u{i}{code}{k}@example.vn"
                    )
                    StaffRole.objects.create(user=user, role=role, unit=ward, agency=agencies[code])
            leader = User.objects.create_user(username=f"lead{i}", email=f"lead{i}@example.vn")
            StaffRole.objects.create(
                user=leader, role=Role.LEADER, unit=ward, agency=agencies["leadership"]
            )
            wards.append((ward, agencies, calendar_for(ward)))
        dossiers = []
        step_dues = []
        for j in range(n):
            ward, _agencies, calendar = wards[j % WARDS]
            due = calendar.add(now, timedelta(hours=rng.uniform(0, 160))) - timedelta(
                hours=rng.uniform(0, 8) + 8 * (rng.random() < 0.05)
            )
            step_dues.append(due)
            dossiers.append(
                Dossier(
                    code=f"B-{j:08d}",
                    procedure_version=version,
                    receiving_unit=ward,
                    competent_unit=ward,
                    channel="1",
                    status="in_progress",
                    applicant_kind="person",
                    applicant_name="Nguyễn Văn A",
                    applicant_name_folded="nguyen van a",
                    applicant_id_number="087095000123",
                    public_secret="123456",  # noqa: S106 - not a password
                    submitted_at=now - timedelta(days=3),
                    received_at=now - timedelta(days=3),
                    due_at=due + timedelta(days=2),
                )
            )
        Dossier.objects.bulk_create(dossiers, batch_size=5000)
        steps = []
        for j, d in enumerate(Dossier.objects.filter(code__startswith="B-").order_by("code")):
            _ward, agencies, _calendar = wards[j % WARDS]
            code, role = roles[j % 2]
            steps.append(
                DossierStep(
                    dossier=d,
                    position=1 + j % 2,
                    name="Thẩm định" if j % 2 else "Tiếp nhận",
                    agency=agencies[code],
                    role=role,
                    allotted_hours=Decimal(8),
                    started_at=now - timedelta(days=1),
                    due_at=step_dues[j],
                )
            )
        DossierStep.objects.bulk_create(steps, batch_size=5000)
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def measure(n: int) -> dict[str, float]:
    """Load, then time the baselines and the two scans; return the figures."""
    from django.db.models import Count

    from dossiers.models import Dossier, OutboxMessage, StepWarning
    from dossiers.warnings import open_steps, scan
    from testing.clock import vn

    now = vn(2026, 3, 6, 16)
    started = time.perf_counter()
    build(n)
    out: dict[str, float] = {"load_s": time.perf_counter() - started}

    def best(run: object, repeat: int = 3) -> float:
        times = []
        for _ in range(repeat):
            t = time.perf_counter()
            run()  # type: ignore[operator]
            times.append(time.perf_counter() - t)
        return min(times)

    out["open_steps"] = open_steps().count()
    out["count_s"] = best(lambda: open_steps().aggregate(n=Count("pk")))
    out["due_soon_s"] = best(lambda: Dossier.objects.due_soon(now).count())
    t = time.perf_counter()
    first = scan(now)
    out["first_s"] = time.perf_counter() - t
    out["first_warnings"] = first.due_soon + first.escalated
    out["first_messages"] = first.messages
    t = time.perf_counter()
    steady = scan(now + timedelta(minutes=5))
    out["steady_s"] = time.perf_counter() - t
    out["steady_warnings"] = steady.due_soon + steady.escalated
    out["steady_messages"] = steady.messages
    out["again_s"] = best(lambda: scan(now + timedelta(minutes=5)))
    out["warnings"] = StepWarning.objects.count()
    out["messages"] = OutboxMessage.objects.count()
    return out


CHILD = r"""
import json, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from bench.warnings import measure
print("W=" + json.dumps(measure(int(sys.argv[1]))), flush=True)
"""


def _engine(label: str, database_url: str, n: int) -> None:
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(n)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("W="))
    r = json.loads(line[2:])
    tag = f"warnings.{label}"
    print(
        f"{tag}: {int(r['open_steps']):,} open steps loaded in {r['load_s']:.0f} s; "
        f"{int(r['warnings']):,} warnings and {int(r['messages']):,} messages written",
        flush=True,
    )
    goal = "; goal <= 2 s on PostgreSQL" if label == "postgresql" else ""
    report(
        f"{tag}.steady_scan",
        r["steady_s"],
        "s",
        baseline=r["count_s"],
        note=f"{int(r['steady_warnings'])} new warnings; baseline SELECT count(*) of the "
        f"open steps{goal}",
    )
    report(f"{tag}.steady_scan_vs_due_soon", r["steady_s"], "s", baseline=r["due_soon_s"])
    report(
        f"{tag}.rescan_nothing_new",
        r["again_s"],
        "s",
        baseline=r["count_s"],
    )
    report(
        f"{tag}.first_scan",
        r["first_s"],
        "s",
        baseline=r["count_s"],
        note=f"catch-up: {int(r['first_warnings']):,} warnings, "
        f"{int(r['first_messages']):,} messages{goal}",
    )


@benchmark("warnings")
def warnings_scan() -> None:
    """Time the warning scan over N steps in progress against a count of the same steps."""
    n = int(os.environ.get("BENCH_WARNINGS_STEPS", "100000"))
    if os.environ.get("BENCH_WARNINGS_SQLITE", "1") == "1":
        with tempfile.TemporaryDirectory() as tmp:
            _engine("sqlite", f"sqlite:///{Path(tmp) / 'w.sqlite3'}", n)
    url = fresh_pg_database(PG_ADMIN_URL, PG_BENCH_DB, "warnings.postgresql")
    if url is not None:
        _engine("postgresql", url, n)
