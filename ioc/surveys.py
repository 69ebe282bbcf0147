"""Survey results for the operations centre: per unit and period, the satisfaction index and
per-theme figures (defined in surveys.figures), downloadable as XLSX."""

from datetime import date
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from orgs.access import unit_ids_for
from orgs.models import Unit
from stats.access import FIGURE_ROLES
from stats.report import Period
from surveys.export import XLSX, results_xlsx
from surveys.figures import Satisfaction, by_unit, satisfaction
from surveys.models import THEME_ORDER, Campaign

_DATE = {
    "input_formats": ["%Y-%m-%d", "%d/%m/%Y"],
    "widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
}


class ResultsForm(forms.Form):
    unit = forms.TypedChoiceField(label=gettext_lazy("Unit"), coerce=int)
    campaign = forms.TypedChoiceField(
        label=gettext_lazy("Campaign"), coerce=int, required=False, empty_value=None
    )
    start = forms.DateField(label=gettext_lazy("From"), **_DATE)  # type: ignore[arg-type]
    end = forms.DateField(label=gettext_lazy("To"), **_DATE)  # type: ignore[arg-type]

    def __init__(self, *args: Any, units: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]  # type: ignore[attr-defined]
        campaigns = [(c.pk, c.title) for c in Campaign.objects.all()]
        self.fields["campaign"].choices = [("", _("All campaigns")), *campaigns]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError(_("The period ends before it starts."))
        return data


def _rows(unit: Unit, period: Period, campaign_id: int | None) -> list[tuple[str, Satisfaction]]:
    figures = by_unit([unit.path], period, campaign_id=campaign_id)
    names = dict(Unit.objects.filter(pk__in=figures).values_list("pk", "name"))
    return sorted(((names[pk], f) for pk, f in figures.items()), key=lambda row: row[0])


@login_required
def results_page(request: HttpRequest) -> HttpResponse:
    """Show the survey results of a unit (and the units below it) over a period."""
    today = timezone.localdate()
    assert request.user.is_authenticated
    ids = unit_ids_for(request.user, FIGURE_ROLES)
    units = list(Unit.objects.filter(pk__in=ids).current_at(today).order_by("path"))
    if not units:
        raise PermissionDenied(_("Your roles do not include reading figures."))
    initial = {"unit": units[0].pk, "start": date(today.year, 1, 1), "end": today}
    form = ResultsForm(request.GET or None, units=units, initial=initial)
    context: dict[str, Any] = {"form": form, "themes": THEME_ORDER}
    if form.is_bound and not form.is_valid():
        return render(request, "ioc/surveys.html", context)
    data: dict[str, Any] = form.cleaned_data if form.is_bound else {**initial, "campaign": None}
    unit = next(u for u in units if u.pk == data["unit"])
    period = Period(data["start"], data["end"])
    rows = _rows(unit, period, data["campaign"])
    total = satisfaction([unit.path], period, campaign_id=data["campaign"])
    if request.GET.get("format") == "xlsx":
        title = _("Satisfaction survey results") + f" — {unit.name}"
        content = results_xlsx(title, period.start, period.end, rows, total)
        response = HttpResponse(content, content_type=XLSX)
        name = f"khao-sat-{unit.code}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    context.update({"unit": unit, "period": period, "rows": rows, "total": total})
    return render(request, "ioc/surveys.html", context)
