"""Structural checks of Vietnamese identifiers (no I/O)."""

import re
from datetime import date

CITIZEN_ID_RE = re.compile(r"^\d{12}$")
TAX_CODE_RE = re.compile(r"^\d{10}(-\d{3})?$")


def citizen_id_problem(value: str, *, today: date | None = None) -> str | None:
    """Return why a 12-digit citizen ID is malformed, or None when its structure is valid.

    Digits 1-3: province of birth registration (001-096); digit 4: century and sex
    (0/1 = 1900s, 2/3 = 2000s, 4/5 = 2100s...); digits 5-6: year of birth (DOMAIN.md §5).
    """
    if not CITIZEN_ID_RE.match(value):
        return "must be exactly 12 digits"
    province = int(value[:3])
    if not 1 <= province <= 96:
        return f"province code {value[:3]} is not between 001 and 096"
    century_digit = int(value[3])
    if century_digit > 9:
        return "invalid century/sex digit"
    year = 1900 + (century_digit // 2) * 100 + int(value[4:6])
    current = (today or date.today()).year  # noqa: DTZ011 - a calendar year bound only
    if year > current:
        return f"year of birth {year} is in the future"
    return None


def tax_code_problem(value: str) -> str | None:
    """Return why an organisation tax code is malformed, or None (10 digits, optional -NNN)."""
    if not TAX_CODE_RE.match(value):
        return "must be 10 digits, optionally followed by -NNN for a branch"
    return None


def mask(value: str, keep: int = 4) -> str:
    """Return `value` with all but the last `keep` characters hidden: ********1234."""
    if len(value) <= keep:
        return "*" * len(value)
    return "*" * (len(value) - keep) + value[-keep:]
