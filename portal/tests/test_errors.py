"""The error pages are the public portal's (DEBUG off): they lead home, not to the desk."""

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import include, path


def _boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("boom")


def _forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def _bad(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("bad")


urlpatterns = [
    path("boom/", _boom),
    path("forbidden/", _forbidden),
    path("bad/", _bad),
    path("", include("config.urls")),
]
handler500 = "portal.errors.server_error"


@pytest.fixture
def site(settings: Any) -> Client:
    settings.DEBUG = False
    settings.ROOT_URLCONF = __name__
    settings.PORTAL_PROVINCE_NAME = "Tỉnh Thử Nghiệm"
    return Client(raise_request_exception=False)


@pytest.mark.parametrize(
    ("url", "status", "text"),
    [
        ("/khong-co/", 404, "Trang này không tồn tại"),
        ("/thu-tuc/9.999999/", 404, "Trang này không tồn tại"),
        ("/forbidden/", 403, "Bạn không được mở trang này"),
        ("/bad/", 400, "Yêu cầu không hợp lệ"),
        ("/boom/", 500, "Hệ thống đang gặp sự cố"),
    ],
)
def test_error_pages_lead_back_to_the_portal(
    db: Any, site: Client, url: str, status: int, text: str
) -> None:
    r = site.get(url)
    body = r.content.decode()
    assert r.status_code == status
    assert text in body and "Tỉnh Thử Nghiệm" in body
    assert 'class="button primary" href="/">Về trang chủ' in body
    assert "Quay lại hộp hồ sơ" not in body
    assert "/static/portal/portal.css" in body and '<html lang="vi">' in body
