"""The changes of a field report: received, answered (and closed), each in one transaction.

Only these functions write `FieldReport` rows; callers pass the instant (`at`). Bad input
raises `BadReport` with a translated message naming the field; the Open311 door turns it
into its error list, the desk into a form error.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from fieldreports.models import Category, FieldReport, ReportPhoto, ReportReply, ReportStatus
from fieldreports.routing import locate, route
from lib.validate import email_problem, normalise_phone, phone_problem, text_problem
from uploads.gate import admit, discard
from uploads.models import StoredFile

DESCRIPTION_MAX = 4000
REPLY_MAX = 4000
ADDRESS_MAX = 255
NAME_MAX = 100
MAX_PHOTOS = 5


class BadReport(Exception):
    """Input that cannot make a report: `field` names it, `message` says why (translated)."""

    def __init__(self, field: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.field = field
        self.message = message
        self.status = status


@dataclass
class Submission:
    """What a reporter sent (Open311 POST requests fields, already strings)."""

    service_code: str
    description: str = ""
    address_string: str = ""
    jurisdiction_id: str = ""
    lat: str = ""
    long: str = ""
    email: str = ""
    phone: str = ""
    first_name: str = ""
    last_name: str = ""
    device_id: str = ""


def _coordinate(name: str, value: str, bound: int) -> Decimal | None:
    if not value.strip():
        return None
    try:
        number = Decimal(value.strip())
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite() or abs(number) > bound:
        raise BadReport(name, _("%(field)s must be a number in degrees (WGS84).") % {"field": name})
    return number.quantize(Decimal("0.000001"))


def _text(name: str, value: str, max_length: int, *, multiline: bool = False) -> str:
    problem = text_problem(value, max_length=max_length, multiline=multiline)
    if problem is not None:
        raise BadReport(name, f"{name}: {problem.say(_)}")
    return value.strip()


def _validated(sub: Submission) -> dict[str, Any]:
    category = Category.objects.filter(code=sub.service_code.strip(), is_active=True).first()
    if not sub.service_code.strip():
        raise BadReport("service_code", _("service_code is required."))
    if category is None:
        raise BadReport("service_code", _("No service has this service_code."))
    lat = _coordinate("lat", sub.lat, 90)
    long = _coordinate("long", sub.long, 180)
    if (lat is None) != (long is None):
        raise BadReport("lat", _("lat and long must be given together."))
    address = _text("address_string", sub.address_string, ADDRESS_MAX)
    if lat is None and not address and not sub.jurisdiction_id.strip():
        raise BadReport(
            "address_string",
            _("A location is required: lat and long, address_string or jurisdiction_id."),
        )
    values: dict[str, Any] = {
        "category": category,
        "lat": lat,
        "long": long,
        "address": address,
        "description": _text("description", sub.description, DESCRIPTION_MAX, multiline=True),
        "first_name": _text("first_name", sub.first_name, NAME_MAX),
        "last_name": _text("last_name", sub.last_name, NAME_MAX),
        "device_id": _text("device_id", sub.device_id, 100),
        "email": sub.email.strip(),
        "phone": "",
    }
    if values["email"]:
        problem = email_problem(values["email"])
        if problem is not None:
            raise BadReport("email", f"email: {problem.say(_)}")
    if sub.phone.strip():
        problem = phone_problem(sub.phone)
        if problem is not None:
            raise BadReport("phone", f"phone: {problem.say(_)}")
        values["phone"] = normalise_phone(sub.phone)
    return values


def submit(
    sub: Submission,
    *,
    media: Iterable[Any] = (),
    reporter: Any = None,
    at: datetime,
) -> FieldReport:
    """Receive a report: validate, locate, route, store its photos through the upload gate.

    Raises `BadReport` (nothing stored) for bad fields or a place we cannot locate, and
    uploads.gate.Refused for a refused file.
    """
    values = _validated(sub)
    files = list(media)
    if len(files) > MAX_PHOTOS:
        raise BadReport("media", _("At most %(n)d photos a report.") % {"n": MAX_PHOTOS})
    unit = locate(
        jurisdiction_id=sub.jurisdiction_id,
        address=values["address"],
        lat=values["lat"],
        long=values["long"],
        at=at,
    )
    if unit is None:
        raise BadReport(
            "jurisdiction_id",
            _(
                "The place could not be matched to a ward or commune: give jurisdiction_id "
                "(the unit code) or an address naming the ward or commune."
            ),
        )
    where = route(values["category"], unit, at)
    user = reporter if reporter is not None and reporter.is_authenticated else None
    stored = [admit(f, by=user, allowed_types=("image/jpeg", "image/png"), at=at) for f in files]
    try:
        with transaction.atomic():
            report = FieldReport.objects.create(
                **values,
                unit=where.unit,
                agency=where.agency,
                requested_at=at,
                updated_at=at,
                expected_at=where.expected_at,
                reporter=user,
            )
            ReportPhoto.objects.bulk_create(ReportPhoto(report=report, stored=s) for s in stored)
    except BaseException:
        _discard(stored)
        raise
    return report


def _discard(stored: list[StoredFile]) -> None:
    """Forget files the gate kept for a report or reply that was not written."""
    for s in stored:
        discard(s)


def reply(
    report: FieldReport,
    text: str,
    *,
    by: Any,
    at: datetime,
    close: bool = False,
    media: Iterable[Any] = (),
) -> ReportReply:
    """Publish staff's answer to a report (its status_notes), closing it if asked.

    The caller has checked that `by` may answer it (fieldreports.access.may_answer).
    """
    problem = text_problem(text, max_length=REPLY_MAX, required=True, multiline=True)
    if problem is not None:
        raise BadReport("text", problem.say(_))
    files = list(media)
    if len(files) > MAX_PHOTOS:
        raise BadReport("media", _("At most %(n)d photos a report.") % {"n": MAX_PHOTOS})
    stored = [admit(f, by=by, allowed_types=("image/jpeg", "image/png"), at=at) for f in files]
    try:
        answer = _reply(report, text, by, at, close, stored)
    except BaseException:
        _discard(stored)
        raise
    report.refresh_from_db()
    return answer


def _reply(
    report: FieldReport, text: str, by: Any, at: datetime, close: bool, stored: list[StoredFile]
) -> ReportReply:
    with transaction.atomic():
        locked = FieldReport.objects.select_for_update().get(pk=report.pk)
        if locked.status == ReportStatus.CLOSED:
            raise BadReport("text", _("This report is closed."), status=409)
        answer = ReportReply.objects.create(
            report=locked, text=text.strip(), closes=close, by=by, at=at
        )
        ReportPhoto.objects.bulk_create(
            ReportPhoto(report=locked, reply=answer, stored=s) for s in stored
        )
        locked.status_notes = text.strip()
        locked.updated_at = at
        if close:
            locked.status = ReportStatus.CLOSED
            locked.closed_at = at
        locked.save(update_fields=["status_notes", "updated_at", "status", "closed_at"])
    return answer
