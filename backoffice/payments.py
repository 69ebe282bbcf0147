"""Payments at the desk: the dossier page's fees section, cash and transfer recorded with a
receipt number, refunds, receipts, and the unit's daily reconciliation (screen and XLSX)."""

from datetime import date, datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import User
from dossiers.access import get_dossier_for_user
from dossiers.actions import ActionError
from dossiers.models import Dossier
from orgs.access import unit_ids_for
from orgs.models import Unit
from payments import actions, waivers
from payments.fees import summary
from payments.models import FeeWaiver, Payment, PaymentStatus
from payments.receipt import issued_receipt
from payments.report import VN, day_report, day_xlsx


def current_user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def fees_context(dossier: Dossier) -> dict[str, object]:
    """What the dossier page shows about fees (the payments/_fees.html partial)."""
    return {
        "fees": summary(dossier),
        "payments": Payment.objects.filter(dossier=dossier).order_by("created_at"),
        "refundable": dossier.status in actions.REFUNDABLE_STATUSES,
        "waivers": FeeWaiver.objects.filter(dossier=dossier)
        .select_related("waiver_category", "recorded_by")
        .order_by("recorded_at"),
        # Offered while nothing is paid or being paid (payments.waivers.grant's rule).
        "waiver_categories": waivers.categories_for(dossier)
        if not Payment.objects.filter(
            dossier=dossier, status__in=[PaymentStatus.PENDING, PaymentStatus.PAID]
        ).exists()
        else [],
    }


def _dossier(request: HttpRequest, code: str) -> Dossier:
    dossier = get_dossier_for_user(current_user(request), code)
    if dossier is None:
        raise Http404(_("No dossier %(code)s within your units.") % {"code": code})
    return dossier


def _amount(text: str) -> int:
    digits = text.replace(".", "").replace(",", "").replace(" ", "").strip()
    return int(digits) if digits.isdigit() and len(digits) <= 15 else 0


@login_required
@require_POST
def record(request: HttpRequest, code: str) -> HttpResponse:
    """Record a cash or transfer payment with its receipt number."""
    dossier = _dossier(request, code)
    try:
        payment = actions.record_at_desk(
            dossier,
            method=request.POST.get("method", ""),
            amount_vnd=_amount(request.POST.get("amount_vnd", "")),
            receipt_number=request.POST.get("receipt_number", "")[:40],
            reference=request.POST.get("reference", "")[:60],
            by=current_user(request),
            at=timezone.now(),
        )
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Payment recorded, receipt %(n)s.") % {"n": payment.receipt_number}
        )
    return redirect("backoffice:dossier", code=dossier.code)


@login_required
@require_POST
def refund(request: HttpRequest, code: str, txn_ref: str) -> HttpResponse:
    """Refund a payment of a refused, stopped or cancelled dossier (desk of its unit)."""
    dossier = _dossier(request, code)
    payment = Payment.objects.filter(dossier=dossier, txn_ref=txn_ref).first()
    if payment is None:
        raise Http404
    user = current_user(request)
    if dossier.receiving_unit_id not in unit_ids_for(user, ["desk_officer", "unit_admin"]):
        raise Http404
    try:
        actions.refund(payment, by=user, at=timezone.now())
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Payment refunded."))
    return redirect("backoffice:dossier", code=dossier.code)


@login_required
@require_GET
def receipt(request: HttpRequest, code: str, txn_ref: str) -> HttpResponse:
    """The receipt PDF of one of the dossier's paid payments."""
    dossier = _dossier(request, code)
    payment = Payment.objects.filter(
        dossier=dossier, txn_ref=txn_ref, status__in=[PaymentStatus.PAID, PaymentStatus.REFUNDED]
    ).first()
    if payment is None:
        raise Http404
    response = HttpResponse(issued_receipt(payment), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bien-lai-{payment.txn_ref}.pdf"'
    return response


def _day(text: str) -> date:
    try:
        return datetime.strptime(text, "%d/%m/%Y").replace(tzinfo=VN).date()
    except ValueError:
        return timezone.now().astimezone(VN).date()


@login_required
@require_GET
def reconciliation(request: HttpRequest) -> HttpResponse:
    """The daily reconciliation of one of the user's units; `?format=xlsx` downloads it."""
    ids = unit_ids_for(current_user(request), ["desk_officer", "leader", "unit_admin"])
    units = list(Unit.objects.filter(pk__in=ids).order_by("path"))
    if not units:
        raise Http404
    wanted = request.GET.get("unit", "")
    unit = next((u for u in units if str(u.pk) == wanted), units[0])
    day = _day(request.GET.get("day", ""))
    report = day_report(unit, day)
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            day_xlsx(report),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        name = f"doi-soat-{unit.code}-{day:%Y%m%d}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return render(
        request,
        "backoffice/reconciliation.html",
        {"r": report, "units": units, "unit": unit, "day": day},
    )
