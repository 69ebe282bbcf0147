"""Templates' {placeholders}: the names known, the check, and the text of one message.

A template may only name the placeholders below (`check_placeholders` refuses any other, in the
admin and again when a message is rendered). A known placeholder the message has no value for
renders empty.
"""

import string
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone

from lib.sms import Parts, parts
from lib.text import strip_diacritics

PLACEHOLDERS = {
    "code": "dossier code",
    "procedure": "procedure name",
    "unit": "receiving unit",
    "status": "dossier status",
    "due": "appointment (dd/mm/yyyy HH:MM)",
    "reason": "reason given by the officer",
    "otp": "one-time code",
    "minutes": "minutes the code lasts",
    "link": "link to the dossier's status page",
    "step": "workflow step",
    "count": "a number (digests)",
    "amount": "an amount (payments)",
    "survey": "satisfaction survey link (returned result, while a survey is open)",
    "lookup": "lookup number for the telephone hotline (digits only)",
}


class TemplateProblem(Exception):
    """A template names a placeholder nobody fills, or is malformed."""


def check_placeholders(text: str) -> list[str]:
    """The placeholder names of `text`; TemplateProblem on an unknown one or a bad brace."""
    try:
        fields = [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
    except ValueError as exc:
        raise TemplateProblem(f"malformed template: {exc}") from exc
    unknown = sorted({f for f in fields if f not in PLACEHOLDERS})
    if unknown:
        raise TemplateProblem(
            "unknown placeholder(s): "
            + ", ".join("{" + f + "}" for f in unknown)
            + "; known: "
            + ", ".join("{" + p + "}" for p in PLACEHOLDERS)
        )
    return fields


def fill(text: str, values: dict[str, str]) -> str:
    """`text` with its placeholders replaced; TemplateProblem on an unknown one."""
    check_placeholders(text)
    return text.format_map({name: values.get(name, "") for name in PLACEHOLDERS})


def _local(value: Any) -> str:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    return ""


def values_for(message: Any) -> dict[str, str]:
    """The placeholder values of one outbox message (its payload, then its dossier)."""
    payload = message.payload or {}
    values = {k: str(v) for k, v in payload.items() if k in PLACEHOLDERS and v is not None}
    dossier = message.dossier
    if dossier is None:
        # An account message: the payload's code is the one-time code.
        values["otp"] = str(payload.get("code", ""))
        values.pop("code", None)
        return values
    values["code"] = dossier.code
    values["lookup"] = dossier.lookup_number
    values["procedure"] = dossier.procedure_version.procedure.name
    values["unit"] = dossier.receiving_unit.name
    values["status"] = str(dossier.get_status_display())
    values["due"] = _local(payload.get("due_at") or dossier.due_at)
    base = settings.PUBLIC_BASE_URL.rstrip("/")
    values["link"] = f"{base}/tra-cuu/"
    return values


@dataclass(frozen=True)
class Text:
    """A rendered message: subject (email), body, and for SMS its parts."""

    subject: str
    body: str
    sms: Parts | None = None
    # The values of the body's placeholders (Zalo fills its own approved template with them).
    data: dict[str, str] = field(default_factory=dict)


def render(subject: str, body: str, values: dict[str, str], *, channel: str) -> Text:
    """Fill a template for one channel; SMS may be sent without diacritics (a setting)."""
    text = fill(body, values).strip()
    data = {name: values.get(name, "") for name in check_placeholders(body)}
    if channel == "sms":
        if settings.SMS_STRIP_DIACRITICS:
            text = strip_diacritics(text)
        return Text("", text, parts(text), data)
    return Text(fill(subject, values).strip(), text, None, data)
