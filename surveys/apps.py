from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Satisfaction surveys")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The transition engine calls us, without importing us, when a result is returned.
        from dossiers.actions import register_follow_up  # noqa: PLC0415 - after the registry
        from surveys.links import add_survey_link  # noqa: PLC0415 - same

        register_follow_up(add_survey_link)
