"""Forms of the desk pages; they parse and validate, the actions decide."""

from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dossiers.models import ApplicantKind, Channel, ReturnMethod
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

    def __init__(
        self, *args: object, document_choices: list[tuple[int, str]] | None = None, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["documents"].choices = document_choices or []  # type: ignore[attr-defined]


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

    # The middle steps (dossiers.actions.verbs says which step asks for which).
    assignee = forms.ChoiceField(label=_("Assign to"), required=False)
    comment = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        validators=[text(2000, multiline=True)],
    )
    draft = forms.FileField(label=_("Draft result (PDF, JPEG or PNG)"), required=False)
    result_number = forms.CharField(
        label=_("Document number"), required=False, max_length=20, validators=[text(20)]
    )
    result_symbol = forms.CharField(
        label=_("Document symbol"),
        required=False,
        max_length=40,
        validators=[text(40)],
        help_text=_("e.g. GXN-UBND"),
    )
    result_date = forms.DateField(
        label=_("Date of the document"),
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    result_scan = forms.FileField(
        label=_("Scan of the signed result (PDF, JPEG or PNG)"), required=False
    )
    return_method = forms.ChoiceField(
        label=_("How the result was returned"),
        choices=[("", "—"), *ReturnMethod.choices],
        required=False,
    )
    collector_name = forms.CharField(
        label=_("Collected by (full name)"),
        required=False,
        max_length=200,
        validators=[text(200)],
    )
    collector_id_number = forms.CharField(
        label=_("Collector's ID number (optional)"),
        required=False,
        max_length=20,
        validators=[text(20)],
    )
    confirm = forms.BooleanField(
        label=_("I have checked the dossier and confirm: this cannot be undone."),
        required=False,
    )

    def __init__(
        self, *args: object, assignees: list[tuple[str, str]] | None = None, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["assignee"].choices = [("", "—"), *(assignees or [])]  # type: ignore[attr-defined]

    def missing_list(self) -> list[str]:
        text = self.cleaned_data.get("missing_documents") or ""
        return [line.strip() for line in text.splitlines() if line.strip()]
