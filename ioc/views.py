"""Figures for leaders, inspectors and the operations centre: the report and its drill-down."""

from datetime import date
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from orgs.access import unit_ids_for
from orgs.models import Unit
from stats.access import FIGURE_ROLES, may_view_figures
from stats.report import COLUMN_GROUPS, COLUMN_LABELS, Column, GroupBy, Period, cell, report

DRILL_LIMIT = 500


def viewable_units(user: Any) -> list[Unit]:
    """Current units whose figures the user may read."""
    ids = unit_ids_for(user, FIGURE_ROLES)
    today = timezone.localdate()
    return list(Unit.objects.filter(pk__in=ids).current_at(today).order_by("path"))


class ReportForm(forms.Form):
    unit = forms.ChoiceField(label=gettext_lazy("Unit"))
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

    def __init__(self, *args: Any, units: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.code, u.name) for u in units]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            raise forms.ValidationError(_("The period ends before it starts."))
        return data


def _default_period() -> tuple[date, date]:
    today = timezone.localdate()
    return date(today.year, 1, 1), today


@login_required
def report_page(request: HttpRequest) -> HttpResponse:
    """Show the periodic report with every number linking to its dossiers."""
    units = viewable_units(request.user)
    if not units:
        raise PermissionDenied(_("Your roles do not include reading figures."))
    start, end = _default_period()
    initial: dict[str, Any] = {
        "unit": units[0].code,
        "start": start,
        "end": end,
        "by": GroupBy.UNIT.value,
    }
    form = ReportForm(request.GET or None, units=units, initial=initial)
    data = (
        form.cleaned_data
        if form.is_bound and form.is_valid()
        else (None if form.is_bound else initial)
    )
    result = None
    if data is not None:
        unit = next(u for u in units if u.code == data["unit"])
        result = report(unit, Period(data["start"], data["end"]), GroupBy(data["by"]))
    return render(
        request,
        "ioc/report.html",
        {
            "form": form,
            "report": result,
            "columns": [(c.value, COLUMN_LABELS[c], COLUMN_GROUPS[c]) for c in Column],
        },
    )


@login_required
def cell_page(request: HttpRequest) -> HttpResponse:
    """List the dossiers behind one number of the report."""
    try:
        unit = Unit.objects.by_code(request.GET["unit"])
        period = Period(
            date.fromisoformat(request.GET["start"]), date.fromisoformat(request.GET["end"])
        )
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
        "procedure_version__procedure", "competent_unit"
    )
    total = qs.count()
    rows = list(qs.order_by("received_at", "pk")[:DRILL_LIMIT])
    return render(
        request,
        "ioc/cell.html",
        {
            "unit": unit,
            "period": period,
            "column_label": f"{COLUMN_GROUPS[column]} — {COLUMN_LABELS[column]}",
            "key": key,
            "rows": rows,
            "total": total,
            "limit": DRILL_LIMIT,
        },
    )
