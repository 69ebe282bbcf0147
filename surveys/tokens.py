"""The signed token of a survey link tied to one dossier (sent with the returned result).

The token is the dossier's id, a timestamp and an HMAC under SECRET_KEY with a salt of its
own: it proves the link was made here for that dossier, and it ages out after
SURVEY_LINK_DAYS. Nothing else about the dossier is in it.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing

_SALT = "surveys.dossier-link"


def make_token(dossier_id: int) -> str:
    """The token of the survey link of one dossier."""
    return signing.TimestampSigner(salt=_SALT).sign(str(dossier_id))


def read_token(token: str) -> int | None:
    """The dossier id the token was made for, or None if it was altered or is too old."""
    try:
        value = signing.TimestampSigner(salt=_SALT).unsign(
            token, max_age=timedelta(days=settings.SURVEY_LINK_DAYS)
        )
    except signing.BadSignature:
        return None
    return int(value) if value.isdigit() else None


def survey_url(dossier_id: int) -> str:
    """The absolute address of the survey link of one dossier."""
    base = settings.PUBLIC_BASE_URL.rstrip("/")
    return f"{base}/khao-sat/phieu/{make_token(dossier_id)}/"
