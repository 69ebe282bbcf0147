"""Rate limits per client address, counted where every app node sees them.

A limit is "at most N hits of a key in a period". Counts live in fixed windows of the period;
a hit is judged on a sliding estimate: this window's count plus the previous window's count
weighted by how much of it still overlaps the last period, which stops the burst of twice
the limit that plain fixed windows let through at a boundary.

Counters are rows of `RateCounter`, incremented by one atomic INSERT ... ON CONFLICT DO UPDATE
... RETURNING (SQLite and PostgreSQL), or Redis counters (INCR, EXPIRE) when RATE_LIMIT_REDIS_URL
is set. django-ratelimit was tried first: its own check refuses Django's database cache
because that cache cannot increment atomically, and the database is our default shared store.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache, wraps
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.clientip import client_ip
from accounts.models import RateCounter

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limit:
    """At most `count` hits of one key within `period`."""

    count: int
    period: timedelta


def _window(at: datetime, period: timedelta) -> datetime:
    seconds = int(period.total_seconds())
    epoch = int(at.timestamp())
    return datetime.fromtimestamp(epoch - epoch % seconds, tz=UTC)


@cache
def _redis(url: str) -> Any:
    import redis  # noqa: PLC0415 - only deployments that set RATE_LIMIT_REDIS_URL need it

    return redis.Redis.from_url(url)


def _incr_db(key: str, window: datetime, by: int) -> int:
    table = RateCounter._meta.db_table
    # The instant as the ORM writes it: raw SQLite would store "...+00:00", which the ORM's
    # reads (`_get_db`, `forget_before`) never match.
    stored = connection.ops.adapt_datetimefield_value(window)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (key, window_start, count) VALUES (%s, %s, %s) "  # noqa: S608
            f"ON CONFLICT (key, window_start) DO UPDATE SET count = {table}.count + excluded.count "
            "RETURNING count",
            [key, stored, by],
        )
        return int(cursor.fetchone()[0])


def _get_db(key: str, window: datetime) -> int:
    row = RateCounter.objects.filter(key=key, window_start=window).values_list("count", flat=True)
    return int(row.first() or 0)


def _redis_key(key: str, window: datetime) -> str:
    return f"motcua:rl:{key}:{int(window.timestamp())}"


def _incr(key: str, window: datetime, period: timedelta, by: int = 1) -> int:
    url = settings.RATE_LIMIT_REDIS_URL
    if not url:
        return _incr_db(key, window, by)
    client = _redis(url)
    name = _redis_key(key, window)
    pipe = client.pipeline()
    pipe.incrby(name, by)
    pipe.expire(name, int(period.total_seconds()) * 2)
    return int(pipe.execute()[0])


def _get(key: str, window: datetime) -> int:
    url = settings.RATE_LIMIT_REDIS_URL
    if not url:
        return _get_db(key, window)
    value = _redis(url).get(_redis_key(key, window))
    return int(value or 0)


def _estimate(key: str, limit: Limit, at: datetime, current: int) -> float:
    window = _window(at, limit.period)
    previous = _get(key, window - limit.period)
    overlap = 1 - (at - window) / limit.period
    return current + previous * overlap


def hit(key: str, limit: Limit, *, at: datetime) -> bool:
    """Count one hit of `key`; return True if it is within the limit (counted either way).

    Counting before judging makes parallel requests see each other.
    """
    window = _window(at, limit.period)
    current = _incr(key, window, limit.period)
    return _estimate(key, limit, at, current) <= limit.count


def exceeded(key: str, limit: Limit, *, at: datetime) -> bool:
    """Tell whether `key` is already over its limit, without counting a hit."""
    window = _window(at, limit.period)
    return _estimate(key, limit, at, _get(key, window)) > limit.count


def refund(key: str, limit: Limit, *, at: datetime) -> None:
    """Take back the hit `hit` counted at `at` (e.g. a lookup that turned out right)."""
    _incr(key, _window(at, limit.period), limit.period, by=-1)


def forget_before(at: datetime) -> int:
    """Delete counter rows of windows that began before `at`; return how many."""
    deleted, _ = RateCounter.objects.filter(window_start__lt=at).delete()
    return deleted


def limited_response(request: HttpRequest, retry_after: int) -> HttpResponse:
    """The 429 answer: problem+json under /api/, a Vietnamese page elsewhere."""
    detail = _("Too many requests from your address. Please wait a minute and try again.")
    if request.path.startswith("/api/"):
        body = {
            "type": "https://motcua.example/problems/rate-limited",
            "title": str(_("Too many requests")),
            "status": 429,
            "detail": str(detail),
            "instance": request.get_full_path(),
        }
        response: HttpResponse = JsonResponse(
            body, status=429, content_type="application/problem+json; charset=utf-8"
        )
    else:
        response = render(request, "ratelimited.html", {"detail": detail}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def limit_requests(scope: str, per_minute_setting: str, *, methods: tuple[str, ...] = ()) -> Any:
    """Decorate a view: at most settings.<per_minute_setting> requests a minute per client
    address for `scope` (only for `methods` when given); beyond, answer 429."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if not methods or request.method in methods:
                limit = Limit(getattr(settings, per_minute_setting), timedelta(minutes=1))
                key = f"{scope}:{client_ip(request)}"
                if not hit(key, limit, at=timezone.now()):
                    logger.warning("rate limit %s exceeded by %s", scope, client_ip(request))
                    return limited_response(request, retry_after=60)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
