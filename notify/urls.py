from django.urls import path

from notify import callbacks

app_name = "notify"
urlpatterns = [
    path("sms/report/<str:secret>/", callbacks.sms_report, name="sms-report"),
]
