from django.urls import path, re_path

from fieldreports import georeport

app_name = "georeport"
FMT = r"(?P<fmt>json|xml)"
urlpatterns = [
    re_path(rf"^services\.{FMT}$", georeport.services, name="services"),
    re_path(rf"^services/(?P<code>[-\w]+)\.{FMT}$", georeport.service_definition, name="service"),
    re_path(rf"^requests\.{FMT}$", georeport.requests, name="requests"),
    re_path(rf"^requests/(?P<pk>\d{{1,18}})\.{FMT}$", georeport.one_request, name="request"),
    path("media/<int:pk>", georeport.media, name="media"),
]
