"""The dossiers at risk: due soon and overdue, per competent unit, with the drill-down list."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dossiers.models import Dossier
from ioc.views import viewable_units

LIMIT = 500
WHICH = {"due_soon": gettext_lazy("Due soon"), "overdue": gettext_lazy("Overdue")}


def _per_unit(dossiers: Any, unit_ids: list[int]) -> dict[int, int]:
    rows = (
        dossiers.filter(competent_unit_id__in=unit_ids)
        .order_by()
        .values("competent_unit_id")
        .annotate(n=Count("pk"))
    )
    return {r["competent_unit_id"]: r["n"] for r in rows}


def _risky(which: str, at: Any) -> Any:
    return Dossier.objects.due_soon(at) if which == "due_soon" else Dossier.objects.overdue(at)


@login_required
def at_risk_page(request: HttpRequest) -> HttpResponse:
    """Count the dossiers due soon and overdue now in each unit the user may read figures of;
    `?unit=<code>&which=due_soon|overdue` lists one count's dossiers."""
    units, _former = viewable_units(request.user)  # open dossiers are at units in force
    if not units:
        raise PermissionDenied(_("Your roles do not include reading figures."))
    now = timezone.now()
    ids = [u.pk for u in units]
    soon = _per_unit(_risky("due_soon", now), ids)
    late = _per_unit(_risky("overdue", now), ids)
    rows = [(u, soon.get(u.pk, 0), late.get(u.pk, 0)) for u in units]
    rows = [r for r in rows if r[1] or r[2]]
    context: dict[str, Any] = {
        "rows": rows,
        "total_soon": sum(soon.values()),
        "total_late": sum(late.values()),
        "now": now,
    }
    code, which = request.GET.get("unit"), request.GET.get("which")
    if code or which:
        unit = next((u for u in units if u.code == code), None)
        if unit is None or which not in WHICH:
            raise Http404
        listed = list(
            _risky(which, now)
            .filter(competent_unit=unit)
            .select_related("procedure_version__procedure", "receiving_unit", "current_step")
            .order_by("due_at", "pk")[: LIMIT + 1]
        )
        context.update(
            unit=unit,
            which=which,
            which_label=WHICH[which],
            dossiers=listed[:LIMIT],
            more=len(listed) > LIMIT,
            limit=LIMIT,
        )
    return render(request, "ioc/at_risk.html", context)
