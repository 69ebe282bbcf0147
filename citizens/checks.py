"""A deployment check: confirmation codes must not be written to the log in production."""

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def codes_not_logged(**kwargs: Any) -> list[Warning]:
    """Warn (`manage.py check --deploy`) when codes go to the server log outside DEBUG."""
    if settings.CONFIRMATION_CODES_IN_LOG and not settings.DEBUG:
        return [
            Warning(
                "CONFIRMATION_CODES_IN_LOG is on: anyone who reads the server log can take "
                "over a sign-up or a password reset.",
                hint="Set CONFIRMATION_CODES_IN_LOG=false in production.",
                id="citizens.W001",
            )
        ]
    return []
