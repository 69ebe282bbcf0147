"""Whose bearer token this is: looked up once per token every few seconds per process.

Every API request authenticates; the intake path (benchmark P1) cannot afford a query for
it each time. A token or user changed in this process is seen at once (signals below); one
changed elsewhere (revoked in the admin, user deactivated) within `lib.ttl.DEFAULT_TTL`
seconds (docs/adr/0010-per-process-lookup-caches.md). Expiry is checked on every request.
"""

import copy
from datetime import datetime

from django.db.models.signals import post_delete, post_save

from accounts.models import ApiToken, User, hash_token
from lib.ttl import TtlCache

# key hash -> (expires_at, the active user); unknown tokens are not kept, so a new token
# made by another process works at once.
_tokens: TtlCache[tuple[datetime, User]] = TtlCache("api-tokens")

for _model in (ApiToken, User):
    post_save.connect(_tokens.clear, sender=_model, dispatch_uid=f"tokens-{_model.__name__}")
    post_delete.connect(_tokens.clear, sender=_model, dispatch_uid=f"tokens-d-{_model.__name__}")


def _load(key_hash: str) -> tuple[datetime, User] | None:
    found = (
        ApiToken.objects.filter(key_hash=key_hash, user__is_active=True)
        .select_related("user")
        .first()
    )
    return None if found is None else (found.expires_at, found.user)


def user_for_token(raw: str, at: datetime) -> User | None:
    """Return the active user of an unexpired token, else None (cached; see the module)."""
    key = hash_token(raw)
    hit = _tokens.get(key, lambda: _load(key))
    if hit is None or hit[0] <= at:
        return None
    # A copy per request: what a request caches on its user (roles) must not outlive it.
    return copy.copy(hit[1])
