"""P1: dossier intake through the HTTP API against a one-row-insert view, same server, same run.

For each engine (SQLite, then PostgreSQL when reachable) the benchmark makes a fresh database,
seeds the demo province, starts gunicorn (2 sync workers, persistent database connections) and
drives it with wrk (32 connections, loopback only). Desk officers of every current unit file
dossiers round-robin, as a province's desks do at once. Figures are requests per second of
2xx answers, best of two interleaved rounds.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench import benchmark, fresh_pg_database, report

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("BENCH_P1_PORT", "8765"))
DURATION = os.environ.get("BENCH_P1_DURATION", "8s")
PG_ADMIN_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/test")
PG_BENCH_DB = os.environ.get("BENCH_P1_PG_DB", "motcua_bench_p1")

SETUP = r"""
import json
from datetime import timedelta
from django.db import connection
from django.utils import timezone
from accounts.models import ApiToken, hash_token
from orgs.models import Role, StaffRole
with connection.cursor() as c:
    serial = "SERIAL" if connection.vendor == "postgresql" else "INTEGER"
    c.execute(
        f"CREATE TABLE IF NOT EXISTS bench_ping "
        f"(id {serial} PRIMARY KEY, created_at TIMESTAMP, body TEXT)"
    )
desks = []
seen = set()
roles = StaffRole.objects.filter(role=Role.DESK_OFFICER, unit__parent__isnull=False)
for sr in roles.select_related("unit", "user").order_by("unit__code"):
    if sr.unit_id in seen:
        continue
    seen.add(sr.unit_id)
    raw = ApiToken.new_raw()
    ApiToken.objects.create(user=sr.user, key_hash=hash_token(raw), created_at=timezone.now(),
                            expires_at=timezone.now() + timedelta(hours=2))
    desks.append({"unit": sr.unit.code, "token": raw})
print("DESKS=" + json.dumps(desks))
"""

LUA_INTAKE = r"""
local desks = %(desks)s
local counter = 0
request = function()
  counter = counter + 1
  local d = desks[(counter %% #desks) + 1]
  local body = string.format('{"procedure":"2.000815","receiving_unit":"%%s","channel":"1",' ..
    '"applicant":{"kind":"person","name":"Nguyễn Văn Bench","id_number":"087095000123",' ..
    '"phone":"0912345678"},"documents":[{"position":1},{"position":2}]}', d.unit)
  return wrk.format("POST", "/api/v1/dossiers",
    {["Content-Type"]="application/json", ["Authorization"]="Bearer " .. d.token}, body)
end
"""

LUA_BASELINE = r"""
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"procedure":"2.000815","receiving_unit":"29954","channel":"1",' ..
  '"applicant":{"kind":"person","name":"Nguyễn Văn Bench","id_number":"087095000123",' ..
  '"phone":"0912345678"},"documents":[{"position":1},{"position":2}]}'
"""


def _run(cmd: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def _wrk(script: Path, url: str) -> tuple[float, int, int]:
    """Return (2xx requests per second, total requests, non-2xx responses)."""
    out = subprocess.run(
        ["wrk", "-t2", "-c32", f"-d{DURATION}", "--latency", "-s", str(script), url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    seconds_match = re.search(r"requests in ([\d.]+)(m?s)", out)
    assert seconds_match is not None
    seconds = float(seconds_match.group(1)) / (1000 if seconds_match.group(2) == "ms" else 1)
    bad_match = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    bad = int(bad_match.group(1)) if bad_match else 0
    errors = re.search(r"Socket errors: .*timeout (\d+)", out)
    if errors and int(errors.group(1)):
        bad += int(errors.group(1))
    return (total - bad) / seconds, total, bad


def _wait_ready(url: str, proc: subprocess.Popen[bytes]) -> None:
    for _ in range(100):
        if proc.poll() is not None:
            raise RuntimeError("gunicorn exited during start-up")
        try:
            urllib.request.urlopen(url, timeout=1).read()  # noqa: S310 - loopback only
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer")


def _engine(label: str, database_url: str, workdir: Path) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "bench.p1_settings",
        "DB_CONN_MAX_AGE": "600",
    }
    python = sys.executable
    _run([python, "manage.py", "migrate", "--noinput", "-v0"], env)
    _run([python, "manage.py", "seed_demo", "--quiet-logins"], env)
    out = _run([python, "manage.py", "shell", "-c", SETUP], env)
    desks = json.loads(out.split("DESKS=", 1)[1].strip().splitlines()[0])
    lua_desks = "{" + ",".join(f'{{unit="{d["unit"]}", token="{d["token"]}"}}' for d in desks) + "}"
    intake_lua = workdir / "intake.lua"
    intake_lua.write_text(LUA_INTAKE % {"desks": lua_desks}, encoding="utf-8")
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
        best_intake = best_base = 0.0
        bad_total = 0
        for _round in range(2):
            rate, _n, bad = _wrk(baseline_lua, f"{base}/bench/insert")
            best_base = max(best_base, rate)
            bad_total += bad
            rate, _n, bad = _wrk(intake_lua, f"{base}/api/v1/dossiers")
            best_intake = max(best_intake, rate)
            bad_total += bad
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
    report(
        f"p1.{label}",
        best_intake,
        "intakes/s",
        baseline=best_base,
        note=f"2 gunicorn workers, wrk 32 connections {DURATION}; {len(desks)} desks; "
        f"non-2xx {bad_total}; goal >= 0.5x",
    )


@benchmark("p1")
def p1_intake() -> None:
    """Measure intake throughput through the API against the one-insert ceiling."""
    if shutil.which("wrk") is None:
        print("p1: skipped: wrk is not installed (apt-get install wrk)")
        return
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        _engine("sqlite", f"sqlite:///{workdir / 'bench.sqlite3'}", workdir)
        url = fresh_pg_database(PG_ADMIN_URL, PG_BENCH_DB, "p1.postgresql")
        if url is not None:
            _engine("postgresql", url, workdir)
