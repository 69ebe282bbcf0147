"""The v1 JSON API: authentication and the public catalog, unit and calendar entry points."""

from datetime import datetime
from typing import Literal

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Schema

from accounts.actions import CodeRequired, InvalidCredentials, NotEnrolled, WrongCode, issue_token
from accounts.ratelimit import limit_requests
from accounts.twofactor import TooManyCodes, retry_after_seconds
from api.attachments import router as attachment_router
from api.auth import BearerAuth
from api.dossiers import public_router
from api.dossiers import router as dossier_router
from api.problems import Problem, ProblemAPI, install, problem_response
from api.ratings import public_router as public_rating_router
from api.ratings import router as rating_router
from api.schemas import (
    DueOut,
    ProcedureOut,
    ProcedureSummaryOut,
    TokenIn,
    TokenOut,
    UnitOut,
)
from api.stats import book_job_router, book_router
from api.stats import router as stats_router
from catalog.models import Procedure, ProcedureVersion, VersionStatus
from lib.text import fold
from orgs.access import requires_two_factor
from orgs.models import Unit
from workcal import DayRule, Limit, LimitUnit, OutOfRange
from workdays.calendars import calendar_for

api = ProblemAPI(
    title="motcua API",
    version="1",
    description=(
        "Hệ thống một cửa điện tử — API. Lỗi trả về theo RFC 9457 (application/problem+json)."
    ),
    urls_namespace="api-v1",
    docs_url="/docs",
    auth=BearerAuth(),
)
install(api)


api.add_router("/dossiers", dossier_router)
api.add_router("/public", public_router)
api.add_router("/dossiers", rating_router)
api.add_router("/dossiers", attachment_router)
api.add_router("/public", public_rating_router)
api.add_router("/stats", stats_router)
api.add_router("/units", book_router)
api.add_router("/book-jobs", book_job_router)


@api.post("/auth/token", response=TokenOut, auth=None, tags=["auth"])
@limit_requests("signin", "RATE_LIMIT_SIGNIN_PER_MINUTE")
def create_token(request: HttpRequest, payload: TokenIn) -> TokenOut | HttpResponse:
    """Exchange a username and password (and, where the unit requires it, a code) for a token."""
    try:
        user, raw, token = issue_token(
            request,
            username=payload.username,
            password=payload.password,
            otp=payload.otp,
            at=timezone.now(),
            requires_otp=requires_two_factor,
        )
    except InvalidCredentials:
        raise Problem(
            401,
            "invalid-credentials",
            _("Wrong username or password"),
            _("The username or password is wrong."),
        ) from None
    except NotEnrolled:
        raise Problem(
            401,
            "otp-not-enrolled",
            _("Two-factor sign-in not set up"),
            _(
                "Your unit requires two-factor sign-in for this account. Sign in at the desk "
                "once to set up an authenticator app, then send its code in the field otp."
            ),
        ) from None
    except CodeRequired:
        raise Problem(
            401,
            "otp-required",
            _("Authentication code required"),
            _("Send the 6-digit code from your authenticator app in the field otp."),
        ) from None
    except WrongCode:
        raise Problem(
            401,
            "otp-invalid",
            _("Wrong authentication code"),
            _("The authentication code is wrong or has already been used."),
        ) from None
    except TooManyCodes:
        response = problem_response(
            request,
            status=429,
            slug="otp-locked",
            title=_("Too many wrong codes"),
            detail=_("Too many wrong authentication codes. Try again in a few minutes."),
        )
        response["Retry-After"] = str(retry_after_seconds())
        return response
    return TokenOut(
        token=raw,
        expires_at=token.expires_at,
        username=user.username,
        full_name=user.get_full_name(),
    )


def _unit_out(u: Unit, codes: dict[int, str]) -> UnitOut:
    return UnitOut(
        code=u.code,
        name=u.name,
        kind=u.kind,
        kind_label=str(u.get_kind_display()),
        parent=codes.get(u.parent_id) if u.parent_id else None,
        valid_from=u.valid_from,
        valid_until=u.valid_until,
        successor=codes.get(u.successor_id) if u.successor_id else None,
        office_hours=u.office_hours,
    )


class UnitFilter(Schema):
    current: bool | None = None
    parent: str | None = None


@api.get("/units", response=list[UnitOut], auth=None, tags=["public"])
def list_units(request: HttpRequest, filters: Query[UnitFilter]) -> list[UnitOut]:
    """List administrative units, current and historical (public)."""
    units = list(Unit.objects.all())
    codes = {u.pk: u.code for u in units}
    if filters.current:
        today = timezone.localdate()
        current = set(Unit.objects.current_at(today).values_list("pk", flat=True))
        units = [u for u in units if u.pk in current]
    if filters.parent:
        units = [u for u in units if codes.get(u.parent_id or 0) == filters.parent]
    return [_unit_out(u, codes) for u in units]


def _published_versions() -> "list[ProcedureVersion]":
    return list(
        ProcedureVersion.objects.published()
        .select_related("procedure__field", "competent_agency_kind")
        .order_by("procedure__code")
    )


def _summary(v: ProcedureVersion) -> dict[str, object]:
    return {
        "code": v.procedure.code,
        "name": v.procedure.name,
        "field": v.procedure.field.code,
        "field_name": v.procedure.field.name,
        "level": v.level,
        "limit_amount": v.limit_amount,
        "limit_unit": v.limit_unit,
        "limit_display": v.limit_display(),
        "fee_vnd": v.fee_vnd,
        "channels": v.channels(),
    }


class ProcedureFilter(Schema):
    level: Literal["province", "commune"] | None = None
    field: str | None = None
    q: str | None = None


@api.get("/procedures", response=list[ProcedureSummaryOut], auth=None, tags=["public"])
def list_procedures(
    request: HttpRequest, filters: Query[ProcedureFilter]
) -> list[dict[str, object]]:
    """List the procedures in force with their limits, fees and channels (public)."""
    versions = _published_versions()
    out = []
    needle = fold(filters.q) if filters.q else None
    for v in versions:
        if filters.level and v.level != filters.level:
            continue
        if filters.field and v.procedure.field.code != filters.field:
            continue
        if needle and needle not in fold(f"{v.procedure.code} {v.procedure.name}"):
            continue
        out.append(_summary(v))
    return out


@api.get("/procedures/{code}", response=ProcedureOut, auth=None, tags=["public"])
def get_procedure(request: HttpRequest, code: str) -> dict[str, object]:
    """Show one procedure's version in force with documents and workflow (public)."""
    v = (
        ProcedureVersion.objects.filter(procedure__code=code, status=VersionStatus.PUBLISHED)
        .select_related("procedure__field", "competent_agency_kind")
        .prefetch_related("documents", Prefetch("steps"), "steps__agency_kind")
        .first()
    )
    if v is None:
        exists = Procedure.objects.filter(code=code).exists()
        raise Problem(
            404,
            "procedure-not-found",
            _("Procedure not found"),
            _("Procedure %(code)s has no version in force.") % {"code": code}
            if exists
            else _("No procedure has the code %(code)s.") % {"code": code},
        )
    return {
        **_summary(v),
        "version": v.number,
        "charge_vnd": v.charge_vnd,
        "fee_note": v.fee_note,
        "result": v.result,
        "legal_basis": v.legal_basis,
        "competent_agency_kind": v.competent_agency_kind.code,
        "documents": list(v.documents.all()),
        "steps": [
            {
                "position": s.position,
                "name": s.name,
                "agency_kind": s.agency_kind.code,
                "role": s.role,
                "hours": s.hours,
            }
            for s in v.steps.all()
        ],
    }


def _parse_instant(value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise Problem(
            400,
            "invalid-instant",
            _("Invalid instant"),
            _("Parameter from=%(v)r is not an ISO 8601 instant, e.g. 2026-02-09T08:30:00+07:00.")
            % {"v": value},
        ) from None
    if parsed.tzinfo is None:
        raise Problem(
            400,
            "invalid-instant",
            _("Missing time zone"),
            _("Parameter from=%(v)r needs a time zone, e.g. +07:00 or Z.") % {"v": value},
        )
    return parsed


_UNITS = {"day": LimitUnit.DAYS, "hour": LimitUnit.HOURS, "same_day": LimitUnit.SAME_DAY}
_MAX = {"day": 365, "hour": 365 * 8, "same_day": 0}


class DueQuery(Schema):
    from_: str = Field(
        ...,
        alias="from",
        description="ISO 8601 instant with offset",
        json_schema_extra={"format": "date-time"},
    )
    limit: int = Field(..., json_schema_extra={"minimum": 0, "maximum": _MAX["hour"]})
    unit: Literal["day", "hour", "same_day"] = "day"
    org: str | None = None
    rule: Literal["civil_code", "elapsed"] = "civil_code"
    cutoff: bool = False


@api.get("/calendar/due", response=DueOut, auth=None, tags=["public"])
def calendar_due(request: HttpRequest, q: Query[DueQuery]) -> DueOut:
    """Compute the due instant for a receipt instant and a legal limit (public).

    A limit in days follows the Civil Code: the day of receipt is not counted and the period
    ends at the close of office on its last working day (`rule=elapsed` adds N x 8 working
    hours instead). `cutoff=true` applies the unit's intake cut-off (the 15:00 rule).
    """
    received = _parse_instant(q.from_)
    if q.limit < 0 or (q.limit > _MAX[q.unit] and q.unit != "same_day"):
        raise Problem(
            400,
            "invalid-limit",
            _("Invalid limit"),
            _("limit=%(n)s is outside the allowed range 1..%(max)s for unit=%(u)s.")
            % {"n": q.limit, "max": _MAX[q.unit], "u": q.unit},
        )
    if q.limit == 0 and q.unit != "same_day":
        raise Problem(
            400,
            "invalid-limit",
            _("Invalid limit"),
            _("limit must be greater than 0; same-day procedures use unit=same_day."),
        )
    unit = None
    if q.org:
        unit = Unit.objects.by_code(q.org, on=received.date())
        if unit is None:
            raise Problem(
                404,
                "unit-not-found",
                _("Unit not found"),
                _("No administrative unit has the code %(code)s.") % {"code": q.org},
            )
    cal = calendar_for(unit)
    cutoff = unit.intake_cutoff if (unit is not None and q.cutoff) else None
    limit = Limit(q.limit, _UNITS[q.unit])
    try:
        start = cal.effective_start(received, cutoff=cutoff)
        due = cal.due(received, limit, cutoff=cutoff, day_rule=DayRule(q.rule))
    except OutOfRange as exc:
        raise Problem(
            400, "out-of-calendar-range", _("Outside the working calendar"), str(exc)
        ) from None
    return DueOut(
        due=due,
        received=received,
        effective_start=start,
        limit=q.limit,
        unit=q.unit,
        day_rule=q.rule,
        org=unit.code if unit else None,
        working_hours=cal.between(start, due).total_seconds() / 3600,
    )
