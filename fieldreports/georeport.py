"""Open311 GeoReport v2 at /georeport/v2/ (http://wiki.open311.org/GeoReport_v2).

Every answer exists as `.json` and `.xml`. Errors are the standard's list of
{code, description} with the HTTP status as the code. Public answers are written from the
explicit field list of `_public`: contact details, the device and the reporter's account
never leave here. POST needs no api_key; it is limited per client address
(FIELDREPORT_POSTS_PER_HOUR, as FixMyStreet limits anonymous reports), and the public reads
share the public pages' limit. `media_url` is not fetched (the standard allows ignoring it):
photos come as multipart `media` files and go through the upload gate.
"""

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any
from xml.etree import ElementTree as ET

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from accounts.clientip import client_ip
from accounts.ratelimit import Limit, hit
from fieldreports.actions import BadReport, Submission, submit
from fieldreports.models import Category, FieldReport, ReportPhoto, ReportStatus
from uploads.gate import Refused
from uploads.serve import stored_response

logger = logging.getLogger(__name__)

# Without dates the list shows the last 90 days, at most 1000 requests (the standard's default).
DEFAULT_DAYS = 90
MAX_RESULTS = 1000
SERVICE_NOTICE = "Phản ánh đã được tiếp nhận và chuyển đến đơn vị xử lý."


def _xml(root: str, item: str, rows: Iterable[dict[str, Any]]) -> bytes:
    top = ET.Element(root)
    for row in rows:
        element = ET.SubElement(top, item)
        for key, value in row.items():
            child = ET.SubElement(element, key)
            if isinstance(value, bool):
                child.text = "true" if value else "false"
            elif isinstance(value, list):
                for v in value:
                    ET.SubElement(child, "value").text = str(v)
            elif value is not None:
                child.text = str(value)
    return ET.tostring(top, encoding="utf-8", xml_declaration=True)


def _answer(
    fmt: str, root: str, item: str, rows: list[dict[str, Any]], status: int = 200
) -> HttpResponse:
    if fmt == "xml":
        return HttpResponse(
            _xml(root, item, rows), status=status, content_type="text/xml; charset=utf-8"
        )
    return JsonResponse(rows, safe=False, status=status, json_dumps_params={"ensure_ascii": False})


def error(fmt: str, status: int, *descriptions: str) -> HttpResponse:
    """The standard's error answer: a list of {code, description}."""
    rows = [{"code": status, "description": d} for d in descriptions]
    return _answer(fmt, "errors", "error", rows, status=status)


def _when(at: datetime | None) -> str | None:
    return timezone.localtime(at).isoformat() if at is not None else None


def _service(category: Category) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description,
        "metadata": False,
        "type": "realtime",
        "keywords": category.keywords,
        "group": category.group,
    }


def _media_url(request: HttpRequest, photo_id: int | None) -> str:
    if photo_id is None:
        return ""
    return request.build_absolute_uri(reverse("georeport:media", args=[photo_id]))


def _public(request: HttpRequest, report: FieldReport, photo_id: int | None) -> dict[str, Any]:
    """A request as the public sees it: no contact, device or account, ever."""
    agency = report.agency.name if report.agency is not None else ""
    return {
        "service_request_id": str(report.pk),
        "status": report.status,
        "status_notes": report.status_notes,
        "service_name": report.category.name,
        "service_code": report.category.code,
        "description": report.description,
        "agency_responsible": f"{agency} – {report.unit.name}" if agency else report.unit.name,
        "service_notice": SERVICE_NOTICE,
        "requested_datetime": _when(report.requested_at),
        "updated_datetime": _when(report.updated_at),
        "expected_datetime": _when(report.expected_at),
        "address": report.address,
        "address_id": "",
        "zipcode": "",
        "lat": float(report.lat) if report.lat is not None else None,
        "long": float(report.long) if report.long is not None else None,
        "media_url": _media_url(request, photo_id),
    }


def _first_photos(ids: list[int]) -> dict[int, int]:
    """The first reporter's photo of each report."""
    first: dict[int, int] = {}
    rows = ReportPhoto.objects.filter(report_id__in=ids, reply__isnull=True).order_by("pk")
    for report_id, photo_id in rows.values_list("report_id", "pk"):
        first.setdefault(report_id, photo_id)
    return first


def _public_rows(request: HttpRequest, reports: list[FieldReport]) -> list[dict[str, Any]]:
    photos = _first_photos([r.pk for r in reports])
    return [_public(request, r, photos.get(r.pk)) for r in reports]


def _public_limit(request: HttpRequest) -> bool:
    limit = Limit(settings.RATE_LIMIT_PUBLIC_PER_MINUTE, timedelta(minutes=1))
    return hit(f"public:{client_ip(request)}", limit, at=timezone.now())


def _limited(fmt: str) -> HttpResponse:
    response = error(fmt, 429, _("Too many requests from your address. Please try again later."))
    response["Retry-After"] = "60"
    return response


def services(request: HttpRequest, fmt: str) -> HttpResponse:
    """GET services.{fmt}: the categories offered."""
    if request.method != "GET":
        return error(fmt, 405, _("Method not allowed."))
    if not _public_limit(request):
        return _limited(fmt)
    rows = [_service(c) for c in Category.objects.filter(is_active=True)]
    return _answer(fmt, "services", "service", rows)


def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """GET services/{code}.{fmt}: our services have no attributes (metadata false)."""
    if not _public_limit(request):
        return _limited(fmt)
    category = Category.objects.filter(code=code, is_active=True).first()
    if category is None:
        return error(fmt, 404, _("No service has this service_code."))
    body = {"service_code": category.code, "attributes": []}
    if fmt == "xml":
        top = ET.Element("service_definition")
        ET.SubElement(top, "service_code").text = category.code
        ET.SubElement(top, "attributes")
        return HttpResponse(
            ET.tostring(top, encoding="utf-8", xml_declaration=True),
            content_type="text/xml; charset=utf-8",
        )
    return JsonResponse(body)


def _instant(name: str, value: str, *, end: bool = False) -> datetime:
    # A bare date is the whole day: from its start, or up to its end for end_date.
    try:
        day = parse_date(value) if len(value) == 10 else None
        parsed = parse_datetime(value) if day is None else None
    except ValueError:
        day = parsed = None
    if day is not None:
        parsed = datetime.combine(day, datetime.min.time()) + timedelta(days=1 if end else 0)
    if parsed is None:
        raise BadReport(
            name, _("%(field)s must be an ISO 8601 date or date-time.") % {"field": name}
        )
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def _listing(request: HttpRequest, fmt: str) -> HttpResponse:
    q = request.GET
    reports = FieldReport.objects.select_related("category", "unit", "agency")
    ids = [i.strip() for i in q.get("service_request_id", "").split(",") if i.strip()]
    if ids:
        if not all(i.isdigit() for i in ids):
            return error(fmt, 400, _("service_request_id must be a comma-separated list of ids."))
        # With ids the standard ignores every other filter.
        found = list(reports.filter(pk__in=[int(i) for i in ids[:MAX_RESULTS]]))
        return _answer(fmt, "service_requests", "request", _public_rows(request, found))
    try:
        now = timezone.now()
        end = _instant("end_date", q["end_date"], end=True) if q.get("end_date") else None
        start = _instant("start_date", q["start_date"]) if q.get("start_date") else None
    except BadReport as exc:
        return error(fmt, 400, exc.message)
    if start is None and end is None:
        start = now - timedelta(days=DEFAULT_DAYS)
    if start is not None and end is not None and start > end:
        return error(fmt, 400, _("start_date must not be after end_date."))
    if start is not None:
        reports = reports.filter(requested_at__gte=start)
    if end is not None:
        reports = reports.filter(requested_at__lt=end)
    codes = [c.strip() for c in q.get("service_code", "").split(",") if c.strip()]
    if codes:
        reports = reports.filter(category__code__in=codes)
    statuses = [s.strip() for s in q.get("status", "").split(",") if s.strip()]
    if statuses:
        if not set(statuses) <= set(ReportStatus.values):
            return error(fmt, 400, _("status must be open or closed."))
        reports = reports.filter(status__in=statuses)
    found = list(reports.order_by("-requested_at", "-pk")[:MAX_RESULTS])
    return _answer(fmt, "service_requests", "request", _public_rows(request, found))


def _post(request: HttpRequest, fmt: str) -> HttpResponse:
    limit = Limit(settings.FIELDREPORT_POSTS_PER_HOUR, timedelta(hours=1))
    if not hit(f"georeport-post:{client_ip(request)}", limit, at=timezone.now()):
        logger.warning("georeport post limit exceeded by %s", client_ip(request))
        return _limited(fmt)
    p = request.POST
    if p.get("media_url") and not request.FILES.getlist("media"):
        logger.info("georeport: media_url ignored (we fetch nothing)")
    sub = Submission(
        service_code=p.get("service_code", ""),
        description=p.get("description", ""),
        address_string=p.get("address_string", ""),
        jurisdiction_id=p.get("jurisdiction_id", ""),
        lat=p.get("lat", ""),
        long=p.get("long", ""),
        email=p.get("email", ""),
        phone=p.get("phone", ""),
        first_name=p.get("first_name", ""),
        last_name=p.get("last_name", ""),
        device_id=p.get("device_id", ""),
    )
    try:
        report = submit(sub, media=request.FILES.getlist("media"), at=timezone.now())
    except BadReport as exc:
        return error(fmt, exc.status, exc.message)
    except Refused as exc:
        return error(fmt, exc.status, f"media: {exc.message}")
    row = {
        "service_request_id": str(report.pk),
        "service_notice": SERVICE_NOTICE,
        "account_id": None,
    }
    return _answer(fmt, "service_requests", "request", [row], status=201)


@csrf_exempt
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    """GET requests.{fmt}: the public list; POST requests.{fmt}: a new report."""
    if request.method == "POST":
        return _post(request, fmt)
    if request.method != "GET":
        return error(fmt, 405, _("Method not allowed."))
    if not _public_limit(request):
        return _limited(fmt)
    return _listing(request, fmt)


def one_request(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """GET requests/{id}.{fmt}: one request, as a list of one (the standard's shape)."""
    if not _public_limit(request):
        return _limited(fmt)
    report = FieldReport.objects.select_related("category", "unit", "agency").filter(pk=pk).first()
    if report is None:
        return error(fmt, 404, _("No service request has this id."))
    return _answer(fmt, "service_requests", "request", _public_rows(request, [report]))


def media(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A photo of a report (the media_url of the public answers)."""
    if not _public_limit(request):
        return _limited("json")
    photo = ReportPhoto.objects.select_related("stored").filter(pk=pk).first()
    if photo is None:
        return error("json", 404, _("No such photo."))
    response = stored_response(photo.stored, f"phan-anh-{photo.report_id}-{photo.pk}", inline=True)
    response["Cache-Control"] = "public, max-age=3600"
    return response
