"""Field reports on the portal at /phan-anh/ (portal.fieldreports)."""

from django.urls import path

from portal import fieldreports

app_name = "reports"

urlpatterns = [
    path("", fieldreports.mine, name="mine"),
    path("gui/", fieldreports.send, name="send"),
    path("<int:pk>/", fieldreports.public, name="public"),
]
