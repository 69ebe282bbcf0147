"""Forms of the desk pages; they parse and validate, the actions decide."""

from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dossiers.models import ApplicantKind, Channel
from lib import validate
from lib.validate import Invalid


def rule(check: Callable[[str], Invalid | None]) -> Callable[[str], None]:
    """Return a Django validator that applies one of lib.validate's rules."""

    def run(value: str) -> None:
        problem = check(value)
        if problem is not None:
            raise ValidationError(problem.say(gettext), code="invalid")

    return run


def text(max_length: int, *, multiline: bool = False) -> Callable[[str], None]:
    """Return a validator: at most `max_length` characters, no control character nor NUL."""
    return rule(lambda v: validate.text_problem(v, max_length=max_length, multiline=multiline))


class ApplicantForm(forms.Form):
    procedure = forms.CharField(
        widget=forms.HiddenInput, error_messages={"required": _("Choose a procedure.")}
    )
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[
            (Channel.DESK.value, Channel.DESK.label),
            (Channel.POST.value, Channel.POST.label),
        ],
        initial=Channel.DESK.value,
    )
    applicant_kind = forms.ChoiceField(
        label=_("Applicant is"), choices=ApplicantKind.choices, initial=ApplicantKind.PERSON
    )
    # The lengths are the columns' (lib.validate); the rules give the Vietnamese messages.
    applicant_name = forms.CharField(
        label=_("Full name or organisation name"), validators=[rule(validate.name_problem)]
    )
    applicant_id_number = forms.CharField(
        label=_("Citizen ID (12 digits) or tax code"), validators=[text(validate.ID_NUMBER_MAX)]
    )
    applicant_phone = forms.CharField(
        label=_("Phone"), required=False, validators=[rule(validate.phone_problem)]
    )
    applicant_email = forms.CharField(
        label=_("Email"), required=False, validators=[rule(validate.email_problem)]
    )
    applicant_address = forms.CharField(
        label=_("Address"), required=False, validators=[text(validate.ADDRESS_MAX)]
    )
    sets_count = forms.IntegerField(label=_("Number of sets"), min_value=1, max_value=50, initial=1)
    documents = forms.TypedMultipleChoiceField(
        label=_("Documents received"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    # The unit that decides (Decree 118/2025: the desk receives and routes to the competent
    # unit); shown only when the procedure can be decided by more than one unit.
    competent_unit = forms.TypedChoiceField(
        label=_("Competent unit (decides the dossier)"), coerce=int, required=False
    )

    def __init__(
        self,
        *args: object,
        document_choices: list[tuple[int, str]] | None = None,
        competent_choices: list[tuple[int, str]] | None = None,
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["documents"].choices = document_choices or []  # type: ignore[attr-defined]
        if competent_choices and len(competent_choices) > 1:
            field = self.fields["competent_unit"]
            field.choices = competent_choices  # type: ignore[attr-defined]
            field.initial = competent_choices[0][0]
        else:
            del self.fields["competent_unit"]


class ActionForm(forms.Form):
    """What an action asks for: the version seen, and what the law requires for the verb."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea,
        required=False,
        validators=[text(2000, multiline=True)],
    )
    missing_documents = forms.CharField(
        label=_("Documents to add or correct (one per line)"),
        widget=forms.Textarea,
        required=False,
        validators=[text(4000, multiline=True)],
    )
    new_due = forms.DateTimeField(
        label=_("New appointment"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    # The unit a transfer goes to; its choices are set by the view (dossier_action).
    competent_unit = forms.TypedChoiceField(
        label=_("Transfer to (competent unit)"), coerce=int, required=False
    )

    def missing_list(self) -> list[str]:
        text = self.cleaned_data.get("missing_documents") or ""
        return [line.strip() for line in text.splitlines() if line.strip()]
