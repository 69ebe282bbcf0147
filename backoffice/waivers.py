"""Fee waivers at the desk: the unit administrator's page of waiver categories (list, add,
retire) and the desk granting one to a dossier with a reason (payments.waivers)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from backoffice.payments import _dossier, current_user
from catalog.models import Procedure
from dossiers.actions import ActionError
from orgs.models import Unit
from payments import waivers
from payments.models import WaiverCategory, Waives


class ProcedureChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Procedure) -> str:
        return f"{obj.code} {obj.name}"[:120]


class CategoryForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Category"), max_length=200)
    code = forms.CharField(
        label=gettext_lazy("Code (optional)"),
        max_length=40,
        required=False,
        help_text=gettext_lazy("Made from the name when empty; fee lines may name it."),
    )
    basis = forms.CharField(label=gettext_lazy("Legal basis"), max_length=300, required=False)
    waives = forms.ChoiceField(label=gettext_lazy("Waives"), choices=Waives.choices)
    procedures = ProcedureChoices(
        label=gettext_lazy("Procedures (none chosen: all filed at this unit)"),
        queryset=Procedure.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args: object, unit: Unit, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["procedures"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = waivers.unit_procedures(unit)


def _unit(request: HttpRequest, wanted: str) -> tuple[Unit, list[Unit]]:
    units = list(waivers.administered_units(current_user(request)))
    if not units:
        raise Http404
    return next((u for u in units if str(u.pk) == wanted), units[0]), units


@login_required
@require_http_methods(["GET", "POST"])
def categories(request: HttpRequest) -> HttpResponse:
    """A unit's waiver categories, active and retired, and the form that adds one."""
    unit, units = _unit(request, request.POST.get("unit") or request.GET.get("unit", ""))
    form = CategoryForm(request.POST or None, unit=unit)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                waivers.add_category(
                    unit,
                    name=form.cleaned_data["name"],
                    code=form.cleaned_data["code"],
                    basis=form.cleaned_data["basis"],
                    waives=form.cleaned_data["waives"],
                    procedures=form.cleaned_data["procedures"],
                    by=current_user(request),
                    at=timezone.now(),
                )
            except ActionError as exc:
                field = exc.extra.get("field")
                form.add_error(field if field in form.fields else None, exc.message)
            else:
                messages.success(request, _("Waiver category added."))
                return redirect(reverse("backoffice:waiver_categories") + f"?unit={unit.pk}")
        status = 422
    rows = (
        WaiverCategory.objects.filter(unit=unit)
        .select_related("created_by", "retired_by")
        .prefetch_related("procedures")
        .order_by("retired_at", "name")
    )
    context = {"unit": unit, "units": units, "rows": rows, "form": form}
    return render(request, "backoffice/waiver_categories.html", context, status=status)


@login_required
@require_POST
def retire(request: HttpRequest, pk: int) -> HttpResponse:
    """Retire one of the unit's categories (the waivers granted under it stand)."""
    user = current_user(request)
    category = (
        WaiverCategory.objects.filter(pk=pk, unit__in=waivers.administered_units(user))
        .select_related("unit")
        .first()
    )
    if category is None:
        raise Http404
    if waivers.retire_category(category, by=user, at=timezone.now()):
        messages.success(request, _("Category “%(name)s” retired.") % {"name": category.name})
    return redirect(reverse("backoffice:waiver_categories") + f"?unit={category.unit_id}")


@login_required
@require_POST
def grant(request: HttpRequest, code: str) -> HttpResponse:
    """Grant one of the applicable categories to the dossier, with the reason."""
    dossier = _dossier(request, code)
    raw = request.POST.get("category", "")
    category = (
        waivers.categories_for(dossier).filter(pk=int(raw)).first() if raw.isdigit() else None
    )
    if category is None:
        messages.error(request, _("Choose a waiver category that applies to this dossier."))
        return redirect("backoffice:dossier", code=dossier.code)
    try:
        waivers.grant(
            dossier,
            category,
            reason=request.POST.get("reason", "")[:300],
            by=current_user(request),
            at=timezone.now(),
        )
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Fee waiver granted: %(name)s.") % {"name": category.name})
    return redirect("backoffice:dossier", code=dossier.code)
