"""Render the official papers as PDF (WeasyPrint) and keep each one once, by content hash."""

import base64
import hashlib
import io
import logging
from datetime import datetime
from typing import Any

import qrcode
from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from weasyprint import HTML

from catalog.models import DocumentForm
from documents.models import Form, IssuedDocument
from documents.signing import SigningError, credential_for, sign_pdf
from dossiers.digitization import mark_result_on_file
from dossiers.models import Channel, Dossier, DossierEvent, Punctuality
from orgs.models import ONE_STOP_DESK

logger = logging.getLogger(__name__)

RESULT_PLACE = {
    Channel.DESK: "Bộ phận Một cửa nơi nộp hồ sơ",
    Channel.POST: "Địa chỉ người nộp, qua dịch vụ bưu chính công ích",
    Channel.ONLINE: "Trực tuyến, trên Cổng dịch vụ công",
}


def public_lookup_url() -> str:
    """The public lookup page's address, printed on the papers for typing code and PIN."""
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}{reverse('portal:lookup')}"


def public_status_url(dossier: Dossier) -> str:
    """The address the QR code opens: the lookup page with code and PIN in the fragment.

    A fragment never reaches the server (so never its logs); the page's script posts it
    (docs/adr/0013-lookup-without-pin-in-url.md).
    """
    return f"{public_lookup_url()}#{dossier.code}.{dossier.public_secret}"


def qr_data_uri(text: str) -> str:
    """Return a PNG QR code of `text` as a data: URI (no file, no network)."""
    image = qrcode.make(text, box_size=6, border=2)
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


def render_receipt(dossier: Dossier) -> bytes:
    """Render form 01, the receipt and appointment slip, as an A5 PDF."""
    desk = dossier.receiving_unit.agencies.filter(kind__code=ONE_STOP_DESK).first()
    url = public_status_url(dossier)
    received = dossier.events.filter(verb__in=["receive", "accept"]).select_related("actor").first()
    version = dossier.procedure_version
    fee = version.fee_vnd + version.charge_vnd
    forms = dict(DocumentForm.choices)
    html = render_to_string(
        "documents/form01.html",
        {
            "d": dossier,
            "desk": desk,
            "url": url,
            "lookup_url": public_lookup_url(),
            "qr": qr_data_uri(url),
            "number": settings.FORM_NUMBERS[Form.RECEIPT],
            "documents": [
                {**doc, "form_label": forms.get(doc.get("form", ""), doc.get("form", ""))}
                for doc in dossier.documents
            ],
            "officer": received.actor.get_full_name() if received and received.actor else "",
            "entry": dossier.code.rsplit("-", 1)[-1],
            "fee": f"{fee:,} đồng".replace(",", ".") if fee else "Không thu phí, lệ phí",
            "result_place": RESULT_PLACE[Channel(dossier.channel)],
        },
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def _local(value: str | datetime | None) -> str:
    """Format an instant as the forms write it: 17 giờ 00 phút, ngày 05/03/2026."""
    if value is None:
        return "…"
    at = datetime.fromisoformat(value) if isinstance(value, str) else value
    at = timezone.localtime(at)
    return f"{at:%H} giờ {at:%M} phút, ngày {at:%d/%m/%Y}"


def _agency_name(dossier: Dossier, kind: str) -> str:
    unit = dossier.receiving_unit if kind == ONE_STOP_DESK else dossier.competent_unit
    agency = unit.agencies.filter(kind__code=kind, is_active=True).first()
    return agency.name if agency else unit.name


def _last_event(dossier: Dossier, verbs: list[str]) -> DossierEvent | None:
    return dossier.events.filter(verb__in=verbs).select_related("actor").order_by("-seq").first()


def _slip(template: str, form: Form, dossier: Dossier, **context: Any) -> bytes:

    issuer_kind = context.pop("issuer_kind", ONE_STOP_DESK)
    unit = dossier.receiving_unit if issuer_kind == ONE_STOP_DESK else dossier.competent_unit
    event = context.get("event")
    if dossier.public_secret:
        context.setdefault("qr", qr_data_uri(public_status_url(dossier)))
    html = render_to_string(
        template,
        {
            "d": dossier,
            "title": Form(form).label,
            "number": settings.FORM_NUMBERS.get(form, ""),
            "issuer": _agency_name(dossier, issuer_kind),
            "issuer_parent": unit.name,
            "place": unit.name,
            "at": event.at if event is not None else (dossier.received_at or timezone.now()),
            "actor": event.actor.get_full_name() if event is not None and event.actor else "",
            **context,
        },
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def render_supplement(dossier: Dossier) -> bytes:
    """Form 02: what to add or correct, why, and whom to ask."""
    event = _last_event(dossier, ["request_supplement"])
    contact = dossier.receiving_unit.phone or _agency_name(dossier, ONE_STOP_DESK)
    return _slip("documents/form02.html", Form.SUPPLEMENT, dossier, event=event, contact=contact)


def render_refusal(dossier: Dossier) -> bytes:
    """Form 03: the refusal to receive or to resolve, with its reasons."""
    event = _last_event(dossier, ["refuse", "refuse_result"])
    kind = ONE_STOP_DESK if event is not None and event.verb == "refuse" else "leadership"
    return _slip("documents/form03.html", Form.REFUSAL, dossier, event=event, issuer_kind=kind)


def render_apology(dossier: Dossier) -> bytes:
    """Form 04: the processing agency's apology and the one new appointment."""
    event = _last_event(dossier, ["apologize"])
    payload = dict(event.payload) if event is not None else {}
    payload["old_due_at_display"] = _local(payload.get("old_due_at"))
    payload["due_at_display"] = _local(payload.get("due_at"))
    if event is not None:
        event.payload = payload
    return _slip(
        "documents/form04.html",
        Form.APOLOGY,
        dossier,
        event=event,
        issuer_kind="leadership",
        receiving_desk=_agency_name(dossier, ONE_STOP_DESK),
    )


def render_stop(dossier: Dossier) -> bytes:
    """Form 05: the notice that processing stopped at the applicant's request."""
    event = _last_event(dossier, ["stop"])
    return _slip("documents/form05.html", Form.STOP, dossier, event=event)


def render_control(dossier: Dossier) -> bytes:
    """Form 06: one row per hand-off with its instant, giver, receiver and result."""
    labels = dict(Punctuality.choices)
    rows = []
    previous_actor = ""
    for step in dossier.steps.select_related("agency", "finished_by").order_by("id"):
        rows.append(
            {
                "agency": step.agency.name,
                "at": step.started_at,
                "giver": previous_actor or "…",
                "receiver": step.finished_by.get_full_name() if step.finished_by else "…",
                "result": labels.get(step.punctuality or "", ""),
                "note": step.name,
            }
        )
        previous_actor = step.finished_by.get_full_name() if step.finished_by else ""
    return _slip("documents/form06.html", Form.CONTROL, dossier, handoffs=rows, page_size="A4")


def verify_url(dossier: Dossier) -> str:
    """The public /verify address for this dossier's signed result."""
    path = reverse("verify")
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}{path}?code={dossier.code}"


def render_result(dossier: Dossier) -> bytes:
    """The electronic result of an online dossier, before signing (A4, competent unit)."""
    event = _last_event(dossier, ["approve"])
    url = verify_url(dossier)
    name = dossier.competent_unit.name
    authority = f"Ủy ban nhân dân {name[:1].lower()}{name[1:]}"
    return _slip(
        "documents/result.html",
        Form.RESULT,
        dossier,
        event=event,
        issuer_kind="leadership",
        title="Thông báo kết quả giải quyết thủ tục hành chính",
        issuer=authority,
        issuer_parent="",
        authority=authority,
        page_size="A4",
        qr=qr_data_uri(url),
        qr_caption="Kiểm tra chữ ký số",
        verify_url=url,
        received=_local(dossier.received_at),
        due=_local(dossier.due_at),
        approved=_local(event.at if event is not None else None),
    )


def has_electronic_result(dossier: Dossier) -> bool:
    """Online dossiers get their result as a signed PDF once a leader approved it."""
    if dossier.channel != Channel.ONLINE:
        return False
    verbs = set(dossier.events.values_list("verb", flat=True).distinct())
    return "approve" in verbs and not verbs & {"stop", "cancel", "refuse_result"}


RENDERERS = {
    Form.RECEIPT: render_receipt,
    Form.SUPPLEMENT: render_supplement,
    Form.REFUSAL: render_refusal,
    Form.APOLOGY: render_apology,
    Form.STOP: render_stop,
    Form.CONTROL: render_control,
}

# The event that makes each slip due; the receipt and control slip exist once received.
_EVENT_FOR = {
    Form.SUPPLEMENT: ["request_supplement"],
    Form.REFUSAL: ["refuse", "refuse_result"],
    Form.APOLOGY: ["apologize"],
    Form.STOP: ["stop"],
}


def available_forms(dossier: Dossier) -> list[Form]:
    """The paper slips this dossier has; online dossiers get none (the seed's commune asked)."""
    if dossier.channel == Channel.ONLINE or dossier.received_at is None:
        return []
    verbs = set(dossier.events.values_list("verb", flat=True))
    forms = [Form.RECEIPT]
    forms += [f for f, needed in _EVENT_FOR.items() if verbs & set(needed)]
    forms.append(Form.CONTROL)
    return sorted(forms)


class PaperError(Exception):
    """A paper cannot be made from this dossier as it stands; the message says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _check_fields(dossier: Dossier, form: Form) -> None:
    """Refuse to print a paper with a blank where the form needs a fact (e.g. old imports)."""
    needed = {
        "applicant_name": _("the applicant's name"),
        "applicant_id_number": _("the applicant's ID number or tax code"),
        "received_at": _("the receipt instant"),
    }
    if form in (Form.RECEIPT, Form.APOLOGY, Form.RESULT):
        needed["due_at"] = _("the appointment (due instant)")
    missing = [label for name, label in needed.items() if not getattr(dossier, name)]
    if missing:
        raise PaperError(
            _("Form %(form)s cannot be printed: the dossier lacks %(fields)s. Complete it first.")
            % {"form": form.value, "fields": ", ".join(str(m) for m in missing)}
        )


def issue(dossier: Dossier, form: Form, *, at: datetime) -> IssuedDocument:
    """Return the paper for this dossier and form, rendering and storing it the first time.

    The electronic result is signed with the competent unit's certificate before it is
    stored; a certificate problem raises `SigningError` and a blank the form needs raises
    `PaperError`; either way nothing is stored.
    """
    found = IssuedDocument.objects.filter(dossier=dossier, form=form).first()
    if found is not None:
        return found
    _check_fields(dossier, form)
    signer, signed_at = "", None
    if form == Form.RESULT:
        credential = credential_for(dossier.competent_unit, at=at)
        content = sign_pdf(
            render_result(dossier),
            credential,
            reason=f"Kết quả giải quyết hồ sơ {dossier.code}",
            location=dossier.competent_unit.name,
        )
        signer, signed_at = credential.subject, at
    else:
        content = RENDERERS[form](dossier)
    try:
        with transaction.atomic():
            stored = IssuedDocument.objects.create(
                dossier=dossier,
                form=form,
                sha256=hashlib.sha256(content).hexdigest(),
                content=content,
                size=len(content),
                created_at=at,
                signer=signer,
                signed_at=signed_at,
            )
            if signed_at is not None:
                # The signed result is the result on file: the flag and the report's counter
                # move with the stored document (dossiers.digitization, ADR 16).
                mark_result_on_file(dossier)
            return stored
    except IntegrityError:
        # Two clerks printed at once: both get the first stored file.
        return IssuedDocument.objects.get(dossier=dossier, form=form)


def check_signing(dossier: Dossier, verb: str, *, at: datetime) -> None:
    """Before a leader approves an online dossier, make sure its result can be signed.

    Raises `SigningError` (nothing is approved) when the competent unit's certificate is
    missing, expired or broken: an approval whose result cannot be delivered helps nobody.
    """
    if verb == "approve" and dossier.channel == Channel.ONLINE:
        credential_for(dossier.competent_unit, at=at)
        _check_fields(dossier, Form.RESULT)


def issue_result_after(dossier: Dossier, verb: str, *, at: datetime) -> IssuedDocument | None:
    """After an approval commits, sign and store the electronic result straight away."""
    if verb != "approve" or not has_electronic_result(dossier):
        return None

    try:
        return issue(dossier, Form.RESULT, at=at)
    except (SigningError, PaperError) as exc:
        # The certificate broke between the check and now; the result is signed on first
        # download instead, and the download page says so if it still cannot be.
        logger.error("result of %s not signed after approval: %s", dossier.code, exc)
    except Exception:
        # The approval has committed; never turn it into an error page. Logged for IT.
        logger.exception("result of %s not issued after approval", dossier.code)
    return None
