from django.apps import AppConfig


class CitizensConfig(AppConfig):
    name = "citizens"
    verbose_name = "Tài khoản công dân"

    def ready(self) -> None:
        from citizens import checks  # noqa: F401, PLC0415 - registers the deployment check
