"""Satisfaction surveys under /khao-sat/ (config/urls.py includes them)."""

from django.urls import path

from portal import surveys

app_name = "surveys"

urlpatterns = [
    path("", surveys.campaigns, name="campaigns"),
    path("<int:pk>/", surveys.answer, name="answer"),
    path("phieu/<str:token>/", surveys.link, name="link"),
]
