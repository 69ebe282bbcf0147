"""Forms of the desk pages; they parse and validate, the actions decide."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dossiers.actions import ActionError, Applicant
from dossiers.actions.filing import applicant_problems
from dossiers.models import ApplicantKind, Channel, ReturnMethod, Status
from dossiers.search import DossierFilter, Period
from lib import validate
from lib.validate import Invalid
from orgs.models import Unit


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


class ErrorsBesideFields(forms.Form):
    """A form whose each field with errors points to them (aria-describedby="<id>-error").

    The template writes the errors beside the field in an element with that id; a reader of
    the screen hears them when the field takes the focus.
    """

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                bound = self[name]
                described = f"{bound.auto_id}-error"
                widget = self.fields[name].widget
                widget.attrs["aria-describedby"] = described
                widget.attrs["aria-invalid"] = "true"

    def error_summary(self) -> list[tuple[str, str, str]]:
        """Every error as (anchor id, field label, message): the form's own first (no anchor
        nor label), then the fields' in the form's order."""
        out: list[tuple[str, str, str]] = [("", "", str(e)) for e in self.non_field_errors()]
        for bound in self:
            for message in self.errors.get(bound.name, []):
                anchor = bound.auto_id
                if isinstance(bound.field.widget, forms.CheckboxSelectMultiple):
                    anchor = f"{bound.auto_id}-error"
                out.append((anchor, str(bound.label), str(message)))
        return out


class ApplicantForm(ErrorsBesideFields):
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
        required_documents: list[int] | None = None,
        competent_choices: list[tuple[int, str]] | None = None,
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["documents"].choices = document_choices or []  # type: ignore[attr-defined]
        self._required = required_documents or []
        if competent_choices and len(competent_choices) > 1:
            field = self.fields["competent_unit"]
            field.choices = competent_choices  # type: ignore[attr-defined]
            field.initial = competent_choices[0][0]
        else:
            del self.fields["competent_unit"]

    def clean(self) -> dict[str, Any]:
        """Check every field at once with the filing action's own rules (ADR 11): each
        problem is added beside its field, none hides another."""
        data = super().clean() or {}
        applicant = Applicant(
            kind=str(data.get("applicant_kind") or ApplicantKind.PERSON),
            **{
                field: str(data.get(f"applicant_{field}") or "")
                for field in ("name", "id_number", "address", "phone", "email")
            },
        )
        for field, problem in applicant_problems(applicant, timezone.now()):
            name = f"applicant_{field}"
            # A field whose own validator already refused it keeps that one message.
            if problem is not None and name not in self.errors:
                self.add_error(name, problem.say(gettext))
        contact = ("applicant_phone", "applicant_email")
        if not any(self.data.get(n, "").strip() for n in contact) and not any(
            n in self.errors for n in contact
        ):
            self.add_error(
                "applicant_phone",
                gettext("A phone number or an email address is needed to contact the applicant."),
            )
        received = set(data.get("documents") or [])
        names = dict(self.fields["documents"].choices)  # type: ignore[attr-defined]
        missing = [names[p] for p in self._required if p not in received and p in names]
        if missing and "documents" not in self.errors:
            self.add_error(
                "documents",
                gettext("Missing required documents: %(names)s.") % {"names": "; ".join(missing)},
            )
        return data

    def add_action_error(self, exc: ActionError) -> None:
        """Put each problem of a refused filing beside the field it names, else at the top."""
        problems = exc.extra.get("errors") or [
            {"field": exc.extra.get("field", ""), "message": exc.message}
        ]
        for problem in problems:
            field = str(problem["field"]).replace("applicant.", "applicant_")
            self.add_error(field if field in self.fields else None, problem["message"])


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


DATE_INPUTS = ["%d/%m/%Y", "%Y-%m-%d"]


class DossierListForm(ErrorsBesideFields):
    """The dossier list's filters (every field optional); `filter()` gives the domain's."""

    q = forms.CharField(
        label=_("Code, ID number, name or phone"),
        required=False,
        max_length=200,
        validators=[text(200)],
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    procedure = forms.ChoiceField(label=_("Procedure"), required=False)
    channel = forms.ChoiceField(label=_("Channel"), required=False)
    unit = forms.ChoiceField(label=_("Unit"), required=False)
    period = forms.ChoiceField(
        label=_("Dates are"),
        required=False,
        choices=[
            (Period.SUBMITTED, _("submitted between")),
            (Period.RECEIVED, _("received between")),
        ],
    )
    start = forms.DateField(label=_("From (dd/mm/yyyy)"), required=False, input_formats=DATE_INPUTS)
    end = forms.DateField(label=_("To (dd/mm/yyyy)"), required=False, input_formats=DATE_INPUTS)

    def __init__(
        self,
        data: object = None,
        *,
        units: list[Unit],
        procedures: list[tuple[str, str]],
    ) -> None:
        super().__init__(data)  # type: ignore[arg-type]
        every = [("", gettext("All"))]
        self._units = {str(u.pk): u for u in units}
        self.fields["status"].choices = every + list(Status.choices)  # type: ignore[attr-defined]
        self.fields["channel"].choices = every + list(Channel.choices)  # type: ignore[attr-defined]
        self.fields["procedure"].choices = every + [  # type: ignore[attr-defined]
            (code, f"{code} — {name}") for code, name in procedures
        ]
        self.fields["unit"].choices = [("", gettext("All my units"))] + [  # type: ignore[attr-defined]
            (str(u.pk), u.name) for u in units
        ]
        for name in ("start", "end"):
            self.fields[name].widget.attrs.update(
                {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "size": 10}
            )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", gettext("The period must not end before it starts."))
        return data

    def filter(self) -> DossierFilter:
        """The domain filter of a valid form."""
        data = self.cleaned_data
        return DossierFilter(
            q=data["q"].strip(),
            status=data["status"],
            procedure=data["procedure"],
            channel=data["channel"],
            unit=self._units.get(data["unit"]),
            period=data["period"] or Period.SUBMITTED,
            start=data["start"],
            end=data["end"],
        )
