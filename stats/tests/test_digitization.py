"""The digitisation columns of the report, their drill-down and Decision 766 indicator 5."""

import io
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from catalog.models import ProcedureVersion
from documents.digitization import documents_on_file, of_dossier, refresh, result_on_file, stale
from documents.models import Form, IssuedDocument
from documents.papers import issue
from documents.results import approve_and_sign
from dossiers import actions, figures
from dossiers.access import _version_documents
from dossiers.actions import Applicant, ReceivedDocument
from dossiers.digitization import stale_flags
from dossiers.figures import verify_counters
from dossiers.models import AttachmentPurpose, Dossier
from stats.indicators import compute
from stats.report import Column, GroupBy, Period, cell, report, report_from_rows
from testing.api import bearer, login
from testing.attachments import on_file
from testing.clock import vn
from testing.dossiers import finish, intake
from testing.signing import Pki, backdate_ward_a
from testing.world import World

MARCH = {"start": "2026-03-01", "end": "2026-03-31", "by": "unit"}


def _ward_b_dossier(world: World) -> Dossier:
    """A dossier of ward B, fully digitised and resolved with a scanned result."""
    d = actions.file_dossier(
        actor=world.desk_b,
        version=ProcedureVersion.objects.get(procedure__code="1.001193"),
        receiving_unit=world.ward_b,
        channel="1",
        applicant=Applicant("person", "Trần Thị B", "087095000999", phone="0912345679"),
        documents=[ReceivedDocument(1)],
        at=vn(2026, 3, 2, 9),
    )
    on_file(d, 1, vn(2026, 3, 2, 9))
    return d


def history(world: World, pki: Pki) -> dict[str, Dossier]:
    """Ward A in March 2026: five dossiers received, three resolved; ward B: one of each."""
    backdate_ward_a(pki, world, vn(2026, 1, 1))
    scanned = intake(world, vn(2026, 3, 2, 9))
    on_file(scanned, 1, vn(2026, 3, 2, 9, 5))
    other_only = intake(world, vn(2026, 3, 3, 9))  # a paper, but not the required document
    on_file(other_only, None, vn(2026, 3, 3, 9, 5))
    online = intake(world, vn(2026, 3, 4, 9), channel="2")
    on_file(online, 1, vn(2026, 3, 4, 9))  # filed online: an attachment like a scan
    online = actions.forward(online, actor=world.desk_a, at=vn(2026, 3, 4, 10))
    online = actions.forward(
        online, actor=world.specialist_a, at=vn(2026, 3, 4, 11), comment="Đủ điều kiện."
    )
    online = approve_and_sign(online, actor=world.leader_a, at=vn(2026, 3, 5, 9))
    result_scanned = finish(world, intake(world, vn(2026, 3, 5, 9)), vn(2026, 3, 6, 9))
    on_file(result_scanned, None, vn(2026, 3, 6, 10), purpose=AttachmentPurpose.RESULT)
    no_result = finish(world, intake(world, vn(2026, 3, 9, 9)), vn(2026, 3, 10, 9))
    ward_b = _ward_b_dossier(world)
    on_file(ward_b, None, vn(2026, 3, 2, 10), purpose=AttachmentPurpose.RESULT)
    return {
        "scanned": scanned,
        "other_only": other_only,
        "online": online,
        "result_scanned": result_scanned,
        "no_result": no_result,
        "ward_b": ward_b,
    }


def test_the_definitions_on_single_dossiers(world: World, pki: Pki) -> None:
    h = history(world, pki)
    digitised = set(Dossier.objects.filter(documents_on_file()).values_list("code", flat=True))
    assert digitised == {h["scanned"].code, h["online"].code, h["ward_b"].code}
    with_result = set(Dossier.objects.filter(result_on_file()).values_list("code", flat=True))
    assert with_result == {h["online"].code, h["result_scanned"].code, h["ward_b"].code}
    assert IssuedDocument.objects.get(dossier=h["online"], form=Form.RESULT).signed_at
    state = of_dossier(h["scanned"])
    assert (state.on_file, state.required, state.digitised) == (1, 1, True)
    state = of_dossier(h["other_only"])
    assert (state.on_file, state.required, state.digitised) == (0, 1, False)


def test_report_through_the_api_and_no_leak_between_units(
    world: World, pki: Pki, client: Client
) -> None:
    h = history(world, pki)
    ioc = bearer(client, "ioc")
    params = {"unit": "30001", "from": "2026-03-01", "to": "2026-03-31", "by": "unit"}
    body = client.get("/api/v1/stats/report", params, **ioc).json()
    total = body["total"]
    assert (total["received_total"], total["digitised"]) == (5, 2)
    assert (total["resolved_total"], total["result_on_file"]) == (3, 2)
    assert Decimal(total["digitised_rate"]) == Decimal("40.00")
    assert Decimal(total["result_on_file_rate"]) == Decimal("66.67")

    # The province, by unit: ward B's dossier counts in its own row only.
    body = client.get("/api/v1/stats/report", {**params, "unit": "82"}, **ioc).json()
    rows = {row["key"]: row for row in body["rows"]}
    assert (rows["30001"]["digitised"], rows["30001"]["result_on_file"]) == (2, 2)
    assert (rows["30002"]["digitised"], rows["30002"]["result_on_file"]) == (1, 0)
    assert body["total"]["digitised"] == 3

    # Ward B's dossier is still open: its result scan counts in no "resolved" figure.
    assert h["ward_b"].finished_at is None


def test_counters_and_rows_agree_and_the_drill_down_lists_the_same_dossiers(
    world: World, pki: Pki, client: Client
) -> None:
    h = history(world, pki)
    period = Period(date(2026, 3, 1), date(2026, 3, 31))
    for by in GroupBy:
        fast = report(world.province, period, by)
        slow = report_from_rows(world.province, period, by)
        assert [(r.key, r.counts) for r in fast.rows] == [(r.key, r.counts) for r in slow.rows]
    login(client, "ioc")
    expected = {
        Column.DIGITISED: {h["scanned"].code, h["online"].code},
        Column.RESULT_ON_FILE: {h["online"].code, h["result_scanned"].code},
    }
    for column, codes in expected.items():
        listed = set(
            cell(world.province, period, GroupBy.UNIT, "30001", column).values_list(
                "code", flat=True
            )
        )
        assert listed == codes
        page = client.get(
            "/ioc/dossiers/", {"unit": "82", **MARCH, "column": column.value, "key": "30001"}
        ).content.decode()
        shown = {d.code for d in Dossier.objects.all() if d.code in page}
        assert shown == codes, column
    page = client.get("/ioc/report/", {"unit": "30001", **MARCH}).content.decode()
    assert "40,00%" in page and "66,67%" in page


def test_indicator_5_is_computed_with_the_threshold_rule(world: World, pki: Pki) -> None:
    history(world, pki)
    results = {
        r.spec.code: r for r in compute(world.ward_a, Period(date(2026, 3, 1), date(2026, 3, 31)))
    }
    # 5.1: 2 of 3 resolved have the result on file; 80% gives the 6 points.
    assert results["5.1"].value == Decimal("66.67")
    assert results["5.1"].points == Decimal("5.00")
    # 5.2: (2 digitised + 2 results) / (5 received + 3 resolved) = 50%.
    assert results["5.2"].value == Decimal("50.00")
    assert results["5.2"].points == Decimal("5.00")
    assert not results["5.3"].computable and not results["5.4"].computable
    group_5 = sum(r.spec.max_points or 0 for r in results.values() if r.spec.group == "5")
    assert group_5 == Decimal(22)


def test_flags_follow_the_files_and_verify_and_rebuild_repair_them(world: World, pki: Pki) -> None:
    h = history(world, pki)
    # Filed online, its file uploaded before the desk received it: counted from receipt.
    waiting = actions.file_dossier(
        actor=world.citizen,
        version=ProcedureVersion.objects.get(procedure__code="1.001193"),
        receiving_unit=world.ward_a,
        channel="2",
        applicant=Applicant("person", "Lê Văn C", "087095000555", phone="0912345677"),
        documents=[ReceivedDocument(1)],
        at=vn(2026, 3, 12, 21),
    )
    on_file(waiting, 1, vn(2026, 3, 12, 21))
    march = Period(date(2026, 3, 1), date(2026, 3, 31))
    assert report(world.ward_a, march, GroupBy.UNIT).total.counts[Column.DIGITISED] == 2
    actions.accept(waiting, actor=world.desk_a, at=vn(2026, 3, 13, 8))
    assert report(world.ward_a, march, GroupBy.UNIT).total.counts[Column.DIGITISED] == 3

    # A result signed later (on first download) joins the day the dossier finished.
    late = finish(world, intake(world, vn(2026, 3, 16, 9), channel="2"), vn(2026, 3, 17, 9))
    before = report(world.ward_a, march, GroupBy.UNIT).total.counts[Column.RESULT_ON_FILE]
    issue(late, Form.RESULT, at=vn(2026, 4, 2, 9))
    after = report(world.ward_a, march, GroupBy.UNIT).total.counts[Column.RESULT_ON_FILE]
    assert after == before + 1
    assert verify_counters() == [] and stale() == [] and stale_flags() == []

    # Someone writes a flag behind the actions' back: verify names it, rebuild repairs it.
    Dossier.objects.filter(pk=h["scanned"].pk).update(digitised=False)
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify_figures", stdout=out, stderr=err, verbosity=0)
    assert f"{h['scanned'].code}: digitised" in err.getvalue()
    assert stale() == [(h["scanned"].code, "digitised: stored False, files say True")]
    call_command("rebuild_figures", stdout=out)
    assert stale() == [] and verify_counters() == []
    call_command("verify_figures", stdout=out, stderr=err, verbosity=0)
    assert report(world.ward_a, march, GroupBy.UNIT).total.counts[Column.DIGITISED] == 3


def test_a_version_without_required_documents_is_digitised_from_filing(world: World) -> None:
    version = ProcedureVersion.objects.get(procedure__code="1.001193")
    version.documents.update(required=False)
    _version_documents.cache_clear()
    try:
        d = intake(world, vn(2026, 3, 2, 9))
    finally:
        _version_documents.cache_clear()
    assert d.digitised
    march = Period(date(2026, 3, 1), date(2026, 3, 31))
    assert report(world.ward_a, march, GroupBy.UNIT).total.counts[Column.DIGITISED] == 1


def test_refreshing_the_flags_recounts_the_unit_the_figures_count_in(
    world: World, settings: Any
) -> None:
    # With FIGURES_UNIT=receiving a dossier received at ward A and decided by ward B counts at
    # ward A: a flag repaired by `refresh` must recount ward A, not the competent ward B.
    settings.FIGURES_UNIT = "receiving"
    d = actions.file_dossier(
        actor=world.desk_a,
        version=ProcedureVersion.objects.get(procedure__code="1.001193"),
        receiving_unit=world.ward_a,
        competent_unit=world.ward_b,
        channel="1",
        applicant=Applicant("person", "Trần Thị B", "087095000999", phone="0912345679"),
        documents=[ReceivedDocument(1)],
        at=vn(2026, 3, 2, 9),
    )
    on_file(d, 1, vn(2026, 3, 2, 9, 5))
    # A flag written behind the actions' back, the counters rebuilt from it.
    Dossier.objects.filter(pk=d.pk).update(digitised=False)
    figures.rebuild()
    assert verify_counters() == [] and stale() != []
    assert refresh() == [world.ward_a.pk]
    assert stale() == [] and verify_counters() == []
