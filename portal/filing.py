"""Online filing under /nop-ho-so/<procedure code>/: the applicant form, one upload per
document (or a file from the wallet), a review, the submission. Thin: the draft and its
rules live in `filing.actions`."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from accounts.ratelimit import limit_requests
from catalog.public import filing_units, is_online, version_in_force
from dossiers import actions as dossier_actions
from dossiers.access import version_documents
from filing import actions
from filing.models import Draft
from filing.wallet import wallet
from lib.numwords import vnd_figures
from payments.fees import summary as fee_summary
from payments.fees import unpaid_at_filing
from portal.accounts import citizen_required
from portal.filing_forms import ApplicantForm
from portal.grants import no_store
from uploads.gate import Refused
from uploads.limits import truncated


def _filing_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A signed-in citizen's page of an online filing: the draft of procedure `code`."""

    @wraps(view)
    def wrapper(request: HttpRequest, code: str) -> HttpResponse:
        version = version_in_force(code) if len(code) <= 30 else None
        if version is None or not is_online(version):
            raise Http404(_("This procedure cannot be filed online."))
        user = request.user
        assert isinstance(user, User)
        draft = actions.open_draft(user, version, at=timezone.now())
        return view(request, draft)

    limited = limit_requests("filing", "RATE_LIMIT_FILING_PER_MINUTE", methods=("POST",))
    return citizen_required(no_store(limited(wrapper)))


def _documents(draft: Draft) -> list[dict[str, Any]]:
    files = {f.document: f for f in draft.files.select_related("file")}
    return [
        {"doc": d, "chosen": files.get(d.position)} for d in version_documents(draft.version_id)
    ]


def _context(draft: Draft, **extra: Any) -> dict[str, Any]:
    return {"draft": draft, "p": draft.version.procedure, "v": draft.version, **extra}


@require_http_methods(["GET", "POST"])
@_filing_page
def applicant(request: HttpRequest, draft: Draft) -> HttpResponse:
    """Step 1: the applicant (prefilled from the profile) and the receiving unit."""
    units = filing_units(draft.version)
    initial = {**draft.applicant, "unit": draft.unit_id}
    form = ApplicantForm(request.POST or None, initial=initial, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_applicant(
                draft, form.cleaned_data, form.cleaned_data["unit"], at=timezone.now()
            )
        except actions.FilingError as exc:
            form.add_error("unit", exc.message)
        else:
            return redirect("filing:documents", draft.version.procedure.code)
    return render(request, "portal/filing_applicant.html", _context(draft, form=form, step=1))


def _document_choice(request: HttpRequest, draft: Draft) -> tuple[int, str] | None:
    raw = request.POST.get("document", "")
    return (int(raw), raw) if raw.isdigit() and len(raw) < 4 else None


@require_http_methods(["GET", "POST"])
@_filing_page
def documents(request: HttpRequest, draft: Draft) -> HttpResponse:
    """Step 2: one file per document, uploaded through the gate or taken from the wallet."""
    errors: dict[int, str] = {}
    status = 200
    if request.method == "POST":
        choice = _document_choice(request, draft)
        user = request.user
        assert isinstance(user, User)
        if choice is None:
            raise Http404(_("This procedure has no such document."))
        position = choice[0]
        try:
            if request.POST.get("remove"):
                actions.remove_file(draft, position)
            elif request.POST.get("wallet"):
                actions.put_from_wallet(draft, position, request.POST["wallet"], at=timezone.now())
            else:
                if truncated(request):
                    raise Refused("too_large", _("The file is larger than allowed."))
                upload = request.FILES.get("file")
                if upload is None:
                    raise Refused("missing", _("Choose a file to upload."))
                actions.put_upload(draft, position, upload, by=user, at=timezone.now())
        except Refused as exc:
            errors[position], status = exc.message, exc.status
        except (actions.FilingError, dossier_actions.ActionError) as exc:
            errors[position], status = exc.message, 422
        else:
            return redirect("filing:documents", draft.version.procedure.code)
    rows = _documents(draft)
    for row in rows:
        row["error"] = errors.get(row["doc"].position, "")
    user = request.user
    assert isinstance(user, User)
    context = _context(draft, rows=rows, wallet=wallet(user), step=2)
    return render(request, "portal/filing_documents.html", context, status=status)


@require_http_methods(["GET", "POST"])
@_filing_page
def review(request: HttpRequest, draft: Draft) -> HttpResponse:
    """Step 3: everything on one page; the POST submits (one dossier, however many clicks)."""
    error = ""
    if request.method == "POST":
        user = request.user
        assert isinstance(user, User)
        raw = request.POST.get("draft", "")
        if not raw.isdigit() or int(raw) != draft.pk:
            # The draft this page showed is gone: submitted by the first of two clicks.
            messages.info(request, _("This draft was already submitted or deleted."))
            return redirect("mine:list")
        try:
            dossier = actions.submit(draft.pk, user, at=timezone.now())
        except (actions.FilingError, dossier_actions.ActionError) as exc:
            error = exc.message
        else:
            unpaid = unpaid_at_filing(fee_summary(dossier))
            if unpaid:
                messages.warning(
                    request,
                    _(
                        "Dossier %(code)s was submitted. Pay the %(amount)s VND due at filing: "
                        "the one-stop desk receives it once it is paid."
                    )
                    % {"code": dossier.code, "amount": vnd_figures(unpaid)},
                )
            else:
                messages.success(
                    request,
                    _("Dossier %(code)s was submitted. The one-stop desk will check it.")
                    % {"code": dossier.code},
                )
            return redirect("mine:dossier", dossier.code)
    context = _context(
        draft,
        rows=_documents(draft),
        missing=actions.missing_documents(draft),
        error=error,
        step=3,
    )
    return render(request, "portal/filing_review.html", context, status=422 if error else 200)


@require_POST
@_filing_page
def delete(request: HttpRequest, draft: Draft) -> HttpResponse:
    """Delete the draft and its uploaded files."""
    actions.delete_draft(draft)
    messages.info(request, _("The draft was deleted."))
    return redirect("mine:list")
