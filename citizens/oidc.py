"""Sign-in with OpenID Connect (VNeID, the national portal's single sign-on): the backend.

mozilla-django-oidc runs the authorization-code flow (state, nonce, PKCE). This backend
checks the id_token more strictly than the library does (issuer, audience, expiry, issued-at
required: ADR 14), reads the claims named by settings (the national claim names are not
public), and links or creates the citizen account. The ID number in the claims counts as
vouched (`IdSource.OIDC`).
"""

import logging
from datetime import datetime
from typing import Any

import jwt
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from accounts.models import IdSource, User
from citizens.actions import id_number_problem, new_username
from citizens.models import IdentityRecord
from lib.validate import name_problem, normalise_phone, phone_problem

logger = logging.getLogger(__name__)


def _claim(claims: dict[str, Any], name: str) -> str:
    value = claims.get(name) if name else None
    return value.strip() if isinstance(value, str) else ""


def sign_in_with_oidc(claims: dict[str, Any], *, at: datetime) -> User:
    """Return the account of the provider's subject, linking or creating it (one transaction).

    Linked, in order: the account already bound to this subject; else the account whose ID
    number a desk officer vouched for and equals the claimed one (the same person, proven
    twice). An account whose ID number is only self-declared is never linked: whoever typed
    someone else's number must not receive that person's identity.
    """
    subject = _claim(claims, "sub")
    if not subject:
        raise SuspiciousOperation("no subject in the OpenID claims")
    id_number = _claim(claims, settings.OIDC_CLAIM_ID_NUMBER)
    if id_number and id_number_problem(id_number, at=at) is not None:
        logger.warning("OpenID claims carry a malformed ID number; ignored")
        id_number = ""
    name = _claim(claims, settings.OIDC_CLAIM_NAME)
    phone = normalise_phone(_claim(claims, settings.OIDC_CLAIM_PHONE))
    with transaction.atomic():
        user = User.objects.select_for_update().filter(oidc_subject=subject).first()
        if user is None and id_number:
            user = (
                User.objects.select_for_update()
                .filter(is_citizen=True, id_number=id_number, id_number_vouched_at__isnull=False)
                .first()
            )
        if user is None:
            user = User(username=new_username(), is_citizen=True)
            user.set_unusable_password()
        if not user.is_citizen:
            raise SuspiciousOperation("an OpenID subject is bound to a staff account")
        user.oidc_subject = subject
        if name and name_problem(name) is None:
            user.full_name = name[:150]
        if phone and not user.phone and phone_problem(phone) is None:
            user.phone = phone  # not confirmed: the account never signs in with it by itself
        newly_vouched = bool(id_number) and not (
            user.id_number == id_number and user.id_number_vouched_at is not None
        )
        if newly_vouched:
            other = User.objects.filter(id_number=id_number, id_number_vouched_at__isnull=False)
            if user.pk is not None:
                other = other.exclude(pk=user.pk)
            if other.exists():
                raise SuspiciousOperation("the claimed ID number is vouched on another account")
            user.id_number = id_number
            user.id_number_vouched_at = at
            user.id_number_vouched_by = None
            user.id_number_source = IdSource.OIDC
        user.save()
        if newly_vouched:
            IdentityRecord.objects.create(
                user=user, id_number=id_number, source=IdSource.OIDC, at=at
            )
    return user


class CitizenOIDCBackend(OIDCAuthenticationBackend):
    """The OpenID Connect door: citizen accounts only, and only from the callback view."""

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        # Only the callback view passes a nonce; any other authenticate() call (the desk's
        # password form with ?code=&state= in its URL...) must not run the code exchange.
        if not settings.OIDC_ENABLED or "nonce" not in kwargs or request is None:
            return None
        user: User | None = super().authenticate(request, **kwargs)
        return user

    def _verify_jws(self, payload: str, key: Any) -> dict[str, Any]:
        header = jwt.get_unverified_header(payload)
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation("unexpected id_token algorithm")
        try:
            claims: dict[str, Any] = jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=settings.OIDC_OP_ISSUER,
                leeway=settings.OIDC_CLOCK_SKEW_SECONDS,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.InvalidTokenError as exc:
            raise SuspiciousOperation(f"id_token refused: {exc}") from None
        return claims

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(_claim(claims, "sub"))

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        # Every case goes through create_user, which links or creates (sign_in_with_oidc).
        return User.objects.none()

    def get_userinfo(self, access_token: str, id_token: str, payload: dict[str, Any]) -> Any:
        info = super().get_userinfo(access_token, id_token, payload)
        # The userinfo must describe the person the signed id_token names (OIDC Core 5.3.2).
        if not isinstance(info, dict) or info.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("userinfo subject differs from the id_token's")
        return {**payload, **info}

    def create_user(self, claims: dict[str, Any]) -> User:
        return sign_in_with_oidc(claims, at=timezone.now())
