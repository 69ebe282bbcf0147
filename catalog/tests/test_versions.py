"""Versions: the workflow adds up to the legal limit, or the version is refused."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from catalog.actions import publish_version
from catalog.models import ProcedureVersion, VersionStatus, WorkflowStep, workflow_mismatch
from conftest import World
from orgs.models import AgencyKind


@pytest.mark.parametrize(
    ("amount", "unit", "hours", "expected"),
    [
        (3, "days", [4, 14, 4, 2], None),
        (3, "days", [4, 10, 4, 2], "thiếu 4 giờ"),
        (1, "days", [4, 4, 1.5], "thừa 1,5 giờ"),
        (0, "same_day", [2, 4, 2], None),
        (40, "hours", [8, 32], None),
        (2, "days", [], "ít nhất một bước"),
    ],
)
def test_workflow_mismatch(
    amount: int, unit: str, hours: list[float], expected: str | None
) -> None:
    message = workflow_mismatch(amount, unit, [Decimal(str(h)) for h in hours])
    if expected is None:
        assert message is None
    else:
        assert message is not None and expected in message


def test_publishing_a_draft_that_does_not_add_up_is_refused(world: World) -> None:
    current = ProcedureVersion.objects.get()
    draft = ProcedureVersion.objects.create(
        procedure=current.procedure,
        number=2,
        level="commune",
        competent_agency_kind=current.competent_agency_kind,
        limit_amount=5,
        limit_unit="days",
        result="Giấy khai sinh",
    )
    WorkflowStep.objects.create(
        version=draft,
        position=1,
        name="Thẩm định",
        agency_kind=AgencyKind.objects.get(code="office"),
        role="specialist",
        hours=Decimal(24),
    )
    with pytest.raises(ValidationError, match="thiếu 16 giờ"):
        publish_version(draft)
    draft.refresh_from_db()
    current.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT
    assert current.status == VersionStatus.PUBLISHED
