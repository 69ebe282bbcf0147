"""Intake errors all at once, each beside its field, in Vietnamese, the values kept."""

import re

import pytest
from django.test import Client

from conftest import World
from dossiers.models import Dossier
from testing.api import INTAKE_FORM

pytestmark = pytest.mark.django_db


def desk(client: Client) -> Client:
    r = client.post("/desk/login/", {"username": "desk_a", "password": "pw-desk_a"})
    assert r.status_code == 302
    return client


def beside(page: str, field_id: str) -> str:
    """The error text the page shows beside the field, after checking the field points to it."""
    tag = re.search(rf'<[^>]*\bid="{field_id}"[^>]*>', page)
    assert tag, f"no field {field_id}"
    assert f'aria-describedby="{field_id}-error"' in tag.group(0), tag.group(0)
    assert 'aria-invalid="true"' in tag.group(0)
    found = re.search(rf'<div class="error" id="{field_id}-error">([^<]*)</div>', page)
    assert found, f"no message beside {field_id}"
    return found.group(1)


def test_three_bad_fields_get_three_messages_beside_them(world: World, client: Client) -> None:
    data = {
        **INTAKE_FORM,
        "applicant_name": "Trần Thị Bé",
        "applicant_id_number": "12345",
        "applicant_phone": "123",
        "applicant_email": "a@b",
        "applicant_address": "12 đường Lê Lợi",
    }
    r = desk(client).post("/desk/intake/", data)
    assert r.status_code == 200
    page = r.content.decode()
    assert "12 chữ số" in beside(page, "id_applicant_id_number")
    assert "số điện thoại" in beside(page, "id_applicant_phone")
    assert "thư điện tử" in beside(page, "id_applicant_email")
    assert "Chưa tiếp nhận được hồ sơ: có 3 chỗ cần sửa." in page
    assert page.count('href="#id_applicant_') == 3  # the summary links to each field
    # What was typed is still there.
    assert 'value="Trần Thị Bé"' in page and 'value="12 đường Lê Lợi"' in page
    assert 'value="12345"' in page and 'value="123"' in page
    assert Dossier.objects.count() == 0


def test_documents_and_contact_are_checked_with_the_fields(world: World, client: Client) -> None:
    data = {**INTAKE_FORM, "applicant_id_number": "087095000123", "applicant_phone": ""}
    data.pop("documents")
    page = desk(client).post("/desk/intake/", data).content.decode()
    assert "liên hệ" in beside(page, "id_applicant_phone")
    documents = re.search(r'<div class="error" id="id_documents-error">([^<]*)</div>', page)
    assert documents and "Tờ khai đăng ký khai sinh" in documents.group(1)
    assert 'aria-describedby="id_documents-error"' in page
    assert "có 2 chỗ cần sửa" in page
    assert Dossier.objects.count() == 0


def test_an_organisation_is_checked_as_one(world: World, client: Client) -> None:
    data = {**INTAKE_FORM, "applicant_kind": "organisation", "applicant_id_number": "087095000123"}
    page = desk(client).post("/desk/intake/", data).content.decode()
    assert "mã số thuế" in beside(page, "id_applicant_id_number").lower()
    data["applicant_id_number"] = "0312345678"
    r = desk(Client()).post("/desk/intake/", data)
    assert r.status_code == 302
