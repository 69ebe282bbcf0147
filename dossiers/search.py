"""Find dossiers: what a search box matches and the list's filters, for the desk and the API.

The scope is always `Dossier.objects.visible_to(user)`: search reaches every status the user
may see, never beyond. What a query matches is defined once here (`matching`): the dossier
code in any letter case, the applicant's ID number or tax code, the phone number in any of
its written forms, or the applicant's name without diacritics.
"""

import base64
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db.models import Q
from django.db.models.functions import Upper
from django.utils import timezone

from dossiers.models import Channel, Dossier, DossierQuerySet, Status
from lib.text import fold
from lib.validate import normalise_phone, phone_problem
from orgs.models import Unit

if TYPE_CHECKING:
    from accounts.models import User


class Period:
    """Which instant the list's dates bound."""

    SUBMITTED = "submitted"
    RECEIVED = "received"


PERIOD_FIELDS = {Period.SUBMITTED: "submitted_at", Period.RECEIVED: "received_at"}


@dataclass(frozen=True)
class DossierFilter:
    """What the dossier list asks for; every part optional ("" and None: no condition)."""

    q: str = ""
    status: str = ""
    procedure: str = ""  # a procedure code, any of its versions
    channel: str = ""
    unit: Unit | None = None  # the unit and the units below it, receiving or competent
    period: str = Period.SUBMITTED
    start: date | None = None  # local dates, both ends included
    end: date | None = None

    def __post_init__(self) -> None:
        if self.status and self.status not in Status.values:
            raise ValueError(f"unknown status {self.status!r}")
        if self.channel and self.channel not in Channel.values:
            raise ValueError(f"unknown channel {self.channel!r}")
        if self.period not in PERIOD_FIELDS:
            raise ValueError(f"unknown period {self.period!r}")
        if self.start and self.end and self.end < self.start:
            raise ValueError("the period ends before it starts")

    def as_dict(self) -> dict[str, str]:
        """The filter as plain text, for the export log and links."""
        values = {
            "q": self.q,
            "status": self.status,
            "procedure": self.procedure,
            "channel": self.channel,
            "unit": self.unit.code if self.unit else "",
            "period": self.period if (self.start or self.end) else "",
            "start": self.start.isoformat() if self.start else "",
            "end": self.end.isoformat() if self.end else "",
        }
        return {k: v for k, v in values.items() if v}


def matching(query: str) -> Q:
    """Dossiers a search box's text designates: code (any case), ID number, phone or name.

    The code is compared upper-cased (the dossier_code_upper index); a phone is normalised as
    it was stored ("+84 912 345 678" finds "0912345678"); the name is folded ("nguyen van a"
    finds "Nguyễn Văn A").
    """
    text = query.strip()
    if not text:
        return Q()
    folded = fold(text)
    digits = any(ch in "0123456789" for ch in text)
    letters = any(ch.isalpha() for ch in folded)
    # A name has letters and, if digits too ("Công ty 3A"), a space; a code, an ID number or
    # a phone is one token with digits. So a code takes only the indexed equalities, a name
    # only the substring scan of the folded names.
    name = Q(applicant_name_folded__contains=folded) if letters else None
    if not digits:
        return name or Q(pk__in=[])
    condition = Q(code_upper=text.upper()) | Q(applicant_id_number=text.replace(" ", ""))
    if phone_problem(text) is None:
        condition |= Q(applicant_phone=normalise_phone(text))
    if name is not None and " " in text:
        condition |= name
    return condition


def search(queryset: DossierQuerySet, query: str) -> DossierQuerySet:
    """Narrow `queryset` to the dossiers `query` designates (see `matching`)."""
    if not query.strip():
        return queryset
    return queryset.alias(code_upper=Upper("code")).filter(matching(query))


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _unit_ids(unit: Unit) -> list[int]:
    return list(Unit.objects.filter(path__startswith=unit.path).values_list("id", flat=True))


def filtered(user: "User", f: DossierFilter) -> DossierQuerySet:
    """The dossiers `user` may see that pass every condition of `f` (unordered)."""
    qs = search(Dossier.objects.visible_to(user), f.q)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.procedure:
        qs = qs.filter(procedure_version__procedure__code=f.procedure)
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if f.unit is not None:
        ids = _unit_ids(f.unit)
        qs = qs.filter(Q(receiving_unit_id__in=ids) | Q(competent_unit_id__in=ids))
    field = PERIOD_FIELDS[f.period]
    if f.start:
        qs = qs.filter(**{f"{field}__gte": _local_midnight(f.start)})
    if f.end:
        qs = qs.filter(**{f"{field}__lt": _local_midnight(f.end + timedelta(days=1))})
    return qs


def newest_first(qs: DossierQuerySet) -> DossierQuerySet:
    """The listing order every page and export uses (the dossier_keyset index)."""
    return qs.order_by("-submitted_at", "-pk")


class BadCursor(ValueError):
    """A page cursor that was not made by `encode_cursor`."""


def encode_cursor(d: Dossier) -> str:
    """The cursor of the page after `d` (opaque, URL-safe)."""
    raw = f"{d.submitted_at.isoformat()}|{d.pk}"
    return base64.urlsafe_b64encode(raw.encode()).decode()


def after_cursor(qs: DossierQuerySet, cursor: str) -> DossierQuerySet:
    """The dossiers listed after the one `cursor` names, newest first; BadCursor if garbled."""
    try:
        at_text, pk_text = base64.urlsafe_b64decode(cursor.encode()).decode().split("|")
        at, pk = datetime.fromisoformat(at_text), int(pk_text)
    except (ValueError, UnicodeError) as exc:
        raise BadCursor(cursor) from exc
    if timezone.is_naive(at):
        raise BadCursor(cursor)
    return qs.filter(Q(submitted_at__lt=at) | Q(submitted_at=at, pk__lt=pk))


def page(qs: DossierQuerySet, cursor: str, size: int) -> tuple[list[Dossier], str | None]:
    """One page of `qs` newest first after `cursor`, and the cursor of the next (None: last)."""
    if cursor:
        qs = after_cursor(qs, cursor)
    rows = list(newest_first(qs)[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return rows, (encode_cursor(rows[-1]) if more and rows else None)
