"""Dossiers in the Django admin: a read-only list, and the history import page.

Dossiers change only through the lifecycle actions, so the admin neither adds, edits nor
deletes them. The history import (docs/import-format.md) lives here because the province's IT
team, who move the previous system's records, work in the admin: Django staff holding the
`dossiers.import_history` permission (or superusers) see an "Import history" button on the
dossier list. The list shows no applicant data; those who may only import see the list but
not the dossier pages.
"""

from typing import Any
from uuid import UUID

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dossiers import import_jobs
from dossiers.models import Dossier

IMPORT_PERMISSION = "dossiers.import_history"


def max_upload_bytes() -> int:
    """settings.HISTORY_IMPORT_MAX_BYTES: 10 MB by default, about 55,000 rows."""
    return int(settings.HISTORY_IMPORT_MAX_BYTES)


def may_import(user: Any) -> bool:
    """Active staff with the import permission (superusers have every permission)."""
    return bool(user.is_active and user.is_staff and user.has_perm(IMPORT_PERMISSION))


class HistoryUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("History file (CSV or XLSX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        ext = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if ext not in import_jobs.EXTENSIONS:
            raise forms.ValidationError(
                _("%(name)s is not a CSV or XLSX file; save the history as .csv or .xlsx.")
                % {"name": upload.name}
            )
        limit = max_upload_bytes()
        if upload.size > limit:
            raise forms.ValidationError(
                _(
                    "The file is %(size)s; the page takes at most %(limit)s. Split it, or run "
                    "python manage.py import_dossiers on the server."
                )
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            )
        return upload


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "procedure_version",
        "receiving_unit",
        "channel",
        "status",
        "received_at",
        "finished_at",
    ]
    list_filter = ["status", "channel", "punctuality"]
    search_fields = ["code"]
    list_select_related = ["procedure_version__procedure", "receiving_unit"]
    date_hierarchy = "received_at"
    change_list_template = "admin/dossiers/dossier/change_list.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Importers may check what they brought in, from the list (no applicant data there).
        if obj is None and may_import(request.user):
            return True
        return super().has_view_permission(request, obj)

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_view), name="dossiers_dossier_import"),
            path(
                "import/<uuid:job>/",
                view(self.import_status_view),
                name="dossiers_dossier_import_status",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        extra = {"may_import": may_import(request.user), **(extra_context or {})}
        return super().changelist_view(request, extra_context=extra)

    def _context(self, request: HttpRequest, title: str, **extra: Any) -> dict[str, Any]:
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "max_bytes": max_upload_bytes(),
            **extra,
        }

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Take a history file, start its import and go to the page that follows it."""
        if not may_import(request.user):
            raise PermissionDenied
        form = HistoryUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            user_id = request.user.pk
            assert user_id is not None  # admin_view let only signed-in staff through
            job = import_jobs.start(upload.read(), upload.name, user_id)
            url = reverse("admin:dossiers_dossier_import_status", args=[UUID(job)])
            return HttpResponseRedirect(url)
        context = self._context(request, _("Import dossier history"), form=form)
        return TemplateResponse(request, "admin/dossiers/dossier/import_form.html", context)

    def import_status_view(self, request: HttpRequest, job: UUID) -> HttpResponse:
        """Follow an import: progress while it runs, then every bad row or the summary."""
        if not may_import(request.user):
            raise PermissionDenied
        state = import_jobs.load_state(job.hex)
        # An import's errors and summary belong to whoever started it (and superusers).
        if state is None or (state.user_id != request.user.pk and not request.user.is_superuser):
            raise Http404
        context = self._context(request, _("Import dossier history"), state=state)
        return TemplateResponse(request, "admin/dossiers/dossier/import_status.html", context)
