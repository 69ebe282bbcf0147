"""The history import page in the admin: who may use it, a bad file, a good file, a wrong type."""

import io
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from openpyxl import Workbook

from accounts.models import User
from dossiers import import_jobs
from dossiers.importer import COLUMNS, write_csv
from dossiers.models import Dossier, HistoryImportJob
from jobs.testing import run_queued_tasks
from stats.report import Column, GroupBy, Period, report
from testing.history import GOOD

URL = "/admin/dossiers/dossier/import/"


@pytest.fixture
def demo(db: None) -> None:
    call_command("seed_demo", quiet_logins=True, verbosity=0)


@pytest.fixture
def staging(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def person(username: str, *, staff: bool = True, may_import: bool = False) -> User:
    user = User.objects.create_user(username=username, password="pw", is_staff=staff)
    if may_import:
        user.user_permissions.add(Permission.objects.get(codename="import_history"))
    return user


def signed_in(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def upload(client: Client, content: bytes, name: str) -> Any:
    """Upload, let a worker run the queued import, then follow to the status page."""
    r = client.post(URL, {"file": SimpleUploadedFile(name, content)})
    if r.status_code != 302:
        return r
    queued = client.get(r["Location"]).content.decode()
    assert 'http-equiv="refresh"' in queued  # waiting for a worker
    run_queued_tasks()
    return client.get(r["Location"], follow=True)


def rows(n: int) -> list[dict[str, str]]:
    return [{**GOOD, "code": f"CU-{i:04d}"} for i in range(1, n + 1)]


def test_good_file_is_imported_and_counted(demo: None, staging: Path, client: Client) -> None:
    signed_in(client, person("it", may_import=True))
    listing = client.get("/admin/dossiers/dossier/").content.decode()
    assert URL in listing  # the button on the dossier list
    assert client.get(URL).status_code == 200
    r = upload(client, write_csv(rows(3)), "lich-su.csv")
    page = r.content.decode()
    assert r.status_code == 200 and "/import/" in r.request["PATH_INFO"]
    assert Dossier.objects.filter(code__startswith="CU-").count() == 3
    assert "Phường An Thạnh" in page and "05/03/2024" in page
    d = Dossier.objects.get(code="CU-0001")
    march = Period(date(2024, 3, 1), date(2024, 3, 31))
    counts = report(d.competent_unit, march, GroupBy.UNIT).total.counts
    assert counts[Column.RECEIVED_TOTAL] == 3 and counts[Column.ON_TIME] == 3
    # The importer sees the list (no applicant data) but not the dossier pages.
    assert "CU-0001" in client.get("/admin/dossiers/dossier/").content.decode()
    assert client.get(f"/admin/dossiers/dossier/{d.pk}/change/").status_code == 403


def test_xlsx_file_is_imported(demo: None, staging: Path, client: Client) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(COLUMNS)
    for row in rows(2):
        ws.append([row[c] for c in COLUMNS])
    out = io.BytesIO()
    wb.save(out)
    signed_in(client, person("it", may_import=True))
    upload(client, out.getvalue(), "lich-su.xlsx")
    assert Dossier.objects.filter(code__startswith="CU-").count() == 2


def test_bad_file_lists_every_bad_row_and_writes_nothing(
    demo: None, staging: Path, client: Client
) -> None:
    bad = [
        GOOD,
        {**GOOD, "code": "B-2", "received_at": "05/03/2024 09:15"},
        {**GOOD, "code": "B-3", "procedure_code": "9.999999"},
        {**GOOD, "code": "B-4", "channel": "7"},
    ]
    signed_in(client, person("it", may_import=True))
    page = upload(client, write_csv(bad), "lich-su.csv").content.decode()
    assert Dossier.objects.count() == 0
    assert "05/03/2024 09:15" in page and "9.999999" in page and "&#x27;7&#x27;" in page
    for line in (3, 4, 5):
        assert f"<td>{line}</td>" in page
    assert "<td>2</td>" not in page


def test_missing_columns_are_named(demo: None, staging: Path, client: Client) -> None:
    signed_in(client, person("it", may_import=True))
    content = ",".join(c for c in COLUMNS if c != "outcome").encode() + b"\n"
    page = upload(client, content, "h.csv").content.decode()
    assert "outcome" in page and Dossier.objects.count() == 0


def test_only_importers_reach_the_page(demo: None, staging: Path, client: Client) -> None:
    r = client.get(URL)
    assert r.status_code == 302 and "/admin/login/" in r["Location"]
    signed_in(client, person("staff"))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"file": SimpleUploadedFile("h.csv", b"x")}).status_code == 403
    assert URL not in client.get("/admin/").content.decode()
    client.logout()
    # Not staff: the admin sends them to its sign-in, permission or not.
    signed_in(client, person("desk", staff=False, may_import=True))
    assert client.get(URL).status_code == 302
    client.logout()
    root = User.objects.create_superuser("root", password="pw")
    assert signed_in(client, root).get(URL).status_code == 200


def test_other_file_types_and_huge_files_are_refused(
    demo: None, staging: Path, client: Client, settings: Any
) -> None:
    signed_in(client, person("it", may_import=True))
    r = client.post(URL, {"file": SimpleUploadedFile("lich-su.pdf", b"%PDF-1.4")})
    assert r.status_code == 200
    assert "lich-su.pdf" in r.content.decode() and ".csv" in r.content.decode()
    settings.HISTORY_IMPORT_MAX_BYTES = 100
    r = client.post(URL, {"file": SimpleUploadedFile("h.csv", write_csv(rows(3)))})
    assert r.status_code == 200 and "import_dossiers" in r.content.decode()
    assert Dossier.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_worker_runs_the_import_and_the_page_follows_it(
    settings: Any, tmp_path: Path, client: Client
) -> None:
    call_command("seed_demo", quiet_logins=True, verbosity=0)
    settings.MEDIA_ROOT = tmp_path
    signed_in(client, person("it", may_import=True))
    r = client.post(URL, {"file": SimpleUploadedFile("h.csv", write_csv(rows(40)))})
    assert r.status_code == 302
    status = r["Location"]
    assert 'http-equiv="refresh"' in client.get(status).content.decode()
    # The real worker command, outside any test transaction.
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    page = client.get(status).content.decode()
    assert 'http-equiv="refresh"' not in page
    assert Dossier.objects.filter(code__startswith="CU-").count() == 40
    # The upload is not kept once imported.
    assert HistoryImportJob.objects.get().upload is None


def test_an_import_is_visible_only_to_who_started_it(
    demo: None, staging: Path, client: Client
) -> None:
    signed_in(client, person("it", may_import=True))
    r = client.post(URL, {"file": SimpleUploadedFile("h.csv", write_csv(rows(2)))})
    status = r["Location"]
    assert client.get(status).status_code == 200
    other = Client()
    signed_in(other, person("it2", may_import=True))
    assert other.get(status).status_code == 404


def test_an_import_whose_process_died_says_so(demo: None, staging: Path, client: Client) -> None:

    user = person("it", may_import=True)
    signed_in(client, user)
    job = import_jobs.uuid.uuid4().hex
    import_jobs.save_state(
        import_jobs.JobState(job=job, filename="h.csv", user_id=user.pk, phase="writing")
    )
    HistoryImportJob.objects.update(updated_at=timezone.now() - timedelta(minutes=11))
    page = client.get(f"{URL}{import_jobs.uuid.UUID(job)}/").content.decode()
    assert 'http-equiv="refresh"' not in page and "tải lại tệp" in page
