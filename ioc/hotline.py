"""The automated hotline's figures: calls per day, answered by the machine, transferred,
abandoned, and the lookups that found a dossier (hotline.figures)."""

from datetime import timedelta

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hotline.figures import daily, total
from ioc.views import viewable_units

DEFAULT_DAYS, MAX_DAYS = 30, 366


class Period(forms.Form):
    start = forms.DateField(
        label=gettext_lazy("From"),
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = forms.DateField(
        label=gettext_lazy("To"),
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and (end < start or (end - start).days > MAX_DAYS):
            raise forms.ValidationError(_("Choose a period of at most one year, start first."))
        return data


@login_required
def hotline_page(request: HttpRequest) -> HttpResponse:
    """The hotline's calls per local day over a period (the last 30 days by default)."""
    units, former = viewable_units(request.user)
    if not units and not former:
        raise PermissionDenied(_("Your roles do not include reading figures."))
    today = timezone.localdate()
    form = Period(request.GET or None)
    start, end = today - timedelta(days=DEFAULT_DAYS - 1), today
    days = []
    if not form.is_bound or form.is_valid():
        data = form.cleaned_data if form.is_bound else {}
        end = data.get("end") or end
        start = data.get("start") or end - timedelta(days=DEFAULT_DAYS - 1)
        days = daily(start, end)
    context = {"form": form, "days": days, "total": total(days), "start": start, "end": end}
    return render(request, "ioc/hotline.html", context)
