from django.contrib.auth import views as auth_views
from django.urls import path

from backoffice import (
    notifications,
    payments,
    reveal,
    scans,
    search,
    signin,
    views,
    vouching,
    waivers,
    warnings,
)

app_name = "backoffice"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", signin.LoginView.as_view(), name="login"),
    path("login/code/", signin.code_step, name="two_factor"),
    path("login/enrol/", signin.enrol_step, name="two_factor_enrol"),
    path("logout/", auth_views.LogoutView.as_view(next_page="backoffice:login"), name="logout"),
    path("unit/", views.switch_unit, name="switch_unit"),
    path("queue/<str:name>/", views.inbox, name="queue"),
    path("warnings/", warnings.warnings_page, name="warnings"),
    path("search/", search.dossier_list, name="search"),
    path("search/export.xlsx", search.dossier_list_export, name="search_export"),
    path("intake/", views.intake, name="intake"),
    path("book/", views.book_page, name="book"),
    path("book/jobs/<uuid:job_id>/", views.book_job, name="book_job"),
    path("book/jobs/<uuid:job_id>/file", views.book_job_file, name="book_job_file"),
    path("citizens/vouch/", vouching.vouch, name="vouch"),
    path("notifications/", notifications.notifications, name="notifications"),
    path("notifications/bell/", notifications.bell, name="bell"),
    path("intake/procedures/", views.procedure_search, name="procedure_search"),
    path("dossiers/<str:code>/", views.dossier_page, name="dossier"),
    path("dossiers/<str:code>/payments/", payments.record, name="payment_record"),
    path(
        "dossiers/<str:code>/payments/<str:txn_ref>/refund/",
        payments.refund,
        name="payment_refund",
    ),
    path(
        "dossiers/<str:code>/payments/<str:txn_ref>/receipt.pdf",
        payments.receipt,
        name="payment_receipt",
    ),
    path("payments/reconciliation/", payments.reconciliation, name="reconciliation"),
    path("payments/waivers/", waivers.categories, name="waiver_categories"),
    path("payments/waivers/<int:pk>/retire/", waivers.retire, name="waiver_retire"),
    path("dossiers/<str:code>/waivers/", waivers.grant, name="waiver_grant"),
    path("dossiers/<str:code>/receipt/", views.receipt, name="receipt"),
    path("dossiers/<str:code>/reveal/", reveal.reveal_field, name="reveal"),
    path("dossiers/<str:code>/act/<str:verb>/", views.dossier_action, name="action"),
    path("dossiers/<str:code>/rate/", views.rate_page, name="rate"),
    path("dossiers/<str:code>/attachments/", scans.attach, name="attach"),
    path(
        "dossiers/<str:code>/attachments/<int:attachment_id>",
        scans.attachment_file,
        name="attachment",
    ),
    path("dossiers/<str:code>/papers/<str:form>.pdf", views.paper, name="paper"),
]
