"""Figures in the API: the periodic report on dossier results (form 06/VPCP/KSTT)."""

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from api.problems import Problem
from documents import jobs
from documents.access import book_response, may_print_book
from documents.book import BookError, BookQuery
from documents.jobs import finished_file, owned_job
from orgs.lookups import unit_for_period
from stats.access import may_view_figures
from stats.export import report_download
from stats.report import GroupBy, Period, report

router = Router(tags=["stats"])


class ReportQuery(Schema):
    unit: str = Field(..., description="unit code; its sub-units are included")
    from_: date = Field(..., alias="from", description="first day, YYYY-MM-DD")
    to: date = Field(..., description="last day, YYYY-MM-DD")
    by: GroupBy = GroupBy.UNIT
    format: str = Field(
        "json",
        pattern="^(json|pdf|xlsx)$",
        description="json (this schema), or the same report as a pdf or xlsx download",
    )


class RowOut(Schema):
    key: str
    label: str
    received_total: int
    received_online: int
    received_desk_post: int
    carried_over: int
    resolved_total: int
    early: int
    on_time: int
    late: int
    in_progress_total: int
    within_time: int
    overdue: int
    on_time_rate: Decimal | None = Field(None, description="(early + on time) / resolved, %")
    indicator_2_1: Decimal | None = Field(
        None, description="(resolved by the due instant + within time) / received, %"
    )
    digitised: int = Field(
        0, description="received in the period with a file for every required document"
    )
    result_on_file: int = Field(0, description="resolved with an electronic result on file")
    digitised_rate: Decimal | None = Field(
        None, description="digitised / received in the period, %"
    )
    result_on_file_rate: Decimal | None = Field(None, description="result on file / resolved, %")


class ReportOut(Schema):
    unit: str
    unit_name: str
    from_: date = Field(..., alias="from")
    to: date
    by: str
    rate_shown: str = Field("on_time_rate", description="the convention the headline rate uses")
    rows: list[RowOut]
    total: RowOut


@router.get("/report", response=ReportOut, by_alias=True)
def get_report(request: HttpRequest, q: Query[ReportQuery]) -> dict[str, Any] | HttpResponse:
    """Return the report for a unit and its sub-units, by field, procedure or unit.

    `format=pdf|xlsx` downloads the same report as the operations-centre page does.
    """
    unit = unit_for_period(q.unit, q.from_, max(q.from_, q.to))
    if unit is None:
        raise _unit_not_found(q.unit, q.from_, q.to)
    if not may_view_figures(request.auth, unit):  # type: ignore[attr-defined]
        raise Problem(
            403,
            "not-allowed",
            _("Not allowed"),
            _("Your roles do not allow reading the figures of %(unit)s.") % {"unit": unit.name},
        )
    try:
        period = Period(q.from_, q.to)
    except ValueError:
        raise Problem(
            422,
            "invalid-period",
            _("Invalid period"),
            _("The period ends (%(to)s) before it starts (%(start)s).")
            % {"to": q.to.isoformat(), "start": q.from_.isoformat()},
        ) from None
    r = report(unit, period, q.by)
    if q.format != "json":
        return report_download(r, q.format)
    return {
        "unit": unit.code,
        "unit_name": unit.name,
        "from": q.from_,
        "to": q.to,
        "by": q.by.value,
        "rate_shown": "on_time_rate",
        "rows": [row.as_dict() for row in r.rows],
        "total": r.total.as_dict(),
    }


def _unit_not_found(code: str, start: date, end: date) -> Problem:
    """The 404 for a code that named no unit during the period (codes are read as of it)."""
    return Problem(
        404,
        "unit-not-found",
        _("Unit not found"),
        _("No administrative unit bore the code %(code)s between %(start)s and %(end)s.")
        % {"code": code, "start": f"{start:%d/%m/%Y}", "end": f"{end:%d/%m/%Y}"},
    )


class BookQueryIn(Schema):
    from_: date = Field(..., alias="from", description="first day, YYYY-MM-DD")
    to: date = Field(..., description="last day, YYYY-MM-DD")
    channel: str = Field("all", pattern="^(all|online)$", description="all or online")
    format: str = Field("pdf", pattern="^(pdf|xlsx)$", description="pdf or xlsx")


book_router = Router(tags=["papers"])


@book_router.get("/{code}/tracking-book")
def tracking_book(request: HttpRequest, code: str, q: Query[BookQueryIn]) -> HttpResponse:
    """Download form 07, the tracking book of a unit (and the units below it) for a period."""
    unit = unit_for_period(code, q.from_, max(q.from_, q.to))
    if unit is None:
        raise _unit_not_found(code, q.from_, q.to)
    if not may_print_book(request.auth, unit):  # type: ignore[attr-defined]
        raise Problem(
            403,
            "not-allowed",
            _("Not allowed"),
            _("Your roles do not allow printing the tracking book of %(unit)s.")
            % {"unit": unit.name},
        )
    try:
        query = BookQuery(unit, q.from_, q.to, online_only=q.channel == "online")
        made = jobs.book_or_job(
            query,
            q.format,
            user=request.auth,  # type: ignore[attr-defined]
            at=timezone.now(),
        )
    except BookError as exc:
        raise Problem(
            422, "invalid-book", _("The tracking book cannot be made"), str(exc)
        ) from None
    if isinstance(made, bytes):
        return book_response(made, q.format, unit.code, q.from_, q.to)
    response = JsonResponse(_job_dict(made), status=202)
    response["Location"] = _job_url(made)
    return response


def _job_url(job: Any) -> str:
    return f"/api/v1/book-jobs/{job.pk}"


def _job_dict(job: Any) -> dict[str, Any]:
    return {
        "id": str(job.pk),
        "status": job.status,
        "progress_percent": job.progress / 10,
        "rows": job.total,
        # Runs started so far: 2 or more when a worker died or an error was retried.
        "attempt": job.attempt,
        "error": job.error,
        "status_url": _job_url(job),
        "file_url": _job_url(job) + "/file" if job.status == "done" else None,
    }


book_job_router = Router(tags=["papers"])


def _own_job(request: HttpRequest, job_id: uuid.UUID) -> Any:

    job = owned_job(job_id, request.auth)  # type: ignore[attr-defined]
    if job is None:
        raise Problem(404, "job-not-found", _("Not found"), _("No such tracking book job."))
    return job


@book_job_router.get("/{job_id}")
def book_job(request: HttpRequest, job_id: uuid.UUID) -> dict[str, Any]:
    """Progress of a large tracking book (202 from tracking-book points here)."""
    return _job_dict(_own_job(request, job_id))


@book_job_router.get("/{job_id}/file")
def book_job_file(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    """The finished book; 409 while it is still being made."""
    job = _own_job(request, job_id)
    if not may_print_book(request.auth, job.unit):  # type: ignore[attr-defined]
        raise Problem(
            403,
            "not-allowed",
            _("Not allowed"),
            _("Your roles do not allow printing the tracking book of %(unit)s.")
            % {"unit": job.unit.name},
        )
    content = finished_file(job)
    if content is None:
        raise Problem(409, "book-not-ready", _("Not ready"), _("The book is not ready yet."))
    return book_response(content, job.format, job.unit.code, job.start, job.end)
