"""Forms of the citizen's account pages; every rule comes from lib.validate or Django's
password validators."""

from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from citizens.contacts import Contact, parse_contact
from lib.validate import Invalid, name_problem, text_problem

CONTACT_MAX = 254


def _contact(value: str) -> Contact:
    problem = text_problem(value, max_length=CONTACT_MAX)
    parsed = problem or parse_contact(value)
    if isinstance(parsed, Invalid):
        raise forms.ValidationError(parsed.say(_))
    return parsed


class ContactForm(forms.Form):
    """A phone number or an email address (forgotten password)."""

    contact = forms.CharField(
        label=gettext_lazy("Phone number or email"),
        max_length=CONTACT_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )

    def clean_contact(self) -> Contact:
        return _contact(self.cleaned_data["contact"])


class SigninForm(ContactForm):
    password = forms.CharField(
        label=gettext_lazy("Password"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class NewPasswordMixin(forms.Form):
    password1 = forms.CharField(
        label=gettext_lazy("New password"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=gettext_lazy("At least 8 characters, not only digits, not a common password."),
    )
    password2 = forms.CharField(
        label=gettext_lazy("New password again"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def _check_password(self, cleaned: dict[str, Any], user: User) -> None:
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if not first:
            return
        if first != second:
            self.add_error("password2", _("The two passwords differ."))
            return
        try:
            validate_password(first, user=user)
        except forms.ValidationError as exc:
            self.add_error("password1", exc)


class SignupForm(NewPasswordMixin, ContactForm):
    full_name = forms.CharField(
        label=gettext_lazy("Full name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    field_order = ["full_name", "contact", "password1", "password2"]

    def clean_full_name(self) -> str:
        name = " ".join(self.cleaned_data["full_name"].split())
        problem = name_problem(name, max_length=150)
        if problem:
            raise forms.ValidationError(problem.say(_))
        return name

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        contact = cleaned.get("contact")
        # The similarity validator compares the password with the name and the contact.
        probe = User(full_name=cleaned.get("full_name", ""))
        if isinstance(contact, Contact):
            setattr(probe, contact.field, contact.value)
        self._check_password(cleaned, probe)
        return cleaned


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Confirmation code (6 digits)"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class ResetForm(NewPasswordMixin, CodeForm):
    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user or User()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self._check_password(cleaned, self.user)
        return cleaned
