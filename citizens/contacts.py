"""A citizen's sign-in contact: a Vietnamese phone number or an email address, normalised."""

from dataclasses import dataclass

from lib.validate import Invalid, email_problem, gettext_noop, normalise_phone, phone_problem

PHONE_CHARS = frozenset("0123456789+ .-()")


@dataclass(frozen=True)
class Contact:
    """`channel` is "sms" or "email"; `value` the normalised phone or the lower-cased email."""

    channel: str
    value: str

    @property
    def field(self) -> str:
        """The `accounts.User` field that holds this kind of contact."""
        return "phone" if self.channel == "sms" else "email"


def parse_contact(text: str) -> Contact | Invalid:
    """Read a phone number (+84 accepted, separators dropped) or an email address."""
    value = text.strip()
    if not value:
        return Invalid(gettext_noop("Enter your phone number or email address."))
    if "@" not in value and set(value) <= PHONE_CHARS:
        problem = phone_problem(value)
        return problem or Contact("sms", normalise_phone(value))
    problem = email_problem(value)
    # Domains are case-insensitive; local parts are in practice, and one account per mailbox
    # needs one spelling.
    return problem or Contact("email", value.lower())
