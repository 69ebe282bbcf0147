"""The log of views of full personal data, for inspectors and system administrators (ADR 9)."""

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.access import log_for, log_units

LIMIT = 500


class LogFilter(forms.Form):
    unit = forms.ChoiceField(label=gettext_lazy("Unit"), required=False)
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
    person = forms.CharField(label=gettext_lazy("Username"), required=False, max_length=150)

    def __init__(self, *args: Any, units: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("All my units")), *((u.code, u.name) for u in units)]
        self.fields["unit"].choices = choices  # type: ignore[attr-defined]


@login_required
def access_log_page(request: HttpRequest) -> HttpResponse:
    """List who saw which full personal field of which dossier, when and why."""
    units = list(log_units(request.user))  # type: ignore[arg-type]
    if not units:
        raise PermissionDenied(_("Your roles do not include reading the access log."))
    form = LogFilter(request.GET or None, units=units)
    rows: list[Any] = []
    if not form.is_bound or form.is_valid():
        data = form.cleaned_data if form.is_bound else {}
        unit = next((u for u in units if u.code == data.get("unit")), None)
        rows = list(
            log_for(
                request.user,  # type: ignore[arg-type]
                unit=unit,
                start=data.get("start"),
                end=data.get("end"),
                person=data.get("person") or "",
            )[: LIMIT + 1]
        )
    context = {"form": form, "rows": rows[:LIMIT], "more": len(rows) > LIMIT, "limit": LIMIT}
    return render(request, "ioc/access_log.html", context)
