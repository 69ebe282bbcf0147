"""Paying online: the citizen's "pay" button, the gateway's IPN (the only call that marks a
payment paid), the return page (shows the outcome, changes nothing) and the receipts.

    POST /ho-so-cua-toi/<code>/thanh-toan/         start (or resume) the online payment
    GET  /payments/vnpay/ipn                        the gateway's server-to-server notice
    GET  /payments/vnpay/return                     where the gateway sends the browser back
    GET  /ho-so-cua-toi/<code>/bien-lai/<ref>.pdf   a receipt
"""

import ipaddress
import logging
from urllib.parse import parse_qsl, urlsplit

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from accounts.clientip import client_ip
from accounts.models import User
from accounts.ratelimit import limit_requests
from dossiers.access import citizen_dossiers
from dossiers.actions import ActionError
from dossiers.models import Dossier
from payments import actions
from payments.models import Payment, PaymentStatus
from payments.receipt import issued_receipt
from payments.vnpay import provider
from portal.accounts import citizen_required
from portal.grants import no_store

logger = logging.getLogger(__name__)

_pay_limit = limit_requests("payment", "RATE_LIMIT_FILING_PER_MINUTE", methods=("POST",))
_public_limit = limit_requests("payment-return", "RATE_LIMIT_PUBLIC_PER_MINUTE")


def _mine(request: HttpRequest, code: str) -> Dossier:
    user = request.user
    assert isinstance(user, User)
    dossier = citizen_dossiers(user).filter(code=code).first() if len(code) <= 60 else None
    if dossier is None:
        raise Http404(_("No dossier %(code)s among yours.") % {"code": code})
    return dossier


@citizen_required
@_pay_limit
@require_POST
def pay(request: HttpRequest, code: str) -> HttpResponse:
    """Start the online payment of what the dossier owes and send the citizen to the gateway.
    A second click while the first payment lasts resumes it."""
    d = _mine(request, code)
    now = timezone.now()
    if not provider("vnpay").enabled:
        messages.error(request, _("Online payment is not available; pay at the one-stop desk."))
        return redirect("mine:dossier", code=d.code)
    try:
        payment = actions.start_online(d, provider="vnpay", at=now)
    except ActionError as exc:
        messages.error(request, exc.message)
        return redirect("mine:dossier", code=d.code)
    return_url = request.build_absolute_uri(reverse("payments_return"))
    url = provider(payment.provider).pay_url(
        payment, client_ip=client_ip(request), return_url=return_url, now=now
    )
    logger.info("payment %s started for %s", payment.txn_ref, d.code)
    return redirect(url)


def let_forms_reach_the_gateway(response: HttpResponse) -> HttpResponse:
    """Allow the page's pay button to end at the gateway: it posts here and is redirected to
    the payment page, and browsers hold a redirect after a form submission to the page's
    Content-Security-Policy form-action (Chromium blocks it otherwise)."""
    parts = urlsplit(settings.VNPAY_PAY_URL)
    if parts.scheme in ("http", "https") and parts.netloc:
        # django-csp 4 adds the response's _csp_update to the policy it sends.
        response._csp_update = {"form-action": [f"{parts.scheme}://{parts.netloc}"]}  # type: ignore[attr-defined]
    return response


def _from_gateway(address: str) -> bool:
    """Whether an IPN may come from `address` (VNPAY_IPN_ALLOWED_IPS; empty: any source)."""
    allowed = settings.VNPAY_IPN_ALLOWED_IPS
    if not allowed:
        return True
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(net, strict=False) for net in allowed)


def _notice_params(request: HttpRequest) -> dict[str, str]:
    """The query's vnp_ parameters (the last of a repeated name, as request.GET gives), read
    straight from the query string: building a QueryDict was a tenth of a notice's time."""
    try:
        pairs = parse_qsl(
            request.META.get("QUERY_STRING", ""),
            keep_blank_values=True,
            max_num_fields=settings.DATA_UPLOAD_MAX_NUMBER_FIELDS,
        )
    except ValueError:  # more fields than any notice has: no parameters, answered 97
        return {}
    return {k: v for k, v in pairs if k.startswith("vnp_")}


@csrf_exempt
@require_GET
def vnpay_ipn(request: HttpRequest) -> JsonResponse:
    """The gateway's notice: checksum, reference, amount, then settle once; VNPay's JSON."""
    params = _notice_params(request)
    source = client_ip(request)
    if not _from_gateway(source):
        logger.warning("IPN %s refused from %s", params.get("vnp_TxnRef", "?"), source)
        return JsonResponse({"RspCode": "99", "Message": "Source not allowed"}, status=403)
    try:
        code, message = actions.settle(provider("vnpay").read_notice(params), at=timezone.now())
    except Exception:
        # The gateway retries on anything but a protocol answer; never a 5xx.
        logger.exception("IPN for %s failed", params.get("vnp_TxnRef", "?"))
        code, message = actions.OTHER
    if code != "00":
        logger.warning(
            "IPN %s from %s answered %s", params.get("vnp_TxnRef", "?"), client_ip(request), code
        )
    return JsonResponse({"RspCode": code, "Message": message})


@_public_limit
@require_GET
@no_store
def vnpay_return(request: HttpRequest) -> HttpResponse:
    """Where the gateway sends the browser: the outcome as the books have it (nothing changes
    here; the IPN settles the payment)."""
    params = {k: str(v) for k, v in request.GET.items() if k.startswith("vnp_")}
    notice = provider("vnpay").read_notice(params)
    payment = (
        Payment.objects.select_related("dossier").filter(txn_ref=notice.txn_ref).first()
        if notice is not None
        else None
    )
    if payment is None:
        outcome = "invalid"
    elif payment.status == PaymentStatus.PAID:
        outcome = "paid"
    elif payment.status == PaymentStatus.PENDING and notice is not None and notice.succeeded:
        outcome = "confirming"
    else:
        outcome = "failed"
    return render(request, "portal/payment_return.html", {"outcome": outcome, "payment": payment})


@citizen_required
@no_store
@require_GET
def receipt(request: HttpRequest, code: str, txn_ref: str) -> HttpResponse:
    """The receipt of one of the citizen's paid payments."""
    d = _mine(request, code)
    payment = Payment.objects.filter(
        dossier=d, txn_ref=txn_ref, status__in=[PaymentStatus.PAID, PaymentStatus.REFUNDED]
    ).first()
    if payment is None:
        raise Http404(_("No such receipt."))
    response = HttpResponse(issued_receipt(payment), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bien-lai-{payment.txn_ref}.pdf"'
    return response
