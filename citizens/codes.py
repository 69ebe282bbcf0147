"""One-time codes: made, hashed, written with their outbox row, and checked with a budget.

A code is six digits, kept only as a keyed hash (HMAC with SECRET_KEY), valid for
CODE_TTL_MINUTES and for CODE_MAX_ATTEMPTS guesses; at most CODE_SENDS_PER_HOUR codes go to
one contact in an hour. The outbox row carries the code to the sender (it must, to text it);
in the demo, CONFIRMATION_CODES_IN_LOG also writes it to the server log after commit.
"""

import logging
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from accounts import ratelimit
from accounts.models import User
from accounts.ratelimit import Limit
from citizens.contacts import Contact
from citizens.models import ContactCode
from dossiers.models import OutboxMessage

logger = logging.getLogger(__name__)

# A hash no code has: the row of a sign-up for a contact that already has an account (its
# owner is told instead), so the page and its attempt budget behave exactly alike.
NEVER = "!"


class CodeError(Exception):
    """A code cannot be sent or accepted; `message` says why, in the active language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def hash_code(contact: str, code: str) -> str:
    """Return the keyed hash under which the code sent to `contact` is stored."""
    return salted_hmac("motcua.citizens.code", f"{contact}:{code}", algorithm="sha256").hexdigest()


def _sends_limit() -> Limit:
    return Limit(settings.CODE_SENDS_PER_HOUR, timedelta(hours=1))


def check_send_budget(contact: Contact, at: datetime) -> None:
    """Count one code sent to `contact`; raise CodeError past CODE_SENDS_PER_HOUR."""
    if not ratelimit.hit(f"code-send:{contact.value}", _sends_limit(), at=at):
        raise CodeError(_("Too many codes were sent to this contact. Please try again in an hour."))


def new_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def send(
    contact: Contact,
    *,
    kind: str,
    at: datetime,
    deliver_code: bool,
    user: User | None = None,
    purpose: str,
    **fields: Any,
) -> ContactCode:
    """Write a code row and its outbox message in one transaction; return the row.

    When `deliver_code` is false the row gets a hash no code matches and the message `kind`
    carries no code (e.g. "an account already exists"): the caller answers alike either way.
    """
    check_send_budget(contact, at)
    code = new_code()
    with transaction.atomic():
        row = ContactCode.objects.create(
            purpose=purpose,
            channel=contact.channel,
            contact=contact.value,
            code_hash=hash_code(contact.value, code) if deliver_code else NEVER,
            user=user,
            created_at=at,
            expires_at=at + timedelta(minutes=settings.CODE_TTL_MINUTES),
            **fields,
        )
        payload = {"code": code, "minutes": settings.CODE_TTL_MINUTES} if deliver_code else {}
        OutboxMessage.objects.create(
            user=user,
            kind=kind,
            channel=contact.channel,
            recipient=contact.value,
            payload=payload,
            created_at=at,
        )
        if settings.CONFIRMATION_CODES_IN_LOG:
            text = f"code {code}" if deliver_code else "no code (an account already exists)"
            transaction.on_commit(
                lambda: logger.warning(
                    "DEMO outbox %s to %s:%s: %s", kind, contact.channel, contact.value, text
                )
            )
    return row


def check(row_id: int | None, purpose: str, code: str, *, at: datetime) -> ContactCode:
    """Count one attempt at the code of row `row_id`; return the row if the code is right.

    The attempt is committed before the code is compared, so parallel guesses share the
    budget and a wrong guess stays counted.
    """
    expired = _("The code has expired or was already used. Ask for a new code.")
    with transaction.atomic():
        row = (
            ContactCode.objects.select_for_update().filter(pk=row_id, purpose=purpose).first()
            if row_id
            else None
        )
        if row is None or row.used_at is not None or row.expires_at <= at:
            raise CodeError(expired)
        if row.attempts >= settings.CODE_MAX_ATTEMPTS:
            raise CodeError(_("Too many wrong codes. Ask for a new code."))
        row.attempts += 1
        row.save(update_fields=["attempts"])
    digits = code.strip()
    if not (
        len(digits) == 6 and digits.isascii() and digits.isdigit()
    ) or not constant_time_compare(row.code_hash, hash_code(row.contact, digits)):
        raise CodeError(_("The code is wrong. Check the latest message and try again."))
    return row


def use(row: ContactCode, at: datetime) -> bool:
    """Mark the row used (inside the caller's transaction); False if it was used meanwhile."""
    return ContactCode.objects.filter(pk=row.pk, used_at__isnull=True).update(used_at=at) == 1
