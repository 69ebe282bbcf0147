from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo province's seeding commands: they use every domain app, so none of them holds
    the commands (a domain app would otherwise import the apps above it)."""

    name = "demo"
    verbose_name = _("Demo")
