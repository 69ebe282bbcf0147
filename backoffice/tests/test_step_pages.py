"""The middle steps' action pages through HTTP: the assignment offers only the holders of the
next step's role, a wrong choice is refused beside its field, the clerk's number is kept."""

import re
from datetime import date

from django.test import Client
from django.utils import timezone

from conftest import World
from dossiers import actions
from dossiers.models import Dossier
from testing.api import login
from testing.steps import add_full_workflow, file_marital


def _field_error(html: str, field: str) -> str:
    found = re.search(rf'id="field-{field}".*?<p class="error" role="alert">(.*?)</p>', html, re.S)
    return found.group(1) if found else ""


def test_the_assignment_page_offers_the_holders_and_refuses_anyone_else(
    world: World, client: Client
) -> None:
    office = add_full_workflow(world)
    now = timezone.now()
    d = actions.forward(file_marital(world, now), actor=world.desk_a, at=now)
    login(client, "office_leader_a")
    url = f"/desk/dossiers/{d.code}/act/forward/"
    page = client.get(url).content.decode()
    assert 'value="specialist2_a"' in page and 'value="specialist_a"' in page
    assert 'value="specialist_b"' not in page and 'value="clerk_a"' not in page
    base = {"version": d.version, "confirm": "1"}
    r = client.post(url, {**base, "assignee": "specialist_b"})
    assert r.status_code == 200
    assert "lựa chọn" in _field_error(r.content.decode(), "assignee").lower()
    r = client.post(url, base)
    assert "Chọn người xử lý bước tiếp theo" in _field_error(r.content.decode(), "assignee")
    assert Dossier.objects.get(pk=d.pk).version == d.version
    r = client.post(url, {**base, "assignee": "specialist2_a"})
    assert r.status_code == 302
    step = Dossier.objects.get(pk=d.pk).current_step
    assert step is not None and step.assignee == office.specialist2


def test_the_clerks_page_records_the_number_and_a_bad_date_stays_beside_its_field(
    world: World, client: Client
) -> None:
    office = add_full_workflow(world)
    now = timezone.now()
    d = actions.forward(file_marital(world, now), actor=world.desk_a, at=now)
    d = actions.forward(d, actor=office.office_leader, at=now, assignee=office.specialist2)
    d = actions.forward(d, actor=office.specialist2, at=now, comment="Đủ.")
    d = actions.forward(d, actor=office.office_leader, at=now)
    d = actions.approve(d, actor=world.leader_a, at=now)
    login(client, "clerk_a")
    url = f"/desk/dossiers/{d.code}/act/forward/"
    form = {
        "version": d.version,
        "confirm": "1",
        "result_number": "7",
        "result_symbol": "GXN-UBND",
        "result_date": "2099-01-01",
    }
    r = client.post(url, form)
    assert "sau ngày hôm nay" in _field_error(r.content.decode(), "result_date")
    today = timezone.localdate(now)
    r = client.post(url, {**form, "result_date": today.strftime("%d/%m/%Y")})
    assert r.status_code == 302
    stored = Dossier.objects.get(pk=d.pk)
    assert (stored.result_number, stored.result_symbol) == ("7", "GXN-UBND")
    assert stored.result_date == today and isinstance(stored.result_date, date)
    page = client.get(f"/desk/dossiers/{d.code}/").content.decode()
    assert "Vào số văn bản 7/GXN-UBND ngày " + today.strftime("%d/%m/%Y") in page
