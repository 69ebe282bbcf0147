"""Online filing at /nop-ho-so/<procedure code>/ (portal.filing)."""

from django.urls import path

from portal import filing

app_name = "filing"

urlpatterns = [
    path("<str:code>/", filing.applicant, name="applicant"),
    path("<str:code>/giay-to/", filing.documents, name="documents"),
    path("<str:code>/xem-lai/", filing.review, name="review"),
    path("<str:code>/xoa/", filing.delete, name="delete"),
]
