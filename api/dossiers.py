"""Dossier endpoints: intake (idempotent), scoped listing, detail, actions, public status."""

import hashlib
import json
from datetime import date, datetime
from typing import Any, Literal

from django.db import IntegrityError
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Header, Query, Router, Schema

from accounts.clientip import client_ip
from accounts.ratelimit import limit_requests
from api.fields import Address, Email, IdNumber, Line, Name, Phone, Reason
from api.problems import Problem
from api.schemas import NotificationOut
from audit import access as audit
from audit.access import masked_fields
from audit.models import PersonalField
from catalog.lookups import published_version
from documents.papers import PaperError
from documents.results import perform_and_issue
from documents.signing import SigningError
from dossiers import actions, search
from dossiers.access import (
    LookupLocked,
    allowed_verbs,
    get_dossier_by_receipt,
    get_dossier_for_user,
)
from dossiers.models import Dossier, IdempotencyKey, Status
from lib.ids import mask
from lib.text import mask_name
from notify.inbox import for_dossier as notifications_of
from orgs.lookups import current_unit
from orgs.models import Unit

router = Router(tags=["dossiers"])
public_router = Router(tags=["public"])


class ApplicantIn(Schema):
    kind: Literal["person", "organisation"] = "person"
    name: Name
    id_number: IdNumber = Field(..., description="12-digit citizen ID, or a tax code")
    address: Address = ""
    phone: Phone = Field("", description="Vietnamese mobile or fixed line; +84 accepted")
    email: Email = ""


class DocumentIn(Schema):
    position: int
    form: str = ""
    count: int = 1


class DossierIn(Schema):
    procedure: str = Field(..., description="procedure code, e.g. 1.001193")
    receiving_unit: str = Field(..., description="code of the unit whose desk receives it")
    competent_unit: str | None = Field(None, description="code of the deciding unit")
    channel: Literal["1", "2", "3"] = Field(..., description="1 desk, 2 online, 3 post")
    applicant: ApplicantIn
    documents: list[DocumentIn] = []
    sets_count: int = 1


class DossierStepOut(Schema):
    position: int
    name: str
    agency: str
    role: str
    kind: str
    assignee: str | None
    started_at: datetime
    due_at: datetime
    finished_at: datetime | None
    result: str | None


class EventOut(Schema):
    seq: int
    verb: str
    actor: str | None
    from_status: str
    to_status: str
    reason: str
    at: datetime
    payload: dict[str, Any]
    hash: str


class DossierSummary(Schema):
    code: str
    procedure: str
    procedure_name: str
    status: str
    status_label: str
    channel: str
    receiving_unit: str
    competent_unit: str
    applicant_name: str
    applicant_id_number: str
    submitted_at: datetime
    received_at: datetime | None
    due_at: datetime | None
    finished_at: datetime | None
    returned_at: datetime | None
    punctuality: str | None
    version: int


class DossierCreated(DossierSummary):
    """The answer to an intake: enough to print the receipt and act next, without history."""

    public_secret: str
    current_step: int | None
    allowed_actions: list[str]


class DossierDetail(DossierSummary):
    applicant_phone: str
    # The personal fields shown in full in this response (the others are masked).
    revealed: list[str] = []
    applicant_email: str
    applicant_address: str
    outcome: str
    documents: list[dict[str, Any]]
    sets_count: int
    public_secret: str
    reappointed: bool
    original_due_at: datetime | None
    current_step: int | None
    allowed_actions: list[str]
    result_number: str
    result_symbol: str
    result_date: date | None
    return_method: str
    collector_name: str
    steps: list[DossierStepOut]
    events: list[EventOut]
    notifications: list[NotificationOut]


class DossierPage(Schema):
    items: list[DossierSummary]
    next_cursor: str | None


class ActionIn(Schema):
    version: int = Field(..., description="the dossier version the caller saw")
    reason: Reason = ""
    new_due: datetime | None = None
    missing_documents: list[Line] = []
    competent_unit: str | None = Field(
        None, description="transfer: the code of the competent unit to pass the dossier to"
    )
    # What forwarding from a middle step needs (422 with `field` when missing or wrong).
    assignee: str = Field(
        "", description="forward from an assignment step: username of the next step's holder"
    )
    comment: str = Field(
        "", description="opinion (required forwarding from an appraisal step) or comment"
    )
    result_number: str = Field("", description="forward from the issue step: document number")
    result_symbol: str = Field("", description="forward from the issue step: document symbol")
    result_date: date | None = Field(None, description="forward from the issue step")
    return_method: Literal["", "desk", "post", "online"] = Field(
        "", description="return_result: how the result was returned"
    )
    collector_name: str = Field("", description="return_result: who collected it (desk)")
    collector_id_number: str = ""


class PublicDossierOut(Schema):
    code: str
    procedure_name: str
    status: str
    status_label: str
    applicant_name: str
    submitted_at: datetime
    received_at: datetime | None
    due_at: datetime | None
    returned_at: datetime | None


def _summary(d: Dossier) -> dict[str, Any]:
    return {
        "code": d.code,
        "procedure": d.procedure_version.procedure.code,
        "procedure_name": d.procedure_version.procedure.name,
        "status": d.status,
        "status_label": str(d.get_status_display()),
        "channel": d.channel,
        "receiving_unit": d.receiving_unit.code,
        "competent_unit": d.competent_unit.code,
        "applicant_name": d.applicant_name,
        "applicant_id_number": mask(d.applicant_id_number),
        "submitted_at": d.submitted_at,
        "received_at": d.received_at,
        "due_at": d.due_at,
        "finished_at": d.finished_at,
        "returned_at": d.returned_at,
        "punctuality": d.punctuality,
        "version": d.version,
    }


def _detail(
    d: Dossier, user: Any, revealed: dict[PersonalField, str] | None = None
) -> dict[str, Any]:
    steps = d.steps.select_related("agency", "assignee").order_by("id")
    events = d.events.select_related("actor").order_by("seq")
    # Masked unless revealed with a logged reason (ADR 9).
    personal = {f.value: value for f, value in masked_fields(d)} | {
        f.value: value for f, value in (revealed or {}).items()
    }
    return {
        **_summary(d),
        "applicant_id_number": personal[PersonalField.ID_NUMBER],
        "applicant_phone": personal[PersonalField.PHONE],
        "applicant_email": d.applicant_email,
        "applicant_address": personal[PersonalField.ADDRESS],
        "revealed": [f.value for f in revealed or {}],
        "outcome": d.outcome,
        "documents": d.documents,
        "sets_count": d.sets_count,
        "public_secret": d.public_secret,
        "reappointed": d.reappointed,
        "original_due_at": d.original_due_at,
        "current_step": d.current_step.position if d.current_step else None,
        "allowed_actions": [str(v) for v in allowed_verbs(user, d)],
        "result_number": d.result_number,
        "result_symbol": d.result_symbol,
        "result_date": d.result_date,
        "return_method": d.return_method,
        "collector_name": d.collector_name,
        "steps": [
            {
                "position": s.position,
                "name": s.name,
                "agency": s.agency.name,
                "role": s.role,
                "kind": s.kind,
                "assignee": s.assignee.username if s.assignee else None,
                "started_at": s.started_at,
                "due_at": s.due_at,
                "finished_at": s.finished_at,
                "result": s.punctuality,
            }
            for s in steps
        ],
        "events": [
            {
                "seq": e.seq,
                "verb": e.verb,
                "actor": e.actor.username if e.actor else None,
                "from_status": e.from_status,
                "to_status": e.to_status,
                "reason": e.reason,
                "at": e.at,
                "payload": e.payload,
                "hash": e.hash,
            }
            for e in events
        ],
        "notifications": [sent.as_dict() for sent in notifications_of(d)],
    }


def _created(d: Dossier, user: Any) -> dict[str, Any]:
    # Built from the objects in hand: intake is the hot path (benchmark P1), and the steps
    # and events are one GET away.
    return {
        **_summary(d),
        "public_secret": d.public_secret,
        "current_step": d.current_step.position if d.current_step else None,
        "allowed_actions": [str(v) for v in allowed_verbs(user, d)],
    }


def _problem(exc: actions.ActionError) -> Problem:
    titles = {
        403: _("Forbidden"),
        409: _("State conflict"),
        422: _("Invalid data"),
    }
    return Problem(
        exc.status, exc.slug, titles.get(exc.status, _("Error")), exc.message, **exc.extra
    )


def _unit(code: str, field: str) -> Unit:
    unit = current_unit(code)
    if unit is None:
        raise Problem(
            422,
            "unknown-unit",
            _("Unit not found"),
            _("No administrative unit in force has the code %(code)s (%(field)s).")
            % {"code": code, "field": field},
        )
    return unit


def _fetch(request: HttpRequest, code: str) -> Dossier:
    d = get_dossier_for_user(request.auth, code)  # type: ignore[attr-defined]
    if d is None:
        raise Problem(
            404,
            "dossier-not-found",
            _("Dossier not found"),
            _("No dossier with the code %(code)s is visible to you.") % {"code": code},
        )
    return d


@router.post("", response={201: DossierCreated, 200: DossierCreated})
def create_dossier(request: HttpRequest, payload: DossierIn) -> tuple[int, dict[str, Any]]:
    """File a dossier: received at the desk (channels 1, 3) or submitted online (2).

    An `Idempotency-Key` header makes a retry return the first answer instead of filing twice;
    the same key with a different body is refused.
    """
    user = request.auth  # type: ignore[attr-defined]
    key = request.headers.get("Idempotency-Key", "").strip()
    body_hash = hashlib.sha256(
        json.dumps(payload.dict(), sort_keys=True, default=str).encode()
    ).hexdigest()
    if key:
        if len(key) > 100:
            raise Problem(422, "invalid-idempotency-key", _("Idempotency-Key too long"))
        seen = IdempotencyKey.objects.filter(user=user, key=key).select_related("dossier").first()
        if seen is not None:
            return _replay(seen, body_hash, user)
    version = published_version(payload.procedure)
    if version is None:
        raise Problem(
            422,
            "unknown-procedure",
            _("Procedure not found"),
            _("No procedure in force has the code %(code)s.") % {"code": payload.procedure},
        )
    receiving = _unit(payload.receiving_unit, "receiving_unit")
    competent = _unit(payload.competent_unit, "competent_unit") if payload.competent_unit else None
    now = timezone.now()
    try:
        dossier = actions.file_dossier(
            actor=user,
            version=version,
            receiving_unit=receiving,
            competent_unit=competent,
            channel=payload.channel,
            applicant=actions.Applicant(**payload.applicant.dict()),
            documents=[actions.ReceivedDocument(**d.dict()) for d in payload.documents],
            sets_count=payload.sets_count,
            at=now,
            idempotency=(key, body_hash) if key else None,
        )
    except actions.ActionError as exc:
        raise _problem(exc) from None
    except IntegrityError:
        # A concurrent retry with the same key won the race: answer as it did.
        seen = IdempotencyKey.objects.filter(user=user, key=key).select_related("dossier").first()
        if seen is None:
            raise
        return _replay(seen, body_hash, user)
    return 201, _created(dossier, user)


def _replay(seen: IdempotencyKey, body_hash: str, user: Any) -> tuple[int, dict[str, Any]]:
    if seen.request_hash != body_hash:
        raise Problem(
            422,
            "idempotency-key-reused",
            _("Idempotency-Key already used for another request"),
            _("This key was already used to file dossier %(code)s with different content.")
            % {"code": seen.dossier.code},
        )
    return 200, _created(seen.dossier, user)


class ListFilter(Schema):
    status: Status | None = None
    unit: str | None = None
    procedure: str | None = None
    channel: Literal["1", "2", "3"] | None = Field(None, description="1 desk, 2 online, 3 post")
    q: str | None = Field(
        None,
        max_length=200,
        description="dossier code (any case), ID number, phone, or applicant name (no "
        "diacritics needed)",
    )
    period: Literal["submitted", "received"] = Field(
        "submitted", description="which date `from` and `to` bound"
    )
    from_: date | None = Field(None, alias="from", description="first local day, included")
    to: date | None = Field(None, description="last local day, included")
    cursor: str | None = None
    limit: int = Field(50, ge=1, le=200)


@router.get("", response=DossierPage)
def list_dossiers(request: HttpRequest, f: Query[ListFilter]) -> dict[str, Any]:
    """List the dossiers the caller may see, in every status, newest first, keyset-paginated.

    The same search and filters as the desk's dossier list (`dossiers.search`); ID numbers
    are masked.
    """
    if f.from_ and f.to and f.to < f.from_:
        raise Problem(
            422,
            "invalid-period",
            _("Invalid data"),
            _("The period must not end before it starts."),
            errors=[{"field": "to", "message": _("The period must not end before it starts.")}],
        )
    wanted = search.DossierFilter(
        q=(f.q or "").strip(),
        status=f.status or "",
        procedure=f.procedure or "",
        channel=f.channel or "",
        period=f.period,
        start=f.from_,
        end=f.to,
    )
    qs = search.filtered(request.auth, wanted).select_related(  # type: ignore[attr-defined]
        "procedure_version__procedure", "receiving_unit", "competent_unit"
    )
    if f.unit:
        qs = qs.filter(Q(receiving_unit__code=f.unit) | Q(competent_unit__code=f.unit))
    try:
        rows, next_cursor = search.page(qs, f.cursor or "", f.limit)
    except search.BadCursor:
        raise Problem(400, "invalid-cursor", _("Invalid pagination cursor")) from None
    return {"items": [_summary(d) for d in rows], "next_cursor": next_cursor}


@router.get("/{code}", response=DossierDetail)
def get_dossier(
    request: HttpRequest,
    code: str,
    reveal: str = Query(
        "",
        description="comma-separated fields to show in full: id_number, phone, address "
        "(logged, with `reason`)",
    ),
    reason: str = Query("", description="why the full values are needed (logged)"),
) -> dict[str, Any]:
    """Show a dossier with its steps, events and the verbs the caller may use now.

    ID number, phone and address are masked unless named in `reveal` with a `reason`; each
    revealed field writes a row to the personal data access log.
    """
    d = _fetch(request, code)
    revealed = None
    if reveal.strip():
        try:
            revealed = audit.reveal(
                request.auth,  # type: ignore[attr-defined]
                d,
                audit.parse_fields([n for n in reveal.split(",") if n.strip()]),
                reason=reason,
                at=timezone.now(),
                client_address=client_ip(request),
                channel="api",
            )
        except audit.RevealRefused as exc:
            raise Problem(422, "reveal-refused", _("Invalid data"), exc.message) from None
    return _detail(d, request.auth, revealed)  # type: ignore[attr-defined]


@router.post("/{code}/actions/{verb}", response=DossierDetail)
def act(request: HttpRequest, code: str, verb: str, payload: ActionIn) -> dict[str, Any]:
    """Apply a verb; `version` must be the one the caller saw, else 409."""
    dossier = _fetch(request, code)
    target = _unit(payload.competent_unit, "competent_unit") if payload.competent_unit else None
    try:
        dossier = perform_and_issue(
            verb,
            dossier,
            actor=request.auth,  # type: ignore[attr-defined]
            at=timezone.now(),
            reason=payload.reason,
            new_due=payload.new_due,
            missing_documents=payload.missing_documents,
            competent_unit=target,
            assignee=payload.assignee or None,
            comment=payload.comment,
            result_number=payload.result_number,
            result_symbol=payload.result_symbol,
            result_date=payload.result_date,
            return_method=payload.return_method,
            collector_name=payload.collector_name,
            collector_id_number=payload.collector_id_number,
            expected_version=payload.version,
        )
    except SigningError as exc:
        raise Problem(503, "signing-unavailable", _("Signing unavailable"), exc.message) from None
    except PaperError as exc:
        raise Problem(
            422, "result-incomplete", _("The result cannot be issued"), exc.message
        ) from None
    except actions.ActionError as exc:
        raise _problem(exc) from None
    return _detail(Dossier.objects.get(pk=dossier.pk), request.auth)  # type: ignore[attr-defined]


def _by_receipt(request: HttpRequest, code: str, secret: str) -> Dossier:
    """The dossier for a receipt's code and PIN, or the one 404 for both a wrong code and PIN."""
    try:
        d = get_dossier_by_receipt(code, secret, client=client_ip(request))
    except LookupLocked as exc:
        raise Problem(429, "too-many-attempts", _("Too many attempts"), exc.message) from None
    if d is None:
        raise Problem(
            404,
            "dossier-not-found",
            _("Dossier not found"),
            _("The dossier code or the lookup PIN is wrong."),
        )
    return d


# The receipt's PIN travels in a header, never in the URL: URLs reach access logs, proxies
# and browser histories (ADR 13).
LookupPin = Header(..., alias="X-Lookup-Pin", max_length=20)


@public_router.get("/dossiers/{code}", response=PublicDossierOut, auth=None)
@limit_requests("public", "RATE_LIMIT_PUBLIC_PER_MINUTE")
def public_status(request: HttpRequest, code: str, pin: str = LookupPin) -> dict[str, Any]:
    """Public status of a dossier for whoever holds its receipt (code, and the PIN in the
    X-Lookup-Pin header); nothing personal."""
    d = _by_receipt(request, code, pin)
    return {
        "code": d.code,
        "procedure_name": d.procedure_version.procedure.name,
        "status": d.status,
        "status_label": str(d.get_status_display()),
        "applicant_name": mask_name(d.applicant_name),
        "submitted_at": d.submitted_at,
        "received_at": d.received_at,
        "due_at": d.due_at,
        "returned_at": d.returned_at,
    }
