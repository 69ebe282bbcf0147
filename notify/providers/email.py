"""E-mail through Django's configured backend (SMTP by default); Message-ID from the reference."""

import smtplib
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage

from notify.providers import Outcome
from notify.render import Text


def message_id(reference: Any) -> str:
    return f"<{reference}@{settings.NOTIFY_EMAIL_DOMAIN}>"


def send(message: Any, text: Text, _template: Any) -> Outcome:
    email = EmailMessage(
        subject=text.subject,
        body=text.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.recipient],
        headers={"Message-ID": message_id(message.reference)},
    )
    try:
        email.send()
    except smtplib.SMTPRecipientsRefused as exc:
        # 4xx is "try again later" (greylisting, a full mailbox), 5xx a refusal.
        codes = [code for code, _ in exc.recipients.values()]
        kind = "permanent-failure" if all(c >= 500 for c in codes) else "temporary-failure"
        return Outcome(kind, detail=f"recipient refused: {exc.recipients}"[:200])
    except OSError as exc:  # smtplib's errors are OSErrors: a refused or dropped connection
        code = getattr(exc, "smtp_code", 0)
        kind = "permanent-failure" if 500 <= code < 600 else "temporary-failure"
        return Outcome(kind, detail=f"{exc.__class__.__name__}: {exc}"[:200])
    return Outcome("delivered")
