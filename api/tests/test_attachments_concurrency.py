"""50 uploads at once, each request in its own thread and database connection: no file lost,
none stored twice (the same content for the same document is one attachment)."""

import hashlib
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from dossiers.actions import verify_chain
from dossiers.models import Attachment, Dossier
from lib.clamd import Clamd
from testing import files
from testing.api import bearer
from testing.clamd import stored_files
from testing.clock import vn
from testing.dossiers import intake
from testing.world import build_world

DISTINCT = 30  # contents 0-19 sent once, 20-29 three times each: 50 requests


@pytest.mark.django_db(transaction=True)
def test_fifty_uploads_at_once_neither_lose_nor_duplicate(scanner: Clamd) -> None:
    world = build_world()
    dossier = intake(world, vn(2026, 3, 2, 9, 0))
    auth = bearer(Client(), "desk_a")
    contents = [files.pdf(20_000, seed=b"%d" % i) for i in range(DISTINCT)]
    plan = list(range(20)) + [i for i in range(20, DISTINCT) for _ in range(3)]
    assert len(plan) == 50
    start = threading.Barrier(len(plan))

    def send(i: int) -> tuple[int, int, dict[str, Any]]:
        try:
            client = Client()
            upload = SimpleUploadedFile(f"f{i}.pdf", contents[i], "application/pdf")
            start.wait()
            r = client.post(
                f"/api/v1/dossiers/{dossier.code}/attachments",
                {"file": upload, "document": 1},
                **auth,
            )
            return i, r.status_code, r.json()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(plan)) as pool:
        results = list(pool.map(send, plan))

    assert Counter(status for _, status, _ in results) == {201: DISTINCT, 200: 20}, results
    ids: dict[int, set[int]] = {}
    for i, _, body in results:
        assert body["sha256"] == hashlib.sha256(contents[i]).hexdigest()
        ids.setdefault(i, set()).add(body["id"])
    assert all(len(same) == 1 for same in ids.values())  # one attachment per content
    rows = Attachment.objects.filter(dossier=dossier).select_related("file")
    assert sorted(a.sha256 for a in rows) == sorted(hashlib.sha256(c).hexdigest() for c in contents)
    kept = stored_files(Path(settings.MEDIA_ROOT))
    assert len(kept) == DISTINCT  # the duplicates' files were discarded
    by_name = {a.file.name: a for a in rows}
    for path in kept:
        name = path.relative_to(Path(settings.MEDIA_ROOT)).as_posix()
        assert hashlib.sha256(path.read_bytes()).hexdigest() == by_name[name].sha256
    d = Dossier.objects.get(pk=dossier.pk)
    assert d.event_count == 1 + DISTINCT and verify_chain(d)
