"""Root URLconf."""

from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView, TemplateView

from api.v1 import api

admin.site.site_header = "Hệ thống một cửa điện tử"
admin.site.site_title = "motcua"
admin.site.index_title = "Quản trị hệ thống"

urlpatterns = [
    path("", TemplateView.as_view(template_name="home.html"), name="home"),
    path("admin/", admin.site.urls),
    path("api/docs", RedirectView.as_view(url="/api/v1/docs", permanent=False)),
    path("api/v1/", api.urls),
]
