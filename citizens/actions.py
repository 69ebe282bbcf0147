"""State changes on citizen accounts: sign-up, password reset, vouching an ID number.

Each is one transaction; a message to the citizen is an outbox row written in it
(`citizens.codes.send` for codes).
"""

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import IdSource, User
from citizens import codes
from citizens.codes import CodeError
from citizens.contacts import Contact
from citizens.models import ContactCode, IdentityRecord, Purpose
from dossiers.models import OutboxMessage
from lib.validate import Invalid, citizen_id_problem, tax_code_problem
from orgs.access import has_role
from orgs.models import Role, Unit


class VouchError(Exception):
    """The ID number cannot be vouched; `message` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def citizen_with_contact(contact: Contact) -> User | None:
    """The citizen account that signs in with this confirmed phone or email, if any."""
    confirmed = f"{contact.field}_confirmed_at__isnull"
    return User.objects.filter(
        is_citizen=True, **{contact.field: contact.value, confirmed: False}
    ).first()


def new_username() -> str:
    """A username for a citizen account: never shown, never typed (citizens sign in with their
    phone or email through accounts.backends.CitizenBackend)."""
    return f"citizen-{secrets.token_hex(8)}"


def start_signup(contact: Contact, *, full_name: str, password: str, at: datetime) -> ContactCode:
    """Send a confirmation code to the contact and keep the sign-up until it is confirmed.

    If the contact already has an account, no code is sent: its owner is told that someone
    tried to sign up with it, and the caller answers exactly as for a new contact.
    """
    return start_signup_hashed(
        contact, full_name=full_name, password_hash=make_password(password), at=at
    )


def confirm_signup(row_id: int | None, code: str, *, at: datetime) -> User:
    """Create the account of a sign-up whose code is right; its contact counts as confirmed."""
    row = codes.check(row_id, Purpose.SIGNUP, code, at=at)
    contact = Contact(row.channel, row.contact)
    try:
        with transaction.atomic():
            if not codes.use(row, at):
                raise CodeError(_("The code has expired or was already used. Ask for a new code."))
            user = User(
                username=new_username(),
                is_citizen=True,
                full_name=row.full_name,
                password=row.password_hash,
                **{contact.field: contact.value, f"{contact.field}_confirmed_at": at},
            )
            user.save()
    except IntegrityError:
        # Two sign-ups of one contact confirmed at once: the first one won.
        raise CodeError(_("An account with this contact already exists. Sign in.")) from None
    return user


def resend(row_id: int | None, *, at: datetime) -> ContactCode:
    """Send a new code for a pending sign-up or reset (the old one stops working)."""
    row = ContactCode.objects.filter(pk=row_id, used_at__isnull=True).first() if row_id else None
    if row is None:
        raise CodeError(_("Nothing is waiting for a code. Start again."))
    contact = Contact(row.channel, row.contact)
    with transaction.atomic():
        ContactCode.objects.filter(pk=row.pk, used_at__isnull=True).update(used_at=at)
        if row.purpose == Purpose.SIGNUP:
            return start_signup_hashed(
                contact, full_name=row.full_name, password_hash=row.password_hash, at=at
            )
        return start_reset(contact, at=at)


def start_signup_hashed(
    contact: Contact, *, full_name: str, password_hash: str, at: datetime
) -> ContactCode:
    """`start_signup` with the password already hashed (a resend)."""
    owner = citizen_with_contact(contact)
    return codes.send(
        contact,
        kind="signup_code" if owner is None else "signup_account_exists",
        at=at,
        deliver_code=owner is None,
        user=owner,
        purpose=Purpose.SIGNUP,
        full_name=full_name,
        password_hash=password_hash,
    )


def start_reset(contact: Contact, *, at: datetime) -> ContactCode:
    """Send a code to reset the password of the account of this contact.

    Answered alike whether or not the contact has an account: without one, the row accepts
    no code and nothing is sent.
    """
    owner = citizen_with_contact(contact)
    if owner is None:
        # Counted, timed and guessed exactly like a real one, so no answer tells them apart.
        codes.check_send_budget(contact, at)
        return ContactCode.objects.create(
            purpose=Purpose.RESET,
            channel=contact.channel,
            contact=contact.value,
            code_hash=codes.NEVER,
            created_at=at,
            expires_at=at + timedelta(minutes=settings.CODE_TTL_MINUTES),
        )
    return codes.send(
        contact, kind="reset_code", at=at, deliver_code=True, user=owner, purpose=Purpose.RESET
    )


def finish_reset(row_id: int | None, code: str, *, password: str, at: datetime) -> User:
    """Set a new password on the account whose reset code is right."""
    row = codes.check(row_id, Purpose.RESET, code, at=at)
    with transaction.atomic():
        if not codes.use(row, at) or row.user is None:
            raise CodeError(_("The code has expired or was already used. Ask for a new code."))
        user = User.objects.select_for_update().get(pk=row.user.pk)
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


def id_number_problem(value: str, *, at: datetime) -> Invalid | None:
    """A citizen ID (12 digits) or a tax code (10 digits, -NNN for a branch)."""
    if len(value) == 12:
        return citizen_id_problem(value, today=at.date())
    return tax_code_problem(value)


def _notify(user: User, kind: str, at: datetime, **payload: str) -> None:
    for channel, field in (("sms", "phone"), ("email", "email")):
        confirmed = getattr(user, f"{field}_confirmed_at")
        if confirmed is not None:
            OutboxMessage.objects.create(
                user=user,
                kind=kind,
                channel=channel,
                recipient=getattr(user, field),
                payload=payload,
                created_at=at,
            )


def vouch_id_number(
    *, officer: User, citizen: User, id_number: str, unit: Unit, at: datetime, client: str = ""
) -> User:
    """Record that a desk officer of `unit` saw the card bearing `id_number` of this citizen.

    From then on the account sees the desk dossiers filed under that number
    (Dossier.objects.visible_to). One transaction: the account, an IdentityRecord, and a
    message to the citizen.
    """
    if not has_role(officer, Role.DESK_OFFICER, unit):
        raise VouchError(_("Only a desk officer of this unit may vouch for an ID number."))
    problem = id_number_problem(id_number, at=at)
    if problem is not None:
        raise VouchError(problem.say(_))
    with transaction.atomic():
        account = User.objects.select_for_update().filter(pk=citizen.pk, is_citizen=True).first()
        if account is None:
            raise VouchError(_("This is not a citizen account."))
        taken = User.objects.filter(id_number=id_number, id_number_vouched_at__isnull=False)
        if taken.exclude(pk=account.pk).exists():
            raise VouchError(
                _(
                    "This ID number is already vouched for on another account. Ask the citizen "
                    "which account is theirs; the administrator can withdraw the other."
                )
            )
        account.id_number = id_number
        account.id_number_vouched_at = at
        account.id_number_vouched_by = officer
        account.id_number_source = IdSource.DESK
        account.save(
            update_fields=[
                "id_number",
                "id_number_vouched_at",
                "id_number_vouched_by",
                "id_number_source",
            ]
        )
        IdentityRecord.objects.create(
            user=account,
            id_number=id_number,
            source=IdSource.DESK,
            vouched_by=officer,
            unit=unit,
            at=at,
            client=client,
        )
        _notify(account, "id_vouched", at, unit=unit.name)
    return account
