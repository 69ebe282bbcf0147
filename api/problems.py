"""RFC 9457 problem details: every API error leaves as application/problem+json."""

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

PROBLEM_TYPE_BASE = "https://motcua.example/problems/"


class Problem(Exception):
    """Raise from an endpoint to answer with a problem+json body."""

    def __init__(self, status: int, slug: str, title: str, detail: str = "", **extra: Any) -> None:
        super().__init__(detail or title)
        self.status = status
        self.slug = slug
        self.title = title
        self.detail = detail
        self.extra = extra


def problem_response(
    request: HttpRequest,
    *,
    status: int,
    slug: str,
    title: str,
    detail: str = "",
    **extra: Any,
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + slug,
        "title": str(title),
        "status": status,
    }
    if detail:
        body["detail"] = str(detail)
    body["instance"] = request.get_full_path()
    body.update(extra)
    return HttpResponse(
        json.dumps(body, ensure_ascii=False, default=str),
        status=status,
        content_type="application/problem+json; charset=utf-8",
    )


def _location(loc: list[Any]) -> str:
    # ninja prefixes the parameter source ("query", "body"...); keep the field path only.
    parts = [str(p) for p in loc if p not in ("query", "body", "path", "header", "form")]
    return ".".join(parts)


def install(api: NinjaAPI) -> None:
    """Register the handlers that turn every error into problem+json."""

    @api.exception_handler(Problem)
    def on_problem(request: HttpRequest, exc: Problem) -> HttpResponse:
        return problem_response(
            request,
            status=exc.status,
            slug=exc.slug,
            title=exc.title,
            detail=exc.detail,
            **exc.extra,
        )

    @api.exception_handler(NinjaValidationError)
    def on_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors = [
            {"field": _location(list(e.get("loc", []))), "message": e.get("msg", "")}
            for e in exc.errors
        ]
        detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
        return problem_response(
            request,
            status=422,
            slug="validation-error",
            title=str(_("Invalid request data")),
            detail=detail,
            errors=errors,
        )

    @api.exception_handler(AuthenticationError)
    def on_auth(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = problem_response(
            request,
            status=401,
            slug="unauthenticated",
            title=str(_("Not authenticated")),
            detail=str(_("Send a valid token in the header Authorization: Bearer <token>.")),
        )
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(HttpError)
    def on_http(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return problem_response(
            request, status=exc.status_code, slug=f"http-{exc.status_code}", title=str(exc)
        )
