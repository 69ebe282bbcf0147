"""RFC 9457 problem details: every API error leaves as application/problem+json."""

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.schema import OpenAPISchema

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


class ProblemOut(Schema):
    """An RFC 9457 problem: what every 4xx/5xx answer of the API carries."""

    type: str
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None

    model_config = {"extra": "allow"}


PROBLEM_MEDIA_TYPE = "application/problem+json"
# What any operation may answer besides its own codes: bad input (400 NUL, 422 validation),
# no or a wrong token (401), roles (403), unknown codes (404), stale versions (409), rate
# limits (429). Documented once here rather than on every decorator.
COMMON_PROBLEMS = {
    "400": "Bad request",
    "401": "Not authenticated",
    "403": "Forbidden",
    "404": "Not found",
    "409": "Conflict",
    "422": "Invalid request data",
    "429": "Too many requests",
}


class ProblemAPI(NinjaAPI):
    """A NinjaAPI whose OpenAPI document lists the problem+json answers of every operation."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schemas = schema.setdefault("components", {}).setdefault("schemas", {})
        schemas["ProblemOut"] = ProblemOut.model_json_schema()
        problem = {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/ProblemOut"}}}
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for code, answer in responses.items():
                    if int(code) >= 400 and "content" in answer:
                        answer["content"] = problem
                for code, description in COMMON_PROBLEMS.items():
                    responses.setdefault(code, {"description": description, "content": problem})
        return schema


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
