"""What a dossier owes: its version's fee lines less waivers, and what was paid or refunded."""

from dataclasses import dataclass, field

from django.db.models import Sum
from django.utils.translation import gettext as _

from catalog.models import ProcedureVersion
from dossiers.models import Dossier
from dossiers.workflow import Verb
from lib.numwords import vnd_figures
from payments.models import FeeDue, FeeKind, FeeLine, FeeWaiver, Payment, PaymentStatus


@dataclass(frozen=True)
class Line:
    """One fee line as it applies to a dossier."""

    kind: str
    label: str
    amount_vnd: int
    due: str
    waived: bool = False

    @property
    def owed_vnd(self) -> int:
        return 0 if self.waived else self.amount_vnd

    def as_json(self) -> dict[str, object]:
        return {"kind": self.kind, "label": self.label, "amount_vnd": self.owed_vnd}


@dataclass(frozen=True)
class Summary:
    """A dossier's fees: the lines, what is owed, paid, refunded, and still to pay."""

    lines: list[Line] = field(default_factory=list)
    owed_vnd: int = 0
    paid_vnd: int = 0
    refunded_vnd: int = 0

    @property
    def outstanding_vnd(self) -> int:
        return max(self.owed_vnd - self.paid_vnd, 0)

    @property
    def has_fees(self) -> bool:
        return any(line.amount_vnd for line in self.lines)


def version_lines(version_id: int) -> list[FeeLine]:
    """The version's fee lines; a version without any has its legacy fee and charge."""
    rows = list(FeeLine.objects.filter(version_id=version_id).order_by("position"))
    if rows:
        return rows
    # Versions imported after the seeding migration have only the legacy columns.
    v = ProcedureVersion.objects.get(pk=version_id)
    legacy = [
        FeeLine(version=v, position=1, kind=FeeKind.FEE, label=_("Fee"), amount_vnd=v.fee_vnd),
        FeeLine(
            version=v, position=2, kind=FeeKind.CHARGE, label=_("Charge"), amount_vnd=v.charge_vnd
        ),
    ]
    return [line for line in legacy if line.amount_vnd]


def lines_for(dossier: Dossier) -> list[Line]:
    """The dossier's fee lines, each marked waived when a recorded category exempts it: a
    category the line names (`waived_for`), or a unit's category that waives its kind."""
    waivers = list(FeeWaiver.objects.filter(dossier=dossier).select_related("waiver_category"))
    codes = {w.category for w in waivers}
    unit_categories = [w.waiver_category for w in waivers if w.waiver_category is not None]
    return [
        Line(
            kind=row.kind,
            label=row.label,
            amount_vnd=row.amount_vnd,
            due=row.due,
            waived=bool(codes & set(row.waived_for or []))
            or any(c.waives_kind(row.kind) for c in unit_categories),
        )
        for row in version_lines(dossier.procedure_version_id)
    ]


def summary(dossier: Dossier) -> Summary:
    """What the dossier owes, has paid (net of refunds) and has had refunded."""
    lines = lines_for(dossier)
    totals = {
        row["status"]: row["total"] or 0
        for row in Payment.objects.filter(
            dossier=dossier, status__in=[PaymentStatus.PAID, PaymentStatus.REFUNDED]
        )
        .values("status")
        .annotate(total=Sum("amount_vnd"))
    }
    return Summary(
        lines=lines,
        owed_vnd=sum(line.owed_vnd for line in lines),
        paid_vnd=totals.get(PaymentStatus.PAID, 0),
        refunded_vnd=totals.get(PaymentStatus.REFUNDED, 0),
    )


def due_now(s: Summary) -> int:
    """What must be paid before the result is returned: every line not yet covered."""
    return s.outstanding_vnd


def unpaid_at_filing(s: Summary) -> int:
    """What is still unpaid of the lines due at filing (payments cover those lines first)."""
    at_filing = sum(line.owed_vnd for line in s.lines if line.due == FeeDue.AT_FILING)
    return max(at_filing - s.paid_vnd, 0)


def fees_unpaid(dossier: Dossier, verb: Verb) -> str | None:
    """The engine's precondition, the one place fees block a verb: an online filing is not
    accepted while a fee due at filing is unpaid, and no result is returned while anything
    is unpaid."""
    if verb is Verb.ACCEPT:
        unpaid = unpaid_at_filing(summary(dossier))
        if unpaid <= 0:
            return None
        return _(
            "The online filing cannot be received: %(amount)s VND of fees and charges due at "
            "filing is unpaid. The applicant pays online, or record the payment (cash or "
            "transfer) first."
        ) % {"amount": vnd_figures(unpaid)}
    if verb is not Verb.RETURN_RESULT:
        return None
    s = summary(dossier)
    if s.outstanding_vnd <= 0:
        return None
    return _(
        "The result cannot be returned: %(amount)s VND of fees and charges is unpaid. Record "
        "the payment (cash or transfer) or wait for the online payment to be confirmed."
    ) % {"amount": vnd_figures(s.outstanding_vnd)}
