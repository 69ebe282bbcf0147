"""Submitting a draft: two submissions at once file one dossier."""

import threading
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from catalog.models import ProcedureVersion
from conftest import World
from dossiers.models import Attachment, Dossier
from filing import actions
from filing.models import Draft
from testing import files
from testing.citizens import citizen
from testing.filing import upload


@pytest.mark.django_db(transaction=True)
def test_two_submissions_at_once_file_one_dossier(world: World, scanner: Any) -> None:
    user = citizen("0912000444", id_number="087095000123")
    version = ProcedureVersion.objects.get(procedure__code="1.001193")
    now = timezone.now()
    draft = actions.open_draft(user, version, at=now)
    applicant = {**actions.profile_applicant(user), "address": "12 Nguyễn Huệ"}
    actions.save_applicant(draft, applicant, world.ward_a.pk, at=now)
    actions.put_upload(draft, 1, upload("to-khai.pdf", files.pdf()), by=user, at=now)

    start = threading.Barrier(2)
    outcomes: list[str] = []

    def submit() -> None:
        try:
            start.wait(timeout=30)
            actions.submit(draft.pk, user, at=timezone.now())
            outcomes.append("filed")
        except actions.FilingError as exc:
            outcomes.append(exc.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes) == ["Bản nháp này đã được nộp hoặc đã bị xóa.", "filed"]
    d = Dossier.objects.get()
    assert Attachment.objects.filter(dossier=d).count() == 1
    assert not Draft.objects.exists()
