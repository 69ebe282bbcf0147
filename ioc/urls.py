from django.urls import path

from ioc import access_log, at_risk, hotline, surveys, views, wall
from ioc import map as unit_map

app_name = "ioc"

urlpatterns = [
    path("", wall.wall_page, name="wall"),
    path("report/", views.report_page, name="report"),
    path("map/", unit_map.map_page, name="map"),
    path("dossiers/", views.cell_page, name="cell"),
    path("indicators/", views.indicators_page, name="indicators"),
    path("charts/", views.charts_page, name="charts"),
    path("at-risk/", at_risk.at_risk_page, name="at_risk"),
    path("access-log/", access_log.access_log_page, name="access_log"),
    path("surveys/", surveys.results_page, name="surveys"),
    path("hotline/", hotline.hotline_page, name="hotline"),
]
