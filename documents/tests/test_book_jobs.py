"""Large tracking books run as background tasks: a progress page, then the file.

The threshold is lowered to 1 row so a small history exercises the background path; the
database worker runs the queued tasks in the test's process.
"""

import io
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from conftest import World
from documents import jobs
from documents.book import BookQuery
from documents.models import BookJob, JobStatus
from jobs.testing import run_queued_tasks
from testing.api import bearer
from testing.dossiers import book_history as history

BOOK_END = date(2026, 3, 31)
BOOK: dict[str, Any] = {"start": "2026-03-01", "end": "2026-03-31", "channel": "all"}


def desk(client: Client) -> Client:
    client.post("/desk/login/", {"username": "desk_a", "password": "pw-desk_a"})
    return client


@pytest.fixture
def small_threshold(settings: Any) -> Any:
    settings.BOOK_SYNC_MAX_ROWS = 1
    return settings


def test_a_large_book_goes_to_a_job_with_progress_and_file(
    world: World, client: Client, small_threshold: Any
) -> None:
    codes = history(world)
    c = desk(client)
    r = c.get("/desk/book/", {**BOOK, "unit": world.ward_a.pk, "format": "xlsx"})
    assert r.status_code == 302 and "/desk/book/jobs/" in r["Location"]
    job = BookJob.objects.get()
    assert job.total == 2 and job.status == JobStatus.QUEUED and job.progress == 0
    waiting = c.get(r["Location"], headers={"HX-Request": "true"}).content.decode()
    assert "every 1s" in waiting  # the page polls while the job waits for a worker
    run_queued_tasks()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.progress == 1000 and job.attempt == 1

    page = c.get(r["Location"])
    body = page.content.decode()
    assert "Tải" in body and f"{job.pk}/file" in body
    # The fragment htmx polls.
    fragment = c.get(r["Location"], headers={"HX-Request": "true"})
    assert 'id="job-status"' in fragment.content.decode()
    assert "every 1s" not in fragment.content.decode()  # done: polling stops

    f = c.get(f"/desk/book/jobs/{job.pk}/file")
    ws = load_workbook(io.BytesIO(f.content)).active
    assert ws is not None
    assert [row[1] for row in list(ws.iter_rows(values_only=True))[9:]] == codes


def test_jobs_are_private_to_who_asked(world: World, small_threshold: Any) -> None:
    history(world)
    r = desk(Client()).get("/desk/book/", {**BOOK, "unit": world.ward_a.pk, "format": "pdf"})
    job_url = r["Location"]
    other = Client()
    other.post("/desk/login/", {"username": "leader_a", "password": "pw-leader_a"})
    assert other.get(job_url).status_code == 404
    assert other.get(job_url + "file").status_code == 404
    assert Client().get(job_url).status_code == 302  # anonymous: to the login page


def test_progress_while_running_and_a_dead_job_is_retried(
    world: World, client: Client, small_threshold: Any
) -> None:
    history(world)
    c = desk(client)
    q = BookQuery(world.ward_a, date(2026, 3, 1), BOOK_END)
    job = jobs.create(q, "pdf", user=world.desk_a, at=timezone.now(), total=2)
    # A worker took it, reported 40 %, then its process died.
    BookJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, progress=400, heartbeat_at=timezone.now()
    )
    running = c.get(f"/desk/book/jobs/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert 'value="400"' in running and "40%" in running and "every 1s" in running
    BookJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=5))
    stale = c.get(f"/desk/book/jobs/{job.pk}/").content.decode()
    assert "Thử lại" in stale
    c.post(f"/desk/book/jobs/{job.pk}/")
    run_queued_tasks()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.content is not None
    assert bytes(job.content).startswith(b"%PDF")


def test_a_failing_job_is_retried_with_back_off_then_says_why(
    world: World, small_threshold: Any, monkeypatch: Any
) -> None:
    history(world)

    def broken(*args: Any) -> bytes:
        raise RuntimeError("disk full")

    monkeypatch.setattr(jobs, "book_pdf", broken)
    c = desk(Client())
    t0 = datetime(2026, 4, 6, 3, 0, tzinfo=UTC)
    with time_machine.travel(t0, tick=False) as traveller:
        r = c.get("/desk/book/", {**BOOK, "unit": world.ward_a.pk, "format": "pdf"})
        run_queued_tasks()
        job = BookJob.objects.get()
        # Attempt 1 failed: queued again 10 s later, and not run before then.
        assert (job.status, job.attempt, job.heartbeat_at) == (
            JobStatus.QUEUED,
            1,
            t0 + timedelta(seconds=10),
        )
        retry_task = DBTaskResult.objects.get(status="READY")
        assert retry_task.run_after == t0 + timedelta(seconds=10)
        traveller.shift(timedelta(seconds=9))
        run_queued_tasks()
        assert BookJob.objects.get().attempt == 1
        traveller.shift(timedelta(seconds=1))
        run_queued_tasks()
        # Attempt 2 failed at t0 + 10 s: the next wait doubles to 20 s.
        job = BookJob.objects.get()
        assert (job.attempt, job.heartbeat_at) == (2, t0 + timedelta(seconds=30))
        traveller.shift(timedelta(seconds=20))
        run_queued_tasks()
    # Attempt 3 was the last: the job failed, and says so without the internal error.
    job = BookJob.objects.get()
    assert job.status == JobStatus.FAILED and job.attempt == 3 and job.content is None
    assert DBTaskResult.objects.filter(status="READY").count() == 0
    body = c.get(r["Location"]).content.decode()
    assert "Thử lại" in body and "disk full" not in body
    assert c.get(f"/desk/book/jobs/{job.pk}/file").status_code == 404


def test_two_workers_cannot_both_take_a_job(world: World, small_threshold: Any) -> None:
    q = BookQuery(world.ward_a, BOOK_END.replace(day=1), BOOK_END)
    job = jobs.create(q, "xlsx", user=world.desk_a, at=timezone.now(), total=0)
    assert jobs._claim(job.pk, timezone.now()) == 1
    assert jobs._claim(job.pk, timezone.now()) is None
    assert jobs.run(uuid.uuid4()) is False
    assert jobs.retry(job) is False  # alive: nobody may restart it
    # The first worker goes silent; a second takes over as attempt 2.
    BookJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=5))
    assert jobs._claim(job.pk, timezone.now()) == 2
    # The first worker wakes up and writes: under its old attempt, nothing changes.
    late = BookJob.objects.filter(pk=job.pk, attempt=1, status=JobStatus.RUNNING)
    assert late.update(status=JobStatus.FAILED) == 0
    assert BookJob.objects.get(pk=job.pk).status == JobStatus.RUNNING


@pytest.mark.django_db(transaction=True)
def test_the_worker_command_finishes_the_book(world: World, settings: Any) -> None:
    settings.BOOK_SYNC_MAX_ROWS = 1
    history(world)
    c = desk(Client())
    r = c.get("/desk/book/", {**BOOK, "unit": world.ward_a.pk, "format": "pdf"})
    assert r.status_code == 302
    # The real command, outside any test transaction, as the Procfile's worker runs it.
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    job = BookJob.objects.get()
    assert job.status == JobStatus.DONE, job.error
    assert c.get(f"/desk/book/jobs/{job.pk}/file").content.startswith(b"%PDF")


def test_the_api_answers_202_then_serves_the_file(world: World, small_threshold: Any) -> None:
    codes = history(world)
    api = Client()
    auth = bearer(api, "desk_a")
    r = api.get(
        "/api/v1/units/30001/tracking-book",
        {"from": "2026-03-01", "to": "2026-03-31", "format": "xlsx"},
        **auth,
    )
    assert r.status_code == 202, r.content
    body = r.json()
    assert body["rows"] == 2 and r["Location"] == body["status_url"]
    assert body["status"] == "queued" and body["file_url"] is None
    run_queued_tasks()
    status = api.get(body["status_url"], **auth).json()
    assert status["status"] == "done" and status["progress_percent"] == 100
    f = api.get(status["file_url"], **auth)
    ws = load_workbook(io.BytesIO(f.content)).active
    assert ws is not None
    assert [row[1] for row in list(ws.iter_rows(values_only=True))[9:]] == codes
    # Someone else's job does not exist for you.
    other = bearer(Client(), "leader_a")
    assert api.get(body["status_url"], **other).status_code == 404
    # Not finished yet: 409 problem.
    BookJob.objects.filter(pk=body["id"]).update(status=JobStatus.RUNNING, content=None)
    pending = api.get(body["status_url"] + "/file", **auth)
    assert pending.status_code == 409
    assert pending["Content-Type"].startswith("application/problem+json")


def test_the_reaper_drops_old_jobs(world: World, small_threshold: Any) -> None:
    q = BookQuery(world.ward_a, BOOK_END.replace(day=1), BOOK_END)
    old = jobs.create(q, "xlsx", user=world.desk_a, at=timezone.now() - timedelta(days=8), total=0)
    BookJob.objects.filter(pk=old.pk).update(status=JobStatus.DONE)
    jobs.create(q, "xlsx", user=world.desk_a, at=timezone.now(), total=0)
    assert jobs.reap_book_jobs.call()["dropped"] == 1
    assert not BookJob.objects.filter(pk=old.pk).exists()
    assert BookJob.objects.count() == 1


def test_the_reaper_requeues_a_job_whose_worker_died(
    world: World, client: Client, small_threshold: Any
) -> None:
    history(world)
    q = BookQuery(world.ward_a, date(2026, 3, 1), BOOK_END)
    job = jobs.create(q, "xlsx", user=world.desk_a, at=timezone.now(), total=2)
    assert jobs._claim(job.pk, timezone.now()) == 1  # a worker took it...
    # ...and was killed: its heartbeat is fresh for a while, then stops.
    assert jobs.reap_book_jobs.call()["requeued"] == 0
    dead_at = timezone.now() - timedelta(seconds=61)
    BookJob.objects.filter(pk=job.pk).update(heartbeat_at=dead_at)
    assert jobs.reap_book_jobs.call() == {"requeued": 1, "failed": 0, "dropped": 0}
    assert jobs.reap_book_jobs.call()["requeued"] == 0  # queued once, not once per reaper run
    run_queued_tasks()
    job.refresh_from_db()
    assert (job.status, job.attempt) == (JobStatus.DONE, 2)
    # A job whose workers died on every attempt fails instead of being queued for ever.
    again = jobs.create(q, "xlsx", user=world.desk_a, at=timezone.now(), total=2)
    BookJob.objects.filter(pk=again.pk).update(
        status=JobStatus.RUNNING, attempt=3, heartbeat_at=dead_at
    )
    assert jobs.reap_book_jobs.call()["failed"] == 1
    assert BookJob.objects.get(pk=again.pk).status == JobStatus.FAILED
