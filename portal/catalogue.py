"""The public home and the procedure catalogue (công khai thủ tục hành chính).

Every page here is the same for everyone: nothing personal, so the service worker may keep a
copy (portal/static/portal/sw.js allows /thu-tuc/ pages only).
"""

from pathlib import PurePosixPath
from typing import Any

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.ratelimit import limit_requests
from catalog.models import Field, Level, ProcedureVersion
from catalog.public import (
    desk_units,
    documents,
    filed_at,
    filing_units,
    in_force,
    is_online,
    version_in_force,
)
from catalog.public import search as search_versions
from lib.validate import text_problem
from orgs.models import Unit

PER_PAGE = 20
# Form templates are served as these types only, whatever their stored name claims otherwise.
FORM_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".doc": "application/msword",
    ".odt": "application/vnd.oasis.opendocument.text",
}


def _param(request: HttpRequest, name: str, max_length: int = 100) -> str:
    value = request.GET.get(name, "").strip()
    return value if text_problem(value, max_length=max_length) is None else ""


@require_GET
@limit_requests("public", "RATE_LIMIT_PUBLIC_PER_MINUTE")
def home(request: HttpRequest) -> HttpResponse:
    """The public home: find a procedure, look up a dossier, verify a result, sign in."""
    fields = Field.objects.filter(pk__in=in_force().values("procedure__field_id")).order_by("name")
    return render(request, "portal/home.html", {"fields": fields})


def _unit(code: str) -> Unit | None:
    return desk_units().filter(code=code).first() if code else None


@require_GET
@limit_requests("public", "RATE_LIMIT_PUBLIC_PER_MINUTE")
def procedures(request: HttpRequest) -> HttpResponse:
    """Browse and search the procedures in force: words without diacritics, field, level, unit."""
    q, field, level = _param(request, "q", 200), _param(request, "field"), _param(request, "level")
    unit = _unit(_param(request, "unit"))
    versions = search_versions(in_force(), q, field, level)
    if unit is not None:
        versions = filed_at(versions, unit)
    page = Paginator(versions, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context: dict[str, Any] = {
        "page": page,
        "q": q,
        "field": field,
        "level": level,
        "unit": unit.code if unit else "",
        "fields": Field.objects.order_by("name"),
        "levels": Level.choices,
        "units": desk_units(),
        "query": query.urlencode(),
    }
    return render(request, "portal/procedures.html", context)


def _version(code: str) -> ProcedureVersion:
    version = version_in_force(code) if len(code) <= 20 else None
    if version is None:
        raise Http404
    return version


def _details(version: ProcedureVersion) -> dict[str, Any]:
    return {
        "v": version,
        "p": version.procedure,
        "documents": documents(version),
        "units": filing_units(version),
        "online": is_online(version),
        "fee_total": version.fee_vnd + version.charge_vnd,
    }


@require_GET
@limit_requests("public", "RATE_LIMIT_PUBLIC_PER_MINUTE")
def procedure(request: HttpRequest, code: str) -> HttpResponse:
    """One procedure as published: limit, fees, documents and forms, where to file, basis."""
    return render(request, "portal/procedure.html", _details(_version(code)))


@require_GET
@limit_requests("public", "RATE_LIMIT_PUBLIC_PER_MINUTE")
def procedure_print(request: HttpRequest, code: str) -> HttpResponse:
    """The same, laid out on A4 to post at the desk."""
    return render(request, "portal/procedure_print.html", _details(_version(code)))


@require_GET
@limit_requests("public", "RATE_LIMIT_PUBLIC_PER_MINUTE")
def form_template(request: HttpRequest, code: str, position: int) -> HttpResponseBase:
    """Download the blank form of a required document, under a name we make up."""
    version = _version(code)
    doc = version.documents.filter(position=position).first()
    stored = (doc.template_file.name or "") if doc is not None else ""
    suffix = PurePosixPath(stored).suffix.lower()
    if doc is None or suffix not in FORM_TYPES or not doc.template_file.storage.exists(stored):
        raise Http404
    response = FileResponse(
        doc.template_file.open("rb"),
        as_attachment=True,
        filename=f"{version.procedure.code}-mau-{position}{suffix}",
        content_type=FORM_TYPES[suffix],
    )
    response["Cache-Control"] = "public, max-age=3600"
    return response
