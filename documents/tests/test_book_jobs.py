"""Large tracking books run in the background: a progress page, then the file.

The threshold is lowered to 1 row so a small history exercises the background path.
"""

import io
import time
import uuid
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from conftest import World
from documents import jobs
from documents.models import BookJob, JobStatus
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
    settings.BACKGROUND_INLINE = True
    return settings


def test_a_large_book_goes_to_a_job_with_progress_and_file(
    world: World, client: Client, small_threshold: Any
) -> None:
    codes = history(world)
    c = desk(client)
    r = c.get("/desk/book/", {**BOOK, "unit": world.ward_a.pk, "format": "xlsx"})
    assert r.status_code == 302 and "/desk/book/jobs/" in r["Location"]
    job = BookJob.objects.get()
    assert job.total == 2 and job.status == JobStatus.DONE and job.progress == 1000

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
    assert [row[1] for row in list(ws.iter_rows(values_only=True))[3:]] == codes


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
    from documents.book import BookQuery

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
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.content is not None
    assert bytes(job.content).startswith(b"%PDF")


def test_a_failed_job_says_why(world: World, small_threshold: Any, monkeypatch: Any) -> None:
    history(world)

    def broken(*args: Any) -> bytes:
        raise RuntimeError("disk full")

    monkeypatch.setattr(jobs, "book_pdf", broken)
    c = desk(Client())
    r = c.get("/desk/book/", {**BOOK, "unit": world.ward_a.pk, "format": "pdf"})
    job = BookJob.objects.get()
    assert job.status == JobStatus.FAILED and job.content is None
    body = c.get(r["Location"]).content.decode()
    assert "Thử lại" in body and "disk full" not in body
    assert c.get(f"/desk/book/jobs/{job.pk}/file").status_code == 404


def test_two_workers_cannot_both_take_a_job(world: World, small_threshold: Any) -> None:
    from documents.book import BookQuery

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
def test_a_real_background_thread_finishes_the_book(world: World, settings: Any) -> None:
    settings.BOOK_SYNC_MAX_ROWS = 1
    settings.BACKGROUND_INLINE = False
    history(world)
    c = desk(Client())
    r = c.get("/desk/book/", {**BOOK, "unit": world.ward_a.pk, "format": "pdf"})
    assert r.status_code == 302
    deadline = time.monotonic() + 60
    job = BookJob.objects.get()
    while job.status != JobStatus.DONE and time.monotonic() < deadline:
        assert job.status != JobStatus.FAILED, job.error
        time.sleep(0.2)
        job.refresh_from_db()
    assert job.status == JobStatus.DONE
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
    status = api.get(body["status_url"], **auth).json()
    assert status["status"] == "done" and status["progress_percent"] == 100
    f = api.get(status["file_url"], **auth)
    ws = load_workbook(io.BytesIO(f.content)).active
    assert ws is not None
    assert [row[1] for row in list(ws.iter_rows(values_only=True))[3:]] == codes
    # Someone else's job does not exist for you.
    other = bearer(Client(), "leader_a")
    assert api.get(body["status_url"], **other).status_code == 404
    # Not finished yet: 409 problem.
    BookJob.objects.filter(pk=body["id"]).update(status=JobStatus.RUNNING, content=None)
    pending = api.get(body["status_url"] + "/file", **auth)
    assert pending.status_code == 409
    assert pending["Content-Type"].startswith("application/problem+json")


def test_old_jobs_are_dropped_when_a_new_one_starts(world: World, small_threshold: Any) -> None:
    from documents.book import BookQuery

    q = BookQuery(world.ward_a, BOOK_END.replace(day=1), BOOK_END)
    old = jobs.create(q, "xlsx", user=world.desk_a, at=timezone.now() - timedelta(days=8), total=0)
    jobs.create(q, "xlsx", user=world.desk_a, at=timezone.now(), total=0)
    assert not BookJob.objects.filter(pk=old.pk).exists()
    assert BookJob.objects.count() == 1
