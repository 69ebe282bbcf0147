"""The desk's field reports: the list of the units one serves, one report, the public reply."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from fieldreports import access, actions
from fieldreports.models import FieldReport, ReportStatus
from lib.ids import mask_contact
from uploads.gate import Refused

LIMIT = 200
FILTERS = ("open", "overdue", "closed", "all")


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    """The reports of the user's units, by status: open (default), overdue, closed, all."""
    shown = request.GET.get("status", "open")
    if shown not in FILTERS:
        shown = "open"
    now = timezone.now()
    reports = access.visible_to(request.user).select_related("category", "unit", "agency")
    if shown == "open":
        reports = reports.open().order_by("expected_at", "pk")
    elif shown == "overdue":
        reports = reports.overdue(now).order_by("expected_at", "pk")
    elif shown == "closed":
        reports = reports.filter(status=ReportStatus.CLOSED)
    rows = list(reports[: LIMIT + 1])
    context = {
        "rows": rows[:LIMIT],
        "more": len(rows) > LIMIT,
        "limit": LIMIT,
        "shown": shown,
        "filters": FILTERS,
        "now": now,
    }
    return render(request, "backoffice/field_reports.html", context)


def _report(request: HttpRequest, pk: int) -> FieldReport:
    report = (
        access.visible_to(request.user)
        .select_related("category", "unit", "agency")
        .filter(pk=pk)
        .first()
    )
    if report is None:
        raise Http404
    return report


@login_required
@require_http_methods(["GET", "POST"])
def report_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One report with its contact (masked), photos, replies, and the reply form."""
    report = _report(request, pk)
    may_answer = access.may_answer(request.user, report)
    error = ""
    if request.method == "POST":
        if not may_answer:
            raise Http404
        try:
            actions.reply(
                report,
                request.POST.get("text", ""),
                by=request.user,
                at=timezone.now(),
                close=request.POST.get("close") == "1",
                media=request.FILES.getlist("media"),
            )
        except actions.BadReport as exc:
            error = exc.message
        except Refused as exc:
            error = exc.message
        else:
            messages.success(request, _("The reply is published."))
            return redirect("backoffice:field_report", pk=report.pk)
    context = {
        "report": report,
        "may_answer": may_answer and report.status == ReportStatus.OPEN,
        "error": error,
        "text": request.POST.get("text", "") if error else "",
        "phone": mask_contact(report.phone) if report.phone else "",
        "email": mask_contact(report.email) if report.email else "",
        "photos": [p for p in report.photos.all() if p.reply_id is None],
        "replies": report.replies.prefetch_related("photos").select_related("by"),
        "overdue": report.status == ReportStatus.OPEN and report.expected_at <= timezone.now(),
    }
    return render(request, "backoffice/field_report.html", context)
