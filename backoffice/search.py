"""The desk's dossier list: search everything the user may see, filter, page, export XLSX."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.clientip import client_ip
from audit.access import masked_fields
from audit.exports import ExportTooLarge, dossier_list_xlsx
from backoffice.context import active_unit, served_units
from backoffice.forms import DossierListForm
from backoffice.views import current_user
from catalog.models import Procedure
from dossiers import search, timeliness
from dossiers.models import Dossier

PAGE_SIZE = 25
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _form(request: HttpRequest) -> DossierListForm:
    units = served_units(request)
    data = request.GET.copy()
    chosen = active_unit(request)
    several = len(units) > 1  # one unit: no unit filter, so no default for it either
    if "unit" not in data and chosen is not None and several:
        data["unit"] = str(chosen.pk)  # the unit switcher's choice is the default
    procedures = list(Procedure.objects.order_by("code").values_list("code", "name"))
    return DossierListForm(data, units=units if several else [], procedures=procedures)


def _row(d: Dossier, now: Any) -> dict[str, Any]:
    return {
        "d": d,
        "personal": dict((f.value, v) for f, v in masked_fields(d)),
        "overdue": timeliness.is_overdue(d, now),
    }


@login_required
def dossier_list(request: HttpRequest) -> HttpResponse:
    """Every dossier the user may see, in every status, by search box and filters."""
    form = _form(request)
    rows: list[Dossier] = []
    next_cursor = None
    asked = any(request.GET.get(k) for k in form.fields)
    if form.is_valid():
        qs = search.filtered(current_user(request), form.filter()).select_related(
            "procedure_version__procedure", "receiving_unit", "current_step"
        )
        try:
            rows, next_cursor = search.page(qs, request.GET.get("after", ""), PAGE_SIZE)
        except search.BadCursor:
            messages.error(request, _("The page link is invalid; showing the first page."))
            rows, next_cursor = search.page(qs, "", PAGE_SIZE)
    query = request.GET.copy()
    query.pop("after", None)
    now = timezone.now()
    return render(
        request,
        "backoffice/search.html",
        {
            "form": form,
            "rows": [_row(d, now) for d in rows],
            "asked": asked,
            "query": query.urlencode(),
            "next_cursor": next_cursor,
            "first_page": not request.GET.get("after"),
        },
    )


@login_required
def dossier_list_export(request: HttpRequest) -> HttpResponseBase:
    """The filtered list as XLSX (bounded, streamed from a temporary file, logged)."""
    form = _form(request)
    if not form.is_valid():
        messages.error(request, _("Check the filters before exporting."))
        return redirect(f"{reverse('backoffice:search')}?{request.GET.urlencode()}")
    at = timezone.now()
    try:
        out, _count = dossier_list_xlsx(
            current_user(request),
            form.filter(),
            at=at,
            client_address=client_ip(request),
            channel="desk",
        )
    except ExportTooLarge as exc:
        messages.error(request, exc.message)
        return redirect(f"{reverse('backoffice:search')}?{request.GET.urlencode()}")
    name = f"danh-sach-ho-so-{timezone.localtime(at):%Y%m%d-%H%M}.xlsx"
    return FileResponse(out, as_attachment=True, filename=name, content_type=XLSX)
