"""The project's URLs plus the baseline: a Django view that inserts one row per request."""

import json

from django.db import connection, transaction
from django.http import HttpRequest, JsonResponse
from django.urls import include, path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def insert_one(request: HttpRequest) -> JsonResponse:
    """Parse the JSON body and insert one row: the ceiling an intake request is compared with."""
    body = json.loads(request.body or b"{}")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_ping (created_at, body) VALUES (%s, %s)",
            [timezone.now(), json.dumps(body, ensure_ascii=False)],
        )
    return JsonResponse({"ok": True}, status=201)


urlpatterns = [
    path("bench/insert", insert_one),
    path("", include("config.urls")),
]
