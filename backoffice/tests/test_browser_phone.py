"""Every desk and IOC page on a 390 px phone: no horizontal scroll, nothing axe calls serious.

One walk, each page opened by the role that works in it: the desk officer's inboxes, intake,
dossier, action, receipt, rating, book, vouching, notifications, warnings and reconciliation
pages; the IOC viewer's report, drill-down, indicators, charts and dossiers at risk; the
access log, read by a superuser (who has the system administrator's reach).
"""

from datetime import datetime
from typing import Any

import pytest

from accounts.models import User
from conftest import World
from dossiers.queues import Queue
from testing.browser import assert_mobile_and_accessible
from testing.clock import VN
from testing.dossiers import finish, intake

IOC_QUERY = "unit=82&start=2026-01-01&end=2026-12-31&by=unit"


@pytest.mark.django_db(transaction=True)
def test_every_desk_and_ioc_page_fits_a_phone(
    world: World, open_page: Any, live_server: Any
) -> None:
    open_one = intake(world, datetime(2026, 3, 2, 9, tzinfo=VN))
    done = finish(
        world, intake(world, datetime(2026, 3, 3, 9, tzinfo=VN)), datetime(2026, 3, 4, 9, tzinfo=VN)
    )
    User.objects.create_superuser("root", "root@example.org", "pw-root")
    desk_pages = [
        *(f"/desk/queue/{q.value}/" for q in Queue),
        "/desk/intake/?procedure=1.001193",
        f"/desk/dossiers/{open_one.code}/",
        f"/desk/dossiers/{open_one.code}/act/forward/",
        f"/desk/dossiers/{open_one.code}/receipt/",
        f"/desk/dossiers/{done.code}/",
        f"/desk/dossiers/{done.code}/rate/",
        "/desk/book/",
        "/desk/citizens/vouch/",
        "/desk/notifications/",
        "/desk/warnings/",
        "/desk/payments/reconciliation/",
    ]
    ioc_pages = [
        f"/ioc/report/?{IOC_QUERY}",
        f"/ioc/dossiers/?{IOC_QUERY}&column=received_total",
        f"/ioc/indicators/?{IOC_QUERY}",
        f"/ioc/charts/?{IOC_QUERY}",
        "/ioc/at-risk/",
    ]
    for username, paths in (
        ("desk_a", desk_pages),
        ("ioc", ioc_pages),
        ("root", ["/ioc/access-log/", f"/desk/dossiers/{done.code}/"]),
    ):
        page = open_page(username, width=390, height=844)
        for path in paths:
            response = page.goto(f"{live_server.url}{path}")
            assert response is not None and response.status == 200, path
            assert_mobile_and_accessible(page)
