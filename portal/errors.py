"""The public error pages (templates/4xx.html, 500.html extend the portal's base).

Django's own views render 400, 403 and 404 with the request, so the portal's header comes from
its context processor. A server error and a refused CSRF token are rendered here: the first
without the request's context processors (they may need the database that just failed), the
second because Django's default renders its template without any context.
"""

from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from portal.context import portal_names


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page: the portal's look, built from the settings alone."""
    html = loader.get_template("500.html").render({"portal": portal_names()})
    return HttpResponseServerError(html)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """The 403 page for a form sent with a missing or stale CSRF token."""
    html = render(request, "403_csrf.html").content
    return HttpResponseForbidden(html)
