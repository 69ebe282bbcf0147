"""The citizen's own dossiers at /ho-so-cua-toi/ (portal.mine)."""

from django.urls import path

from portal import mine, payments

app_name = "mine"

urlpatterns = [
    path("", mine.dossiers, name="list"),
    path("giay-to/", mine.documents, name="documents"),
    path("<str:code>/", mine.dossier, name="dossier"),
    path("<str:code>/bo-sung/", mine.supplement, name="supplement"),
    path("<str:code>/tep/<int:attachment_id>/", mine.attachment, name="attachment"),
    path("<str:code>/ket-qua.pdf", mine.result, name="result"),
    path("<str:code>/danh-gia/", mine.rating, name="rating"),
    path("<str:code>/thanh-toan/", payments.pay, name="pay"),
    path("<str:code>/bien-lai/<str:txn_ref>.pdf", payments.receipt, name="receipt"),
]
