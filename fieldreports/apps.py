from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldreportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "fieldreports"
    verbose_name = _("Field reports")
