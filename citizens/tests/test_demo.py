"""The demo seeds two citizen accounts, one vouched at the desk, and prints their logins."""

from io import StringIO
from typing import Any

from django.core.management import call_command
from django.test import Client

from accounts.models import IdSource, User
from citizens.demo import DEMO_CITIZENS
from orgs.demo import DEMO_PASSWORD


def test_seed_demo_makes_and_prints_the_citizens(db: Any) -> None:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    printed = out.getvalue()
    citizens = {u.phone: u for u in User.objects.filter(is_citizen=True)}
    assert set(citizens) == {phone for phone, *_ in DEMO_CITIZENS}
    vouched, plain = (citizens[phone] for phone, *_ in DEMO_CITIZENS)
    assert vouched.id_vouched and vouched.id_number_source == IdSource.DESK
    assert not plain.id_vouched
    for phone in citizens:
        assert phone in printed
    client = Client()
    r = client.post("/tai-khoan/dang-nhap/", {"contact": plain.phone, "password": DEMO_PASSWORD})
    assert r.status_code == 302
    # Seeding again changes nothing.
    call_command("seed_demo", quiet_logins=True, verbosity=0)
    assert User.objects.filter(is_citizen=True).count() == 2
