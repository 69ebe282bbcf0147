"""Forms of the desk pages; they parse and validate, the actions decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dossiers.models import ApplicantKind, Channel


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
    applicant_name = forms.CharField(label=_("Full name or organisation name"), max_length=200)
    applicant_id_number = forms.CharField(
        label=_("Citizen ID (12 digits) or tax code"), max_length=20
    )
    applicant_phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    applicant_email = forms.EmailField(label=_("Email"), required=False)
    applicant_address = forms.CharField(label=_("Address"), max_length=300, required=False)
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
        label=_("Reason"), widget=forms.Textarea, required=False, max_length=2000
    )
    missing_documents = forms.CharField(
        label=_("Documents to add or correct (one per line)"),
        widget=forms.Textarea,
        required=False,
        max_length=4000,
    )
    new_due = forms.DateTimeField(
        label=_("New appointment"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def missing_list(self) -> list[str]:
        text = self.cleaned_data.get("missing_documents") or ""
        return [line.strip() for line in text.splitlines() if line.strip()]
