"""The questionnaire of a campaign as a Django form, grouped by theme for the pages."""

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from surveys.actions import SurveyError, submit
from surveys.models import THEME_ORDER, Campaign, Kind, Question, ResponseChannel

if TYPE_CHECKING:
    from accounts.models import User
    from dossiers.models import Dossier
    from orgs.models import Unit


def field_name(question: Question) -> str:
    return f"q{question.pk}"


def _field(question: Question) -> forms.Field:
    common: dict[str, Any] = {"label": question.text, "required": question.required}
    if question.kind == Kind.TEXT:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, **common)
    if question.kind == Kind.SCALE:
        points = []
        for value in range(1, question.scale_max + 1):
            label = str(value)
            if value == 1 and question.low_label:
                label = f"{value} — {question.low_label}"
            elif value == question.scale_max and question.high_label:
                label = f"{value} — {question.high_label}"
            points.append((str(value), label))
        return forms.TypedChoiceField(
            choices=points,
            coerce=int,
            widget=forms.RadioSelect(attrs={"class": "scale"}),
            **common,
        )
    options = [(str(c.pk), c.label) for c in question.choices.all()]
    return forms.TypedChoiceField(choices=options, coerce=int, widget=forms.RadioSelect, **common)


class QuestionnaireForm(forms.Form):
    """One field per question (`q<id>`), plus the unit for anonymous answers when asked."""

    def __init__(
        self, *args: Any, campaign: Campaign, units: list[Any] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.questions = list(campaign.questions.prefetch_related("choices"))
        if units is not None:
            self.fields["unit"] = forms.TypedChoiceField(
                label=_("Where were you served?"),
                choices=[("", _("— choose a unit —"))] + [(str(u.pk), u.name) for u in units],
                coerce=int,
            )
        for question in self.questions:
            self.fields[field_name(question)] = _field(question)

    def themes(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The questions' fields grouped by theme, in the questionnaire's order."""
        groups = []
        for theme in THEME_ORDER:
            fields = [self[field_name(q)] for q in self.questions if q.theme == theme]
            if fields:
                groups.append((str(theme.label), fields))
        return groups

    def answers(self) -> dict[int, Any]:
        """The cleaned answers by question id (empty optional answers left out)."""
        out = {}
        for question in self.questions:
            value = self.cleaned_data.get(field_name(question))
            if value not in (None, ""):
                out[question.pk] = value
        return out

    def record(
        self,
        campaign: Campaign,
        *,
        unit: "Unit",
        channel: ResponseChannel,
        at: datetime,
        dossier: "Dossier | None" = None,
        account: "User | None" = None,
    ) -> bool:
        """Submit the valid form's answers; on refusal put the reason on the form, False."""
        try:
            submit(
                campaign,
                unit=unit,
                answers=self.answers(),
                channel=channel,
                at=at,
                dossier=dossier,
                account=account,
            )
        except SurveyError as exc:
            self.add_error(None, exc.message)
            return False
        return True
