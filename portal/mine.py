"""The citizen's own dossiers under /ho-so-cua-toi/: the list, each dossier's page (progress,
due date, reasons, a supplement answered by upload, files, the signed result, the rating),
and the wallet of documents on file. Every dossier is fetched through
`dossiers.access.citizen_dossiers`: another citizen's code answers 404."""

import logging

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import User
from accounts.ratelimit import limit_requests
from documents.models import Form
from documents.papers import PaperError, has_electronic_result, issue
from documents.signing import SigningError
from dossiers import actions
from dossiers.access import allowed_verbs, citizen_dossiers, version_documents
from dossiers.models import Attachment, Dossier, Status
from dossiers.workflow import Verb
from filing.supplement import supplement_by_upload
from filing.wallet import wallet
from payments.fees import summary as fee_summary
from payments.fees import unpaid_at_filing
from payments.models import Payment
from payments.vnpay import provider
from portal.accounts import citizen_required
from portal.grants import no_store
from portal.payments import let_forms_reach_the_gateway
from portal.progress import notices, plain_status, stages
from stats.actions import RATEABLE, rate
from stats.models import Rating, RatingChannel, Satisfaction
from uploads.gate import Refused
from uploads.limits import truncated
from uploads.serve import stored_response

logger = logging.getLogger(__name__)

_post_limit = limit_requests("filing", "RATE_LIMIT_FILING_PER_MINUTE", methods=("POST",))


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _mine(request: HttpRequest, code: str) -> Dossier:
    dossier = (
        citizen_dossiers(_user(request)).filter(code=code).first() if len(code) <= 60 else None
    )
    if dossier is None:
        raise Http404(_("No dossier %(code)s among yours.") % {"code": code})
    return dossier


@citizen_required
@no_store
@require_GET
def dossiers(request: HttpRequest) -> HttpResponse:
    """The citizen's dossiers, newest first."""
    rows = citizen_dossiers(_user(request)).order_by("-submitted_at", "-id")[:200]
    return render(request, "portal/mine_list.html", {"dossiers": rows})


def _files(d: Dossier) -> list[dict[str, object]]:
    names = {doc.position: doc.name for doc in version_documents(d.procedure_version_id)}
    return [
        {"a": a, "document": names.get(a.document, "") if a.document is not None else ""}
        for a in Attachment.objects.filter(dossier=d).select_related("file").order_by("id")
    ]


@citizen_required
@no_store
@require_GET
def dossier(request: HttpRequest, code: str) -> HttpResponse:
    """One dossier: where it stands, what the agency asks, its files, result and rating."""
    d = _mine(request, code)
    user = _user(request)
    fees = fee_summary(d)
    context = {
        "d": d,
        "plain": plain_status(d),
        "stages": stages(d),
        "files": _files(d),
        "has_result": has_electronic_result(d),
        "can_supplement": Verb.SUPPLEMENT in allowed_verbs(user, d),
        "documents": version_documents(d.procedure_version_id),
        "rating": Rating.objects.filter(dossier=d).first(),
        "rateable": d.status in RATEABLE,
        "choices": Satisfaction.choices,
        "fees": fees,
        # An online filing waits for the fees due at filing before the desk may receive it.
        "pay_first": unpaid_at_filing(fees) if d.status == Status.SUBMITTED else 0,
        "online_payment": provider("vnpay").enabled,
        "payments": Payment.objects.filter(dossier=d).order_by("created_at"),
        **notices(d),
    }
    response = render(request, "portal/mine_dossier.html", context)
    if context["online_payment"] and fees.outstanding_vnd > 0:
        let_forms_reach_the_gateway(response)
    return response


@citizen_required
@_post_limit
@require_POST
def supplement(request: HttpRequest, code: str) -> HttpResponse:
    """Answer the supplement request: the uploaded files, then the `supplement` verb."""
    d = _mine(request, code)
    uploads: list[tuple[int | None, object]] = []
    for doc in version_documents(d.procedure_version_id):
        uploads += [(doc.position, f) for f in request.FILES.getlist(f"file-{doc.position}")]
    uploads += [(None, f) for f in request.FILES.getlist("file-other")]
    try:
        if truncated(request):
            raise Refused("too_large", _("The files are larger than allowed."))
        supplement_by_upload(d, uploads, by=_user(request), at=timezone.now())
    except (Refused, actions.ActionError) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your documents were sent. The agency will go on with it."))
    return redirect("mine:dossier", d.code)


@citizen_required
@no_store
@require_GET
def attachment(request: HttpRequest, code: str, attachment_id: int) -> HttpResponseBase:
    """One of the dossier's files, for the citizen the dossier belongs to."""
    d = _mine(request, code)
    a = Attachment.objects.filter(dossier=d, pk=attachment_id).select_related("file").first()
    if a is None:
        raise Http404(_("No such file."))
    return stored_response(a.file, f"{d.code}-{a.pk}", inline=False)


@citizen_required
@no_store
@require_GET
def result(request: HttpRequest, code: str) -> HttpResponse:
    """The signed electronic result (PDF)."""
    d = _mine(request, code)
    if not has_electronic_result(d):
        raise Http404(_("This dossier has no electronic result yet."))
    try:
        document = issue(d, Form.RESULT, at=timezone.now())
    except (SigningError, PaperError) as exc:
        logger.error("cannot sign the result of %s: %s", d.code, exc.message)
        messages.error(
            request,
            _(
                "The electronic result cannot be signed right now. The agency has been told; "
                "please try again later."
            ),
        )
        return redirect("mine:dossier", d.code)
    response = HttpResponse(bytes(document.content), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{d.code}-ket-qua.pdf"'
    return response


@citizen_required
@_post_limit
@require_POST
def rating(request: HttpRequest, code: str) -> HttpResponse:
    """Rate the finished dossier, once (the rating action the API uses)."""
    d = _mine(request, code)
    try:
        # The portal proves the applicant by the account, as the receipt's code does.
        rate(
            d,
            value=request.POST.get("value", ""),
            comment=request.POST.get("comment", "")[:2000],
            at=timezone.now(),
            channel=RatingChannel.PUBLIC,
            actor=None,
        )
    except actions.ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Thank you for your rating."))
    return redirect("mine:dossier", d.code)


@citizen_required
@no_store
@require_GET
def documents(request: HttpRequest) -> HttpResponse:
    """The wallet: the documents on file for the citizen, reusable in a new filing."""
    return render(request, "portal/mine_documents.html", {"items": wallet(_user(request))})
