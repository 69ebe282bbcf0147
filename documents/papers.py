"""Render the official papers as PDF (WeasyPrint) and keep each one once, by content hash."""

import base64
import hashlib
import io
import itertools
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
from documents.wording import committee, place_name, vn_instant
from dossiers.access import version_documents, workflow_steps
from dossiers.digitization import mark_result_on_file
from dossiers.models import Channel, Dossier, DossierEvent, Punctuality
from orgs.models import ONE_STOP_DESK, Agency, Role, StaffRole

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


# The forms' titles by numbering (settings.FORM_NUMBERING); form 04 was renamed in 2025.
TITLES = {
    Form.RECEIPT: "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
    Form.SUPPLEMENT: "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
    Form.REFUSAL: "Phiếu từ chối tiếp nhận, giải quyết hồ sơ",
    Form.APOLOGY: "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết",
    Form.STOP: "Thông báo dừng giải quyết hồ sơ",
    Form.CONTROL: "Phiếu kiểm soát quá trình giải quyết hồ sơ",
}
TITLES_2018 = {**TITLES, Form.APOLOGY: "Phiếu xin lỗi và hẹn lại ngày trả kết quả"}

# The number (số) of the papers issued at most once per dossier (one supplement request, one
# apology, one stop: Decree 118 arts. 19.5, 19.6, 21): the dossier's entry in the tracking book,
# unique in its volume, and the paper's abbreviation.
PAPER_SUFFIX = {Form.SUPPLEMENT: "PYCBS", Form.APOLOGY: "VBXL", Form.STOP: "TBDGQ"}

LEADERSHIP = "leadership"


def title_of(form: Form) -> str:
    """The form's title in the numbering the province prints."""
    return (TITLES_2018 if settings.FORM_NUMBERING == "2018" else TITLES)[form]


def paper_number(dossier: Dossier, form: Form) -> str:
    """The paper's number: "15/PYCBS" for the dossier entered 15th in its book's volume."""
    suffix = PAPER_SUFFIX.get(form)
    if suffix is None:
        return ""
    entry = dossier.book_entry or int(dossier.code.rsplit("-", 1)[-1] or 0) or "…"
    return f"{entry}/{suffix}"


def render_receipt(dossier: Dossier) -> bytes:
    """Render form 01, the receipt and appointment slip, on one A5 sheet."""
    url = public_status_url(dossier)
    received = dossier.events.filter(verb__in=["receive", "accept"]).select_related("actor").first()
    version = dossier.procedure_version
    fee = version.fee_vnd + version.charge_vnd
    forms = dict(DocumentForm.choices)
    fee_line = ""
    if settings.FORM_NUMBERING == "2018":
        # The 2025 form has no fee line (DOMAIN.md §4); the 2018 one had.
        fee_line = f"{fee:,} đồng".replace(",", ".") if fee else "Không thu phí, lệ phí"
    return _slip(
        "documents/form01.html",
        Form.RECEIPT,
        dossier,
        event=received,
        url=url,
        lookup_url=public_lookup_url(),
        qr=qr_data_uri(url),
        documents=[
            {**doc, "form_label": forms.get(doc.get("form", ""), doc.get("form", ""))}
            for doc in dossier.documents
        ],
        fee=fee_line,
        result_place=RESULT_PLACE[Channel(dossier.channel)],
    )


def _agency(dossier: Dossier, kind: str) -> Agency | None:
    unit = dossier.receiving_unit if kind == ONE_STOP_DESK else dossier.competent_unit
    return unit.agencies.filter(kind__code=kind, is_active=True).first()


def _agency_name(dossier: Dossier, kind: str) -> str:
    agency = _agency(dossier, kind)
    unit = dossier.receiving_unit if kind == ONE_STOP_DESK else dossier.competent_unit
    return agency.name if agency else unit.name


def lead_agency(dossier: Dossier) -> Agency | None:
    """The agency that leads the processing (cơ quan chủ trì): the first step's agency after
    the desk that is not the leadership's, else the one its workflow names."""
    for step in dossier.steps.filter(position__gt=1).select_related("agency__kind").order_by("id"):
        if step.agency.kind.code not in (ONE_STOP_DESK, LEADERSHIP):
            return step.agency
    kinds = [s.agency_kind.code for s in workflow_steps(dossier)]
    kind = next((k for k in kinds if k not in (ONE_STOP_DESK, LEADERSHIP)), None)
    return _agency(dossier, kind) if kind else None


def _head_of(agency: Agency | None) -> str:
    """The name of the agency's head: a leader posted in that agency, if the roles say so."""
    if agency is None:
        return ""
    role = (
        StaffRole.objects.filter(agency=agency, role=Role.LEADER, user__is_active=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return role.user.get_full_name() if role else ""


def _last_event(dossier: Dossier, verbs: list[str]) -> DossierEvent | None:
    return dossier.events.filter(verb__in=verbs).select_related("actor").order_by("-seq").first()


def _slip(template: str, form: Form, dossier: Dossier, **context: Any) -> bytes:
    """Render one paper: the issuer under its unit's People's Committee, the motto, number,
    place and date (Decree 30/2020), the title in the numbering the province prints."""
    issuer_kind = context.pop("issuer_kind", ONE_STOP_DESK)
    agency: Agency | None = context.pop("agency", None)
    unit = dossier.receiving_unit if issuer_kind == ONE_STOP_DESK else dossier.competent_unit
    issuer = agency.name if agency is not None else _agency_name(dossier, issuer_kind)
    event = context.get("event")
    if dossier.public_secret:
        context.setdefault("qr", qr_data_uri(public_status_url(dossier)))
    html = render_to_string(
        template,
        {
            "d": dossier,
            "title": title_of(form) if form in TITLES else Form(form).label,
            "number": settings.FORM_NUMBERS.get(form, ""),
            "paper_no": paper_number(dossier, form),
            "issuer": issuer,
            "issuer_name": issuer,
            "issuer_parent": committee(unit),
            "place": place_name(unit),
            "at": event.at if event is not None else (dossier.received_at or timezone.now()),
            "actor": event.actor.get_full_name() if event is not None and event.actor else "",
            **context,
        },
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def render_supplement(dossier: Dossier) -> bytes:
    """Form 02: what to add or correct (with each document's form and count), why, whom to ask."""
    event = _last_event(dossier, ["request_supplement"])
    names = list((event.payload or {}).get("missing_documents", [])) if event else []
    known = {
        doc.name.strip().lower(): doc for doc in version_documents(dossier.procedure_version_id)
    }
    forms = dict(DocumentForm.choices)
    missing = []
    for name in names:
        doc = known.get(str(name).strip().lower())
        missing.append(
            {
                "name": name,
                "form_label": forms.get(doc.form, "") if doc else "",
                "count": doc.count if doc else 1,
            }
        )
    desk = _agency_name(dossier, ONE_STOP_DESK)
    phone = dossier.receiving_unit.phone
    if not phone and event is not None and event.actor is not None:
        phone = getattr(event.actor, "phone", "")
    contact = f"{desk}, {dossier.receiving_unit.name}, số điện thoại {phone or '…'}"
    return _slip(
        "documents/form02.html",
        Form.SUPPLEMENT,
        dossier,
        event=event,
        contact=contact,
        missing=missing,
    )


def render_refusal(dossier: Dossier) -> bytes:
    """Form 03: the refusal to receive (the desk) or to resolve (the competent unit)."""
    event = _last_event(dossier, ["refuse", "refuse_result"])
    kind = ONE_STOP_DESK if event is not None and event.verb == "refuse" else LEADERSHIP
    return _slip(
        "documents/form03.html",
        Form.REFUSAL,
        dossier,
        event=event,
        issuer_kind=kind,
        receiving_desk=_agency_name(dossier, ONE_STOP_DESK),
        signer_title="THỦ TRƯỞNG CƠ QUAN",
    )


def render_apology(dossier: Dossier) -> bytes:
    """Form 04: the processing agency's apology and request for the one extension, signed by
    its head, with the original and the new appointment."""
    event = _last_event(dossier, ["apologize"])
    payload = dict(event.payload) if event is not None else {}

    def instant(value: str | None) -> datetime | None:
        return datetime.fromisoformat(value) if value else None

    agency = lead_agency(dossier)
    return _slip(
        "documents/form04.html",
        Form.APOLOGY,
        dossier,
        event=event,
        issuer_kind="competent",
        agency=agency,
        receiving_desk=_agency_name(dossier, ONE_STOP_DESK),
        old_due=instant(payload.get("old_due_at")) or dossier.original_due_at,
        new_due=instant(payload.get("due_at")) or dossier.due_at,
        signer_title="THỦ TRƯỞNG CƠ QUAN",
        # The agency's head when the roles name one, else the leader who sent the apology.
        head=_head_of(agency)
        or (event.actor.get_full_name() if event is not None and event.actor else ""),
    )


def render_stop(dossier: Dossier) -> bytes:
    """Form 05: the notice that processing stopped at the applicant's request."""
    event = _last_event(dossier, ["stop"])
    return _slip("documents/form05.html", Form.STOP, dossier, event=event)


def _person(user: Any) -> str:
    return user.get_full_name() if user is not None else ""


def render_control(dossier: Dossier) -> bytes:
    """Form 06: one row per hand-off so far, with giver and receiver (and room to sign)."""
    labels = dict(Punctuality.choices)
    steps = list(
        dossier.steps.select_related("agency", "finished_by", "assignee").order_by(
            "started_at", "id"
        )
    )
    rows = []
    for before, after in itertools.pairwise(steps):
        rows.append(
            {
                "giver_agency": before.agency.name,
                "receiver_agency": after.agency.name,
                "at": after.started_at,
                "giver": before.finished_by.get_full_name() if before.finished_by else "",
                # Who took the dossier: who finished the next step, or the person it was
                # assigned to while that step is still open.
                "receiver": _person(after.finished_by or after.assignee),
                "result": str(labels.get(before.punctuality or "", "")),
                "note": before.name,
            }
        )
    # The slip is dated by its last hand-off, so the same trail prints the same bytes.
    as_of = steps[-1].started_at if steps else dossier.received_at
    return _slip(
        "documents/form06.html",
        Form.CONTROL,
        dossier,
        handoffs=rows,
        page_size="A4",
        printed_at=as_of,
        at=as_of,
    )


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
        received=vn_instant(dossier.received_at),
        due=vn_instant(dossier.due_at),
        approved=vn_instant(event.at if event is not None else None),
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

    The control slip (form 06) is rendered at every print, since each hand-off adds a row:
    a version not seen before is stored with its SHA-256, one already stored is served as is.
    The electronic result is signed with the competent unit's certificate before it is
    stored; a certificate problem raises `SigningError` and a blank the form needs raises
    `PaperError`; either way nothing is stored.
    """
    versioned = form == Form.CONTROL
    if not versioned:
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
    digest = hashlib.sha256(content).hexdigest()
    if versioned:
        same = IssuedDocument.objects.filter(dossier=dossier, form=form, sha256=digest).first()
        if same is not None:
            return same
    try:
        with transaction.atomic():
            stored = IssuedDocument.objects.create(
                dossier=dossier,
                form=form,
                sha256=digest,
                content=content,
                size=len(content),
                created_at=at,
                signer=signer,
                signed_at=signed_at,
            )
            if signed_at is not None:
                # The signed result is the result on file: the flag and the report's counters
                # move with the stored document (dossiers.digitization, ADR 16).
                mark_result_on_file(dossier)
            return stored
    except IntegrityError:
        # Two clerks printed at once: both get the first stored file.
        if versioned:
            return IssuedDocument.objects.get(sha256=digest)
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
