from django.urls import path

from portal import views

app_name = "portal"

urlpatterns = [
    path("", views.lookup, name="lookup"),
    path("<str:code>/", views.status, name="status"),
    path("<str:code>/ket-qua.pdf", views.result, name="result"),
]
