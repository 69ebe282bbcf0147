"""IPN: the payment gateway's notice endpoint against a one-row insert, same server, same run.

For each engine (SQLite, then PostgreSQL when reachable) the benchmark makes a fresh database,
seeds the demo province, files one dossier at each of 40 desks and gives each dossier pending
online payments (distinct amounts, so many may be pending at once), then drives gunicorn (2
sync workers) with wrk (32 connections) over correctly signed IPN requests, each for another
pending payment: every answered notice verifies the checksum, locks the dossier and the
payment, marks it paid, numbers its receipt, appends the chain event and writes the outbox
rows. The baseline is P1's one-row insert view. Figures: 2xx requests per second, best of two
interleaved rounds. Goal >= 0.5x.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import benchmark, fresh_pg_database, report
from bench.p1_intake import LUA_BASELINE, ROOT, _run, _wait_ready, _wrk

PORT = int(os.environ.get("BENCH_IPN_PORT", "8766"))
DURATION = os.environ.get("BENCH_P1_DURATION", "8s")
PAYMENTS = int(os.environ.get("BENCH_IPN_PAYMENTS", "16000"))
PG_ADMIN_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/test")
PG_BENCH_DB = os.environ.get("BENCH_IPN_PG_DB", "motcua_bench_ipn")

SETUP = r"""
import json
from datetime import timedelta
from django.conf import settings
from django.db import connection
from django.utils import timezone
from catalog.models import ProcedureVersion
from dossiers import actions
from dossiers.actions import Applicant, ReceivedDocument
from dossiers.access import version_documents
from lib import vnpay
from orgs.models import Role, StaffRole
from payments.models import Payment
with connection.cursor() as c:
    serial = "SERIAL" if connection.vendor == "postgresql" else "INTEGER"
    c.execute(
        f"CREATE TABLE IF NOT EXISTS bench_ping "
        f"(id {serial} PRIMARY KEY, created_at TIMESTAMP, body TEXT)"
    )
now = timezone.now()
version = ProcedureVersion.objects.published().get(procedure__code="2.000815")
docs = [ReceivedDocument(d.position) for d in version_documents(version.pk)]
dossiers = []
seen = set()
roles = StaffRole.objects.filter(role=Role.DESK_OFFICER, unit__parent__isnull=False)
for sr in roles.select_related("unit", "user").order_by("unit__code"):
    if sr.unit_id in seen or len(dossiers) >= 40:
        continue
    seen.add(sr.unit_id)
    dossiers.append(actions.file_dossier(
        actor=sr.user, version=version, receiving_unit=sr.unit, channel="1",
        applicant=Applicant("person", "Nguyễn Văn Bench", "087095000123", phone="0912345678"),
        documents=docs, at=now))
total = %(payments)d
rows = []
for i in range(total):
    d = dossiers[i %% len(dossiers)]
    rows.append(Payment(dossier=d, unit_id=d.receiving_unit_id, amount_vnd=10_000 + i,
        method="online", provider="vnpay", txn_ref=f"BENCH{i:08d}", payer_name="Bench",
        created_at=now, expires_at=now + timedelta(hours=2)))
Payment.objects.bulk_create(rows, batch_size=1000)
paths = []
for p in rows:
    params = {"vnp_Amount": str(p.amount_vnd * 100), "vnp_BankCode": "NCB",
        "vnp_OrderInfo": "bench", "vnp_PayDate": "20260315103000", "vnp_ResponseCode": "00",
        "vnp_TmnCode": settings.VNPAY_TMN_CODE, "vnp_TransactionNo": p.txn_ref[5:],
        "vnp_TransactionStatus": "00", "vnp_TxnRef": p.txn_ref}
    paths.append("/payments/vnpay/ipn?" + vnpay.query_string(params, settings.VNPAY_HASH_SECRET))
print("PATHS=" + json.dumps(paths))
"""


def _engine(label: str, database_url: str, workdir: Path) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "bench.p1_settings",
        "DB_CONN_MAX_AGE": "600",
        "VNPAY_TMN_CODE": "BENCH001",
        "VNPAY_HASH_SECRET": "bench-vnpay-secret",
    }
    python = sys.executable
    _run([python, "manage.py", "migrate", "--noinput", "-v0"], env)
    _run([python, "manage.py", "seed_demo", "--quiet-logins"], env)
    out = _run([python, "manage.py", "shell", "-c", SETUP % {"payments": PAYMENTS}], env)
    paths = json.loads(out.split("PATHS=", 1)[1].strip().splitlines()[0])
    # Each round's two wrk threads walk their own quarter of the list: every notice sent is
    # for a payment still pending (unless a quarter runs out: then repeats, answered 02).
    quarter = len(paths) // 4
    ipn_lua = []
    for r in range(2):
        scripts = []
        for t in range(2):
            listing = workdir / f"ipn-paths-{r}{t}.txt"
            part = paths[(2 * r + t) * quarter : (2 * r + t + 1) * quarter]
            listing.write_text("\n".join(part), encoding="utf-8")
            scripts.append(listing)
        ipn_lua.append(workdir / f"ipn-{r}.lua")
        ipn_lua[r].write_text(_lua(scripts), encoding="utf-8")
    baseline_lua = workdir / "baseline.lua"
    baseline_lua.write_text(LUA_BASELINE, encoding="utf-8")
    base = f"http://127.0.0.1:{PORT}"
    server = subprocess.Popen(
        [
            str(Path(python).with_name("gunicorn")),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            "2",
            "--log-level",
            "error",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        _wait_ready(f"{base}/api/v1/units", server)
        best_ipn = best_base = 0.0
        bad_total = sent = 0
        for r in range(2):
            rate, _n, bad = _wrk(baseline_lua, f"{base}/bench/insert")
            best_base = max(best_base, rate)
            bad_total += bad
            rate, n, bad = _wrk(ipn_lua[r], base)
            best_ipn = max(best_ipn, rate)
            bad_total += bad
            sent += n
        settled = (
            _run(
                [
                    python,
                    "manage.py",
                    "shell",
                    "-c",
                    "from payments.models import Payment; "
                    "print('PAID=%d' % Payment.objects.filter(status='paid').count())",
                ],
                env,
            )
            .split("PAID=", 1)[1]
            .split()[0]
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
    report(
        f"ipn.{label}",
        best_ipn,
        "notices/s",
        baseline=best_base,
        note=f"2 gunicorn workers, wrk 32 connections {DURATION}; {len(paths)} pending payments, "
        f"{sent} notices answered by wrk, {settled} payments settled; "
        f"non-2xx {bad_total}; goal >= 0.5x",
    )


def _lua(listings: list[Path]) -> str:
    """A wrk script whose threads each walk their own list of signed IPN paths."""
    files = ", ".join(f'"{p}"' for p in listings)
    return (
        "local files = {" + files + "}\n"
        "local n = 0\n"
        "setup = function(thread) n = n + 1; thread:set('file', files[n]) end\n"
        "init = function(args)\n"
        "  paths = {}\n"
        "  for line in io.lines(file) do paths[#paths + 1] = line end\n"
        "  counter = 0\n"
        "end\n"
        "request = function()\n"
        "  counter = counter + 1\n"
        "  return wrk.format('GET', paths[((counter - 1) % #paths) + 1])\n"
        "end\n"
    )


@benchmark("ipn")
def ipn() -> None:
    """Measure the IPN endpoint's throughput against the one-insert ceiling."""
    if shutil.which("wrk") is None:
        print("ipn: skipped: wrk is not installed (apt-get install wrk)")
        return
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        _engine("sqlite", f"sqlite:///{workdir / 'bench.sqlite3'}", workdir)
        url = fresh_pg_database(PG_ADMIN_URL, PG_BENCH_DB, "ipn.postgresql")
        if url is not None:
            _engine("postgresql", url, workdir)
