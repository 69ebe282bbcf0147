"""Filing: a dossier received at the desk or submitted online, with its number and first event."""

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import DocumentForm, ProcedureVersion, VersionStatus
from dossiers import figures
from dossiers.access import version_documents, workflow_steps
from dossiers.actions.chain import _new_event
from dossiers.actions.clock import _agency_for, _cutoff, _set_due, _start_step
from dossiers.actions.errors import Conflict, InvalidInput, NotAllowed
from dossiers.actions.outbox import _notify
from dossiers.figures import FigureFields
from dossiers.models import (
    ApplicantKind,
    Channel,
    Dossier,
    DossierCounter,
    IdempotencyKey,
    Status,
)
from dossiers.workflow import Verb
from lib import validate
from lib.text import fold
from lib.validate import ADDRESS_MAX, Invalid, citizen_id_problem, normalise_phone, tax_code_problem
from orgs.access import has_role
from orgs.models import ONE_STOP_DESK, Agency, Role, Unit

if TYPE_CHECKING:
    from accounts.models import User


@dataclass
class Applicant:
    kind: str
    name: str
    id_number: str
    address: str = ""
    phone: str = ""
    email: str = ""


@dataclass
class ReceivedDocument:
    position: int
    form: str = ""
    count: int = 1


def _applicant_errors(applicant: Applicant, at: datetime) -> list[dict[str, str]]:
    """Every reason a column or a rule of lib.validate refuses the applicant, per field."""
    if applicant.kind not in ApplicantKind.values:
        raise InvalidInput(_("The applicant kind must be person or organisation."))
    errors = [
        {
            "field": f"applicant.{name}",
            "message": _("%(field)s: %(why)s")
            % {"field": _FIELD_LABELS[name](), "why": problem.say(_)},
        }
        for name, problem in applicant_problems(applicant, at)
        if problem is not None
    ]
    if not (applicant.phone.strip() or applicant.email.strip()):
        errors.append(
            {
                "field": "applicant.phone",
                "message": _(
                    "A phone number or an email address is needed to contact the applicant."
                ),
            }
        )
    return errors


def _check_input(
    version: ProcedureVersion, applicant: Applicant, documents: list[ReceivedDocument], at: datetime
) -> list[dict[str, Any]]:
    """Check the applicant and the documents together: one refusal names every problem
    (`errors`: field and message each), so a form or a client can show them all at once."""
    errors = _applicant_errors(applicant, at)
    extra: dict[str, Any] = {}
    checked: list[dict[str, Any]] = []
    try:
        checked = _check_documents(version, documents)
    except InvalidInput as exc:
        errors.append({"field": str(exc.extra.get("field", "documents")), "message": exc.message})
        extra = exc.extra
    if errors:
        raise InvalidInput(
            "; ".join(e["message"] for e in errors),
            **{**extra, "field": errors[0]["field"], "errors": errors},
        )
    return checked


_FIELD_LABELS = {
    "name": lambda: _("Full name"),
    "id_number": lambda: _("ID number"),
    "address": lambda: _("Address"),
    "phone": lambda: _("Phone"),
    "email": lambda: _("Email"),
}


def applicant_problems(applicant: Applicant, at: datetime) -> list[tuple[str, Invalid | None]]:
    """Return each applicant field with why lib.validate refuses it (None when it is fine)."""
    if applicant.kind == ApplicantKind.PERSON:
        id_problem = citizen_id_problem(applicant.id_number, today=at.date())
    else:
        id_problem = tax_code_problem(applicant.id_number)
    name = applicant.name.strip()
    return [
        ("name", validate.name_problem(name) if name else Invalid(_NAME_MISSING)),
        ("id_number", id_problem),
        ("address", validate.text_problem(applicant.address.strip(), max_length=ADDRESS_MAX)),
        ("phone", validate.phone_problem(applicant.phone) if applicant.phone.strip() else None),
        (
            "email",
            validate.email_problem(applicant.email.strip()) if applicant.email.strip() else None,
        ),
    ]


_NAME_MISSING = validate.gettext_noop("The applicant's full name is missing.")


_CHANNEL_FLAGS = {
    Channel.DESK: "allows_desk",
    Channel.POST: "allows_post",
}


def _check_channel(version: ProcedureVersion, channel: str) -> None:
    if channel == Channel.ONLINE:
        ok = version.allows_online_full or version.allows_online_partial
    else:
        ok = getattr(version, _CHANNEL_FLAGS[Channel(channel)])
    if not ok:
        raise InvalidInput(
            _("Procedure %(code)s does not accept filing through the channel “%(channel)s”.")
            % {"code": version.procedure.code, "channel": Channel(channel).label},
            field="channel",
        )


def _check_documents(
    version: ProcedureVersion, received: list[ReceivedDocument]
) -> list[dict[str, Any]]:
    docs = {d.position: d for d in version_documents(version.pk)}
    got = {r.position: r for r in received}
    unknown = sorted(set(got) - set(docs))
    if unknown:
        raise InvalidInput(
            _("Document number %(n)s is not part of this procedure.")
            % {"n": ", ".join(map(str, unknown))},
            field="documents",
        )
    missing = [d for pos, d in sorted(docs.items()) if d.required and pos not in got]
    if missing:
        raise InvalidInput(
            _("Missing required documents: %(names)s.")
            % {"names": "; ".join(d.name for d in missing)},
            field="documents",
            missing=[d.position for d in missing],
        )
    out = []
    for pos, r in sorted(got.items()):
        form = r.form or docs[pos].form
        if form not in DocumentForm.values:
            raise InvalidInput(_("Invalid document form %(f)r.") % {"f": form})
        out.append({"position": pos, "name": docs[pos].name, "form": form, "count": r.count})
    return out


def default_competent_unit(version: ProcedureVersion, receiving: Unit) -> Unit:
    """Return who decides: the receiving ward/commune, or its province for provincial ones."""
    if version.level == "province":
        root_id = int(receiving.path.strip("/").split("/")[0])
        return Unit.objects.get(pk=root_id)
    return receiving


def _next_code(desk: Agency, at: datetime) -> str:
    """Take the next `<desk id>-<YYMMDD>-<NNNN>` code (DOMAIN.md §5); locks the day's counter."""
    day = timezone.localtime(at).date()
    table = DossierCounter._meta.db_table
    for _attempt in range(3):
        # One statement increments and reads; the row lock serialises concurrent desks.
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET last = last + 1 WHERE agency_id = %s AND day = %s "  # noqa: S608
                "RETURNING last",
                [desk.pk, day],
            )
            row = cursor.fetchone()
        if row is not None:
            return f"{desk.code}-{day:%y%m%d}-{row[0]:04d}"
        try:
            with transaction.atomic():
                DossierCounter.objects.create(agency=desk, day=day, last=1)
            return f"{desk.code}-{day:%y%m%d}-0001"
        except IntegrityError:
            continue  # another desk officer created today's counter first
    raise Conflict(_("Could not take a dossier number; please try again."))


def file_dossier(
    *,
    actor: "User",
    version: ProcedureVersion,
    receiving_unit: Unit,
    channel: str,
    applicant: Applicant,
    documents: list[ReceivedDocument],
    at: datetime,
    competent_unit: Unit | None = None,
    sets_count: int = 1,
    idempotency: tuple[str, str] | None = None,
) -> Dossier:
    """Create a dossier: received at the desk (desk, post) or submitted online.

    Everything is checked and computed first; then one transaction numbers the dossier and
    writes it with its figures, first event, first step, outbox row and idempotency key.
    The write lock (SQLite) and the day's counter row lock (PostgreSQL) are held only for
    those writes, which is what lets several desks file at once (benchmark P1).
    """
    dossier, desk = _new_dossier(
        actor=actor,
        version=version,
        receiving_unit=receiving_unit,
        channel=channel,
        applicant=applicant,
        documents=documents,
        at=at,
        competent_unit=competent_unit,
        sets_count=sets_count,
    )
    at_desk = dossier.status == Status.IN_PROGRESS
    payload: dict[str, Any] = {"channel": channel}
    if at_desk:
        _set_due(dossier, at)
        assert dossier.due_at is not None
        payload["due_at"] = dossier.due_at.isoformat()
    verb = Verb.RECEIVE if at_desk else Verb.SUBMIT
    with transaction.atomic():
        dossier.code = _next_code(desk, at)
        event_fields: dict[str, Any] = {
            "verb": verb,
            "actor": actor,
            "from_status": "",
            "to_status": dossier.status,
            "at": at,
            "payload": payload,
        }
        if at_desk:
            # The first event's state digest covers the first step: write the step first,
            # then the event, then the chain head and current step in one UPDATE.
            dossier.save(force_insert=True)
            step = _start_step(dossier, 1, at, cutoff=_cutoff(dossier))
            event = _new_event(dossier, steps=[step], **event_fields)
            Dossier.objects.filter(pk=dossier.pk).update(
                current_step=step,
                event_count=dossier.event_count,
                last_event_hash=dossier.last_event_hash,
            )
        else:
            event = _new_event(dossier, steps=[], **event_fields)
            dossier.save(force_insert=True)
        figures.record(None, FigureFields.of(dossier))
        event.dossier = dossier
        event.save(force_insert=True)
        _notify(dossier, str(verb), at, **payload)
        if idempotency is not None:
            IdempotencyKey.objects.create(
                user=actor,
                key=idempotency[0],
                request_hash=idempotency[1],
                dossier=dossier,
                created_at=at,
            )
    return dossier


def _new_dossier(
    *,
    actor: "User",
    version: ProcedureVersion,
    receiving_unit: Unit,
    channel: str,
    applicant: Applicant,
    documents: list[ReceivedDocument],
    at: datetime,
    competent_unit: Unit | None,
    sets_count: int,
) -> tuple[Dossier, Agency]:
    """Check a filing and return the unsaved dossier and its one-stop desk; writes nothing."""
    if version.status != VersionStatus.PUBLISHED:
        raise InvalidInput(_("This procedure is no longer in force."))
    if channel not in Channel.values:
        raise InvalidInput(_("Invalid channel %(c)r (1, 2 or 3).") % {"c": channel})
    _check_channel(version, channel)
    checked = _check_input(version, applicant, documents, at)
    if not 1 <= sets_count <= 50:
        raise InvalidInput(_("The number of sets must be between 1 and 50."), field="sets_count")
    competent = competent_unit or default_competent_unit(version, receiving_unit)
    is_desk_officer = has_role(actor, Role.DESK_OFFICER, receiving_unit)
    at_desk = channel in (Channel.DESK, Channel.POST)
    if at_desk and not is_desk_officer:
        raise NotAllowed(
            _("Only a desk officer of %(u)s may receive dossiers at this unit.")
            % {"u": receiving_unit.name}
        )
    dossier = Dossier(
        procedure_version=version,
        receiving_unit=receiving_unit,
        competent_unit=competent,
        channel=channel,
        status=Status.IN_PROGRESS if at_desk else Status.SUBMITTED,
        applicant_kind=applicant.kind,
        applicant_name=applicant.name.strip(),
        applicant_name_folded=fold(applicant.name),
        applicant_id_number=applicant.id_number,
        applicant_address=applicant.address.strip(),
        applicant_phone=normalise_phone(applicant.phone) if applicant.phone.strip() else "",
        applicant_email=applicant.email.strip(),
        applicant_user=None if is_desk_officer else actor,
        documents=checked,
        sets_count=sets_count,
        public_secret=f"{secrets.randbelow(10**6):06d}",
        submitted_at=at,
        # A version that asks for no document needs no scan (dossiers.digitization).
        digitised=not any(d.required for d in version_documents(version.pk)),
    )
    # Every agency the workflow needs must exist before anything is promised.
    desk = _agency_for(ONE_STOP_DESK, dossier)
    for ws in workflow_steps(dossier):
        _agency_for(ws.agency_kind.code, dossier)
    return dossier, desk
