"""The rate-limit counters read back what they wrote, on either database."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.ratelimit import Limit, exceeded, forget_before, hit


@pytest.mark.django_db
def test_counted_hits_are_seen_by_exceeded_and_forgotten() -> None:
    # On SQLite the upsert once stored "...+00:00", which the ORM's reads never matched:
    # `exceeded` always answered no and the previous window never weighed.
    limit = Limit(1, timedelta(minutes=1))
    now = timezone.now()
    assert hit("test:store", limit, at=now)
    assert not exceeded("test:store", limit, at=now)
    assert not hit("test:store", limit, at=now)
    assert exceeded("test:store", limit, at=now)
    assert forget_before(now + timedelta(minutes=2)) == 1
    assert not exceeded("test:store", limit, at=now)
