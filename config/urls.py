"""Root URLconf."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from accounts.ratelimit import limit_requests
from api.v1 import api
from backoffice.twofactor import code_step_first
from portal import oidc as portal_oidc
from portal import payments as portal_payments
from portal import views as portal_views

# The admin's sign-in counts against the same per-address limit as the desk's and the API's.
# A user who owes a two-factor code sees the admin as anonymous (backoffice.twofactor), so the
# admin sends them to its sign-in page, which sends them on to the desk's code step.
admin.site.login = code_step_first(  # type: ignore[method-assign,assignment]
    limit_requests("signin", "RATE_LIMIT_SIGNIN_PER_MINUTE", methods=("POST",))(admin.site.login)
)
admin.site.site_header = "Hệ thống một cửa điện tử"
admin.site.site_title = "motcua"
admin.site.index_title = "Quản trị hệ thống"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("desk/", include("backoffice.urls")),
    path("ioc/", include("ioc.urls")),
    path("tai-khoan/", include("portal.account_urls")),
    path("nop-ho-so/", include("portal.filing_urls")),
    path("ho-so-cua-toi/", include("portal.mine_urls")),
    path("phan-anh/", include("portal.report_urls")),
    path("khao-sat/", include("portal.survey_urls")),
    # mozilla-django-oidc reverses these names without a namespace.
    path("tai-khoan/vneid/", portal_oidc.start, name="oidc_authentication_init"),
    path("tai-khoan/vneid/callback/", portal_oidc.callback, name="oidc_authentication_callback"),
    path("verify/", portal_views.verify, name="verify"),
    # The payment gateway's notice (server to server) and the browser's way back (ADR 19).
    path("payments/vnpay/ipn", portal_payments.vnpay_ipn, name="payments_ipn"),
    path("payments/vnpay/return", portal_payments.vnpay_return, name="payments_return"),
    path("api/docs", RedirectView.as_view(url="/api/v1/docs", permanent=False)),
    path("api/v1/", api.urls),
    # Delivery reports of the SMS gateway (server to server).
    path("notify/", include("notify.urls")),
    path("georeport/v2/", include("fieldreports.urls")),
    # The public side: home, catalogue, lookup, the installable app (portal/urls.py).
    path("", include("portal.urls")),
]

# Errors answer with the public portal's pages (templates/400.html ... 500.html); Django's
# own views render 400, 403 and 404 with them, the 500 page needs no database.
handler500 = "portal.errors.server_error"
