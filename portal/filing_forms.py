"""The online filing's applicant form; every rule comes from intake's own checks
(`dossiers.actions.filing.applicant_problems`, i.e. lib.validate)."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dossiers.actions import Applicant
from dossiers.actions.filing import applicant_problems
from dossiers.models import ApplicantKind
from orgs.models import Unit


class ApplicantForm(forms.Form):
    """Who files, how to reach them, and the unit that receives the dossier."""

    name = forms.CharField(label=gettext_lazy("Full name"), max_length=200, required=False)
    id_number = forms.CharField(
        label=gettext_lazy("Citizen ID number (12 digits)"), max_length=20, required=False
    )
    address = forms.CharField(label=gettext_lazy("Address"), max_length=300, required=False)
    phone = forms.CharField(
        label=gettext_lazy("Phone number"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.CharField(
        label=gettext_lazy("Email"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    unit = forms.TypedChoiceField(label=gettext_lazy("Receiving unit"), coerce=int)

    def __init__(self, *args: Any, units: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        unit = self.fields["unit"]
        assert isinstance(unit, forms.TypedChoiceField)
        unit.choices = [(u.pk, u.name) for u in units]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        applicant = Applicant(
            kind=ApplicantKind.PERSON,
            **{
                k: str(data.get(k) or "")
                for k in ("name", "id_number", "address", "phone", "email")
            },
        )
        for field, problem in applicant_problems(applicant, timezone.now()):
            if problem is not None:
                self.add_error(field, problem.say(_))
        if not (applicant.phone.strip() or applicant.email.strip()):
            self.add_error(
                "phone", _("A phone number or an email address is needed to contact you.")
            )
        return data
