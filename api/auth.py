"""Bearer-token authentication for the API."""

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from accounts.models import User
from accounts.tokens import user_for_token


class BearerAuth(HttpBearer):
    """Accept `Authorization: Bearer <token>` for an unexpired token of an active user."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = user_for_token(token, timezone.now())
        # The staff API: a citizen account never gets a token (accounts.backends); a token it
        # somehow holds opens nothing either.
        if user is None or user.is_citizen:
            return None
        request.user = user
        return user
