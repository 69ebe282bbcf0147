"""Bearer-token authentication for the API."""

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from accounts.models import ApiToken, User, hash_token


class BearerAuth(HttpBearer):
    """Accept `Authorization: Bearer <token>` for an unexpired token of an active user."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        found = (
            ApiToken.objects.valid_at(timezone.now())
            .select_related("user")
            .filter(key_hash=hash_token(token))
            .first()
        )
        if found is None:
            return None
        request.user = found.user
        return found.user
