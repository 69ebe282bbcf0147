"""The daily reconciliation of a unit: its payments of one local day by method and provider,
with the providers' references, and what needs a look: payments without a dossier, dossiers
paid more than they owe (paid twice). On the desk's page and as XLSX (lib/cells.py)."""

import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _
from openpyxl import Workbook

from lib.cells import xlsx_row
from orgs.models import Unit
from payments.fees import summary
from payments.models import Method, Payment, PaymentStatus

if TYPE_CHECKING:
    from django.db.models import QuerySet

VN = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass
class DayReport:
    unit: Unit
    day: date
    payments: list[Payment] = field(default_factory=list)
    # (method, provider) -> (count, amount)
    totals: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)
    collected_vnd: int = 0
    refunded_vnd: int = 0
    without_dossier: list[Payment] = field(default_factory=list)
    paid_twice: list[str] = field(default_factory=list)  # dossier codes

    def total_rows(self) -> list[tuple[str, str, int, int]]:
        """The totals as the page and the workbook show them: method and provider in words."""
        return [
            (method_label(method), provider_label(provider), count, amount)
            for (method, provider), (count, amount) in self.totals.items()
        ]


def _bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0), tzinfo=VN)
    return start, start + timedelta(days=1)


def day_report(unit: Unit, day: date) -> DayReport:
    """The unit's payments settled (paid or refunded) on the local day `day`."""
    start, end = _bounds(day)
    settled = Q(paid_at__gte=start, paid_at__lt=end) | Q(
        refunded_at__gte=start, refunded_at__lt=end
    )
    rows = list(
        Payment.objects.filter(settled, unit=unit)
        .select_related("dossier")
        .order_by("paid_at", "pk")
    )
    r = DayReport(unit=unit, day=day, payments=rows)
    totals: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for p in rows:
        if p.paid_at and start <= p.paid_at < end:
            totals[(p.method, p.provider)][0] += 1
            totals[(p.method, p.provider)][1] += p.amount_vnd
            r.collected_vnd += p.amount_vnd
        if p.refunded_at and start <= p.refunded_at < end:
            r.refunded_vnd += p.amount_vnd
        if p.dossier_id is None:
            r.without_dossier.append(p)
    r.totals = {k: (v[0], v[1]) for k, v in sorted(totals.items())}
    dossier_ids = {p.dossier_id for p in rows if p.dossier_id}
    multiple = (
        Payment.objects.filter(dossier_id__in=dossier_ids, status=PaymentStatus.PAID)
        .values("dossier_id")
        .annotate(n=Count("pk"), total=Sum("amount_vnd"))
        .filter(n__gt=1)
    )
    by_id = {p.dossier_id: p.dossier for p in rows if p.dossier is not None}
    for row in multiple:
        dossier = by_id[row["dossier_id"]]
        if row["total"] > summary(dossier).owed_vnd:
            r.paid_twice.append(dossier.code)
    return r


def method_label(method: str) -> str:
    return str(Method(method).label)


def provider_label(provider: str) -> str:
    """The provider of a payment in words ("desk": recorded at the one-stop desk)."""
    if provider == "desk":
        return _("One-stop desk")
    return {"vnpay": "VNPay"}.get(provider, provider)


def day_xlsx(r: DayReport) -> bytes:
    """The report as an XLSX workbook (every text cell through lib.cells)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Doi soat"
    ws.append(xlsx_row(ws, [_("Payment reconciliation"), r.unit.name, r.day.strftime("%d/%m/%Y")]))
    ws.append(xlsx_row(ws, []))
    ws.append(xlsx_row(ws, [_("Method"), _("Provider"), _("Payments"), _("Amount (VND)")]))
    for row in r.total_rows():
        ws.append(xlsx_row(ws, list(row)))
    ws.append(xlsx_row(ws, [_("Collected"), "", "", r.collected_vnd]))
    ws.append(xlsx_row(ws, [_("Refunded"), "", "", r.refunded_vnd]))
    ws.append(xlsx_row(ws, []))
    ws.append(
        xlsx_row(
            ws,
            [
                _("Transaction reference"),
                _("Provider reference"),
                _("Dossier"),
                _("Payer"),
                _("Method"),
                _("Provider"),
                _("Amount (VND)"),
                _("Status"),
                _("Paid"),
                _("Receipt number"),
                _("Flag"),
            ],
        )
    )
    for p in r.payments:
        flag = ""
        if p.dossier_id is None:
            flag = _("no dossier")
        elif p.dossier and p.dossier.code in r.paid_twice:
            flag = _("paid twice")
        paid = p.paid_at.astimezone(VN).strftime("%d/%m/%Y %H:%M") if p.paid_at else ""
        ws.append(
            xlsx_row(
                ws,
                [
                    p.txn_ref,
                    p.provider_ref,
                    p.dossier.code if p.dossier else "",
                    p.payer_name,
                    method_label(p.method),
                    provider_label(p.provider),
                    p.amount_vnd,
                    str(PaymentStatus(p.status).label),
                    paid,
                    p.receipt_number,
                    flag,
                ],
            )
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@dataclass(frozen=True)
class Figures:
    """Payment figures for the IOC: collected, refunded, and the online share."""

    collected_vnd: int
    refunded_vnd: int
    online_vnd: int
    payments: int
    online_payments: int

    @property
    def online_share(self) -> float | None:
        return None if not self.payments else self.online_payments / self.payments


def _settled(unit: Unit | None, start: datetime, end: datetime) -> "QuerySet[Payment]":
    qs = Payment.objects.filter(
        paid_at__gte=start,
        paid_at__lt=end,
        status__in=[PaymentStatus.PAID, PaymentStatus.REFUNDED],
    )
    return qs if unit is None else qs.filter(unit__path__startswith=unit.path)


def figures(unit: Unit | None, start: datetime, end: datetime) -> Figures:
    """Payments settled between `start` and `end` in the unit and those below it (None: all)."""
    qs = _settled(unit, start, end)
    online = Q(method=Method.ONLINE)
    agg = qs.aggregate(
        collected=Sum("amount_vnd"),
        refunded=Sum("amount_vnd", filter=Q(status=PaymentStatus.REFUNDED)),
        online=Sum("amount_vnd", filter=online),
        n=Count("pk"),
        n_online=Count("pk", filter=online),
    )
    return Figures(
        collected_vnd=agg["collected"] or 0,
        refunded_vnd=agg["refunded"] or 0,
        online_vnd=agg["online"] or 0,
        payments=agg["n"],
        online_payments=agg["n_online"],
    )


def online_paid_share(unit: Unit, start: datetime, end: datetime) -> tuple[int, int]:
    """(dossiers paid online, dossiers paid) among the fee-bearing dossiers of the unit and
    those below it whose payment was settled in the period: Decision 766 indicator 4."""
    qs = _settled(unit, start, end).exclude(dossier=None)
    paid = qs.values("dossier_id").distinct().count()
    online = qs.filter(method=Method.ONLINE).values("dossier_id").distinct().count()
    return online, paid
