"""Figures for leaders, inspectors and the operations centre: the report and its drill-down."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dossiers import timeliness
from dossiers.models import Channel, Dossier, DossierStep, Punctuality
from ioc.charts import bars, stacked
from orgs.access import unit_ids_for
from orgs.lookups import in_force_label, unit_for_period, unit_key
from orgs.models import Unit
from payments.report import figures
from stats.access import FIGURE_ROLES, may_view_figures
from stats.export import DOWNLOADS, report_download
from stats.indicators import compute
from stats.report import COLUMN_GROUPS, COLUMN_LABELS, Column, GroupBy, Period, cell, report

# Dossiers per page of the drill-down.
DRILL_PAGE = 50


def viewable_units(user: Any) -> tuple[list[Unit], list[Unit]]:
    """Units whose figures the user may read: those in force today, and the former ones
    (merged or dissolved, reached through successor links: `orgs.access.reach_paths`)."""
    ids = unit_ids_for(user, FIGURE_ROLES)
    today = timezone.localdate()
    units = Unit.objects.filter(pk__in=ids)
    current = list(units.current_at(today).order_by("path"))
    former = list(units.filter(valid_until__lt=today).order_by("path"))
    return current, former


class ReportForm(forms.Form):
    # A code, read as of the period (`orgs.lookups.unit_for_period`); the list offers the
    # units in force and, apart, the former units ("đơn vị cũ") with their days in force.
    unit = forms.CharField(label=gettext_lazy("Unit"), max_length=40)
    start = forms.DateField(
        label=gettext_lazy("From"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = forms.DateField(
        label=gettext_lazy("To"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    by = forms.ChoiceField(
        label=gettext_lazy("Rows by"),
        choices=[
            (GroupBy.UNIT.value, gettext_lazy("Unit")),
            (GroupBy.FIELD.value, gettext_lazy("Field")),
            (GroupBy.PROCEDURE.value, gettext_lazy("Procedure")),
        ],
    )

    def __init__(
        self, *args: Any, units: list[Unit], former: list[Unit] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choices: list[Any] = [(unit_key(u), u.name) for u in units]
        if former:
            choices.append((_("Former units"), [(unit_key(u), in_force_label(u)) for u in former]))
        self.fields["unit"].widget = forms.Select(choices=choices)
        self.allowed = {u.pk for u in [*units, *(former or [])]}
        self.resolved: Unit | None = None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end, key = data.get("start"), data.get("end"), data.get("unit")
        if start and end and end < start:
            raise forms.ValidationError(_("The period ends before it starts."))
        if start and end and key:
            unit = unit_for_period(key, start, end)
            if unit is None or unit.pk not in self.allowed:
                raise forms.ValidationError(
                    _("No unit you may read bore the code %(code)s during this period.")
                    % {"code": key.partition("@")[0]}
                )
            if not Unit.objects.filter(pk=unit.pk).in_force_between(start, end).exists():
                raise forms.ValidationError(
                    _("%(unit)s was not in force during this period.")
                    % {"unit": in_force_label(unit)}
                )
            self.resolved = unit
        return data


def presets(today: date) -> list[tuple[str, date, date]]:
    """Periods people ask for most, as (label, first day, last day)."""
    month = today.replace(day=1)
    last_month_end = month - timedelta(days=1)
    quarter = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    last_quarter_end = quarter - timedelta(days=1)
    last_quarter = date(last_quarter_end.year, 3 * ((last_quarter_end.month - 1) // 3) + 1, 1)
    return [
        (_("This month"), month, today),
        (_("Last month"), last_month_end.replace(day=1), last_month_end),
        (_("This quarter"), quarter, today),
        (_("Last quarter"), last_quarter, last_quarter_end),
        (
            _("First half of %(year)s") % {"year": today.year},
            date(today.year, 1, 1),
            min(today, date(today.year, 6, 30)),
        ),
        (_("%(year)s so far") % {"year": today.year}, date(today.year, 1, 1), today),
        (
            _("Year %(year)s") % {"year": today.year - 1},
            date(today.year - 1, 1, 1),
            date(today.year - 1, 12, 31),
        ),
    ]


def _default_period() -> tuple[date, date]:
    today = timezone.localdate()
    return date(today.year, 1, 1), today


def _choice(request: HttpRequest) -> tuple[ReportForm, Unit | None, Period | None, GroupBy]:
    """Read the unit, period and grouping the user asked for (defaults: this year so far).

    The unit is resolved as of the period: a code reused after a merger names the unit that
    bore it then (ADR 23).
    """
    units, former = viewable_units(request.user)
    if not units and not former:
        raise PermissionDenied(_("Your roles do not include reading figures."))
    start, end = _default_period()
    first = (units or former)[0]
    initial: dict[str, Any] = {
        "unit": unit_key(first),
        "start": start,
        "end": end,
        "by": GroupBy.UNIT.value,
    }
    form = ReportForm(request.GET or None, units=units, former=former, initial=initial)
    if not form.is_bound:
        if first.valid_until is not None:
            return form, None, None, GroupBy.UNIT  # a former unit has nothing this year
        return form, first, Period(start, end), GroupBy.UNIT
    if not form.is_valid() or form.resolved is None:
        return form, None, None, GroupBy.UNIT
    data = form.cleaned_data
    return form, form.resolved, Period(data["start"], data["end"]), GroupBy(data["by"])


@login_required
def indicators_page(request: HttpRequest) -> HttpResponse:
    """Show the Decision 766 indicators motcua can compute, with formulas and points."""
    form, unit, period, _by = _choice(request)
    results = compute(unit, period) if unit and period else None
    payments = figures(unit, period.begins, period.ends) if unit and period else None
    context = {
        "form": form,
        "results": results,
        "unit": unit,
        "period": period,
        "payments": payments,
    }
    return render(request, "ioc/indicators.html", context)


@login_required
def report_page(request: HttpRequest) -> HttpResponse:
    """Show the periodic report with every number linking to its dossiers."""
    form, unit, period, by = _choice(request)
    result = report(unit, period, by) if unit is not None and period is not None else None
    fmt = request.GET.get("format")
    if result is not None and fmt in DOWNLOADS:
        return report_download(result, fmt)
    by_labels = dict(ReportForm.base_fields["by"].choices)  # type: ignore[attr-defined]
    return render(
        request,
        "ioc/report.html",
        {
            "form": form,
            "report": result,
            "row_title": by_labels.get(by.value, ""),
            "presets": presets(timezone.localdate()),
            "preset_unit": unit_key(unit) if unit else "",
            "preset_by": by.value,
            "columns": [(c.value, COLUMN_LABELS[c], COLUMN_GROUPS[c]) for c in Column],
        },
    )


@login_required
def cell_page(request: HttpRequest) -> HttpResponse:
    """List the dossiers behind one number of the report, a page at a time, each with its
    current step and the working time left (one query per page, whatever its length)."""
    try:
        period = Period(
            date.fromisoformat(request.GET["start"]), date.fromisoformat(request.GET["end"])
        )
        unit = unit_for_period(request.GET["unit"], period.start, period.end)
        by = GroupBy(request.GET["by"])
        column = Column(request.GET["column"])
    except (KeyError, ValueError):
        raise Http404 from None
    if unit is None:
        raise Http404
    if not may_view_figures(request.user, unit):  # type: ignore[arg-type]
        raise PermissionDenied(_("Your roles do not allow reading the figures of this unit."))
    key = request.GET.get("key") or None
    qs = cell(unit, period, by, key, column).select_related(
        "procedure_version__procedure__field",
        "competent_unit",
        "receiving_unit",
        "current_step",
    )
    page = Paginator(qs.order_by("received_at", "pk"), DRILL_PAGE).get_page(request.GET.get("page"))
    now = timezone.now()
    rows = [drill_row(d, now) for d in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "ioc/cell.html",
        {
            "unit": unit,
            "unit_label": in_force_label(unit),
            "period": period,
            "column_label": f"{COLUMN_GROUPS[column]} — {COLUMN_LABELS[column]}",
            "key_label": _key_label(by, key, page.object_list),
            "rows": rows,
            "page": page,
            "query": query.urlencode(),
        },
    )


def drill_row(d: Dossier, now: datetime) -> dict[str, Any]:
    """What the drill-down shows of one dossier: its step now and the working time left."""
    left = timeliness.remaining(d, now)
    # Shown as a size; the badge says whether it is left or overrun.
    hours = None if left is None else abs(left.total_seconds()) / 3600
    step = d.current_step if d.is_open else None
    return {
        "dossier": d,
        "step": step.name if step is not None else "",
        "hours_left": hours,
        "overdue": timeliness.is_overdue(d, now),
        "paused": timeliness.is_paused(d, now),
    }


def _key_label(by: GroupBy, key: str | None, dossiers: Any) -> str:
    """Name the report row a cell belongs to (a unit, field or procedure), not its code."""
    if key is None:
        return ""
    for d in dossiers:
        procedure = d.procedure_version.procedure
        if by is GroupBy.UNIT:
            return f"{d.competent_unit.name}"
        if by is GroupBy.FIELD:
            return f"{procedure.field.name}"
        return f"{procedure.code} {procedure.name}"
    return key


def _months(period: Period) -> list[Period]:
    """Split a period into calendar months (clipped to the period)."""
    out = []
    first = period.start.replace(day=1)
    while first <= period.end:
        nxt = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
        out.append(Period(max(first, period.start), min(nxt - timedelta(days=1), period.end)))
        first = nxt
    return out


def _best_first(row: Any) -> tuple[bool, Decimal]:
    """Order report rows by on-time rate, best first, rows with nothing resolved last."""
    rate = row.on_time_rate
    return rate is None, -(rate or Decimal(0))


@login_required
def charts_page(request: HttpRequest) -> HttpResponse:
    """Charts: on-time rate by month, unit and channel; intake by channel; late steps."""
    form, unit, period, _by = _choice(request)
    charts = []
    if unit is not None and period is not None:
        months = _months(period)[-24:]
        monthly = [(m, report(unit, m, GroupBy.UNIT).total) for m in months]
        charts.append(
            bars(
                _("On-time rate by month"),
                [(f"{m.start:%m/%Y}", row.on_time_rate) for m, row in monthly],
                categories=_("Month"),
                values_axis=_("On-time rate, % of the dossiers resolved"),
                maximum=100,
                target=settings.ON_TIME_TARGET,
                target_label=_("Target"),
            )
        )
        charts.append(
            stacked(
                _("Dossiers received by channel, by month"),
                [
                    (
                        f"{m.start:%m/%Y}",
                        [row.counts[Column.RECEIVED_ONLINE], row.counts[Column.RECEIVED_DESK_POST]],
                    )
                    for m, row in monthly
                ],
                [(str(_("Online")), "#0b4f9c"), (str(_("Desk and post")), "#a3141c")],
                categories=_("Month"),
                values_axis=_("Dossiers received"),
            )
        )
        by_unit = report(unit, period, GroupBy.UNIT)
        charts.append(
            bars(
                _("On-time rate by unit, compared"),
                [(row.label, row.on_time_rate) for row in sorted(by_unit.rows, key=_best_first)],
                categories=_("Unit that decides"),
                values_axis=_("On-time rate, % of the dossiers resolved"),
                maximum=100,
                target=settings.ON_TIME_TARGET,
                target_label=_("Target"),
            )
        )
        charts.append(
            bars(
                _("On-time rate by channel"),
                [
                    (
                        str(label),
                        report(
                            unit, period, GroupBy.UNIT, only=Q(channel=value)
                        ).total.on_time_rate,
                    )
                    for value, label in Channel.choices
                ],
                categories=_("Channel"),
                values_axis=_("On-time rate, % of the dossiers resolved"),
                maximum=100,
            )
        )
        late = cell(unit, period, GroupBy.UNIT, None, Column.LATE)
        causes = (
            DossierStep.objects.filter(dossier__in=late)
            .filter(timeliness.judged(Punctuality.LATE))
            .values("name")
            .annotate(n=Count("id"))
            .order_by("-n")[:10]
        )
        charts.append(
            bars(
                _("Late dossiers: the steps that overran"),
                [(c["name"], c["n"]) for c in causes] or [(str(_("No late dossier")), None)],
                categories=_("Workflow step"),
                values_axis=_("Late dossiers in which the step overran"),
                unit="",
            )
        )
    return render(
        request, "ioc/charts.html", {"form": form, "charts": charts, "unit": unit, "period": period}
    )
