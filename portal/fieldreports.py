"""Field reports on the portal (/phan-anh/): a signed-in citizen sends one and follows their
own; anyone opens a report's public page by its number (no personal data, as the Open311
answers)."""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.ratelimit import limit_requests
from fieldreports import access, actions
from fieldreports.models import Category, FieldReport, ReportStatus
from orgs.models import Unit, UnitKind
from portal.accounts import citizen_required
from uploads.gate import Refused

_post_limit = limit_requests("filing", "RATE_LIMIT_FILING_PER_MINUTE", methods=("POST",))
_public_limit = limit_requests("public", "RATE_LIMIT_PUBLIC_PER_MINUTE")


def _wards() -> Any:
    today = timezone.localdate()
    return Unit.objects.current_at(today).filter(kind__in=[UnitKind.WARD, UnitKind.COMMUNE])


@citizen_required
def mine(request: HttpRequest) -> HttpResponse:
    """The citizen's own reports, newest first."""
    reports = access.of_reporter(request.user).select_related("category", "unit")[:200]
    return render(request, "portal/reports_mine.html", {"reports": reports, "now": timezone.now()})


@citizen_required
@_post_limit
@require_http_methods(["GET", "POST"])
def send(request: HttpRequest) -> HttpResponse:
    """The form: category, ward or commune, address, description, photos."""
    context: dict[str, Any] = {
        "categories": Category.objects.filter(is_active=True),
        "wards": _wards(),
        "values": request.POST,
    }
    if request.method == "POST":
        user = request.user
        sub = actions.Submission(
            service_code=request.POST.get("service_code", ""),
            jurisdiction_id=request.POST.get("unit", ""),
            address_string=request.POST.get("address", ""),
            description=request.POST.get("description", ""),
            phone=getattr(user, "phone", ""),
            email=getattr(user, "email", ""),
        )
        try:
            report = actions.submit(
                sub, media=request.FILES.getlist("media"), reporter=user, at=timezone.now()
            )
        except (actions.BadReport, Refused) as exc:
            context["error"] = exc.message
        else:
            messages.success(request, _("Your report is received. Thank you."))
            return redirect("reports:public", pk=report.pk)
    return render(request, "portal/reports_send.html", context)


@_public_limit
def public(request: HttpRequest, pk: int) -> HttpResponse:
    """A report as the public sees it: category, place, status, deadline, replies, photos."""
    report = FieldReport.objects.select_related("category", "unit", "agency").filter(pk=pk).first()
    if report is None:
        raise Http404
    context = {
        "report": report,
        "photos": [p for p in report.photos.all() if p.reply_id is None],
        "replies": report.replies.prefetch_related("photos"),
        "overdue": report.status == ReportStatus.OPEN and report.expected_at <= timezone.now(),
    }
    return render(request, "portal/report_public.html", context)
