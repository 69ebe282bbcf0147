"""One definition of each input rule (no Django): text, names, ID numbers, emails, phones.

Every door (the API schemas, the desk forms, the importers, the filing action) calls these;
each rule returns None when the value is acceptable or an `Invalid` naming why. Messages are
English msgids marked with `gettext_noop`, so `makemessages` finds them; the caller translates
with its own gettext (`problem.say(gettext)`), which keeps this module free of Django.
"""

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any


def gettext_noop(message: str) -> str:
    """Mark `message` for translation; the caller translates it when it is shown."""
    return message


@dataclass(frozen=True)
class Invalid:
    """Why a value was refused: an English msgid and its %-placeholders."""

    message: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def say(self, translate: Callable[[str], str]) -> str:
        """Return the message in the active language, e.g. `problem.say(gettext)`."""
        text = translate(self.message)
        return text % dict(self.params) if self.params else text

    def __str__(self) -> str:
        return self.say(lambda m: m)


# Column sizes of the applicant's fields (dossiers.models.Dossier) that every door enforces.
NAME_MAX = 200
ID_NUMBER_MAX = 20
ADDRESS_MAX = 300
PHONE_MAX = 20
EMAIL_MAX = 254

# Bidirectional embeddings, overrides and isolates: they reorder what an officer reads.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Characters that take no space: a name made only of them (and spaces) is empty.
INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e")
# Line breaks and tabs are allowed where a field is several lines long, nowhere else.
MULTILINE_CONTROLS = frozenset("\n\r\t")


def text_problem(
    value: str, *, max_length: int | None = None, required: bool = False, multiline: bool = False
) -> Invalid | None:
    """Return why `value` cannot be stored as text: control characters, bidi overrides, length."""
    allowed = MULTILINE_CONTROLS if multiline else frozenset()
    for ch in value:
        if ch in BIDI_CONTROLS:
            return Invalid(gettext_noop("The text contains a hidden text-direction character."))
        if unicodedata.category(ch) == "Cc" and ch not in allowed:
            return Invalid(gettext_noop("The text contains a control character or a NUL byte."))
        if unicodedata.category(ch) == "Cs":
            return Invalid(gettext_noop("The text contains an invalid character."))
    if max_length is not None and len(value) > max_length:
        return Invalid(
            gettext_noop("At most %(max)d characters are allowed (this has %(n)d)."),
            {"max": max_length, "n": len(value)},
        )
    if required and not visible(value):
        return Invalid(gettext_noop("This field is required."))
    return None


def visible(value: str) -> str:
    """Return `value` without whitespace and characters that take no space."""
    return "".join(ch for ch in value if not ch.isspace() and ch not in INVISIBLE)


def name_problem(value: str, *, max_length: int = NAME_MAX) -> Invalid | None:
    """Return why `value` is not a person's or organisation's name (it needs a letter)."""
    problem = text_problem(value, max_length=max_length)
    if problem:
        return problem
    if not any(ch.isalpha() for ch in visible(value)):
        return Invalid(gettext_noop("The name must contain letters."))
    return None


ASCII_DIGITS = "0123456789"
CITIZEN_ID_RE = re.compile(r"[0-9]{12}")
TAX_CODE_RE = re.compile(r"[0-9]{10}(-[0-9]{3})?")


def citizen_id_problem(value: str, *, today: date | None = None) -> Invalid | None:
    """Return why a 12-digit citizen ID is malformed, or None when its structure is valid.

    Digits 1-3: province of birth registration (001-096); digit 4: century and sex
    (0/1 = 1900s, 2/3 = 2000s, 4/5 = 2100s...); digits 5-6: year of birth (DOMAIN.md §5).
    ASCII digits only, the whole value: `\\d` would take full-width or Arabic-Indic digits and
    `$` a trailing newline.
    """
    if not CITIZEN_ID_RE.fullmatch(value):
        return Invalid(gettext_noop("A citizen ID number is exactly 12 digits (0-9)."))
    province = int(value[:3])
    if not 1 <= province <= 96:
        return Invalid(
            gettext_noop("The province code %(code)s is not between 001 and 096."),
            {"code": value[:3]},
        )
    year = 1900 + (int(value[3]) // 2) * 100 + int(value[4:6])
    current = (today or date.today()).year  # noqa: DTZ011 - a calendar year bound only
    if year > current:
        return Invalid(gettext_noop("The year of birth %(year)d is in the future."), {"year": year})
    return None


def tax_code_problem(value: str) -> Invalid | None:
    """Return why an organisation tax code is malformed, or None (10 digits, optional -NNN)."""
    if not TAX_CODE_RE.fullmatch(value):
        return Invalid(
            gettext_noop("A tax code is 10 digits (0-9), optionally followed by -NNN for a branch.")
        )
    return None


# RFC 5321/5322 in the subset people actually use: an ASCII local part of "atext" and dots,
# a domain of LDH labels (an internationalised domain is checked in its IDNA form).
_LOCAL_RE = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_LABEL_RE = re.compile(r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
_TLD_RE = re.compile(r"[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59}")


def email_problem(value: str) -> Invalid | None:
    """Return why `value` is not an email address (local@domain.tld, at most 254 characters)."""
    bad = Invalid(gettext_noop("Enter a valid email address, e.g. ten@example.vn."))
    if len(value) > EMAIL_MAX:
        return Invalid(
            gettext_noop("At most %(max)d characters are allowed (this has %(n)d)."),
            {"max": EMAIL_MAX, "n": len(value)},
        )
    local, at, domain = value.rpartition("@")
    if not at or len(local) > 64 or not _LOCAL_RE.fullmatch(local):
        return bad
    try:
        ascii_domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        return bad
    labels = ascii_domain.split(".")
    if len(labels) < 2 or not all(_LABEL_RE.fullmatch(label) for label in labels):
        return bad
    if not _TLD_RE.fullmatch(labels[-1]):
        return bad
    return None


# Vietnamese numbering plan (Bộ TT&TT): mobile numbers have 10 digits since the 2018
# conversion (Quyết định 798/QĐ-BTTTT), with network codes 03x, 05x, 07x, 08x, 09x; fixed
# lines have 11 digits since the 2017 area-code change (Thông tư 22/2014/TT-BTTTT as amended
# by Thông tư 15/2016): 02 + area code + subscriber. +84 / 84 stands for the leading 0.
MOBILE_RE = re.compile(r"0[35789][0-9]{8}")
LANDLINE_RE = re.compile(r"02[0-9]{9}")
_PHONE_SEPARATORS = str.maketrans("", "", " .-()")


def normalise_phone(value: str) -> str:
    """Return `value` without separators and with +84 / 84 written as 0: "0912345678"."""
    digits = value.strip().translate(_PHONE_SEPARATORS)
    if digits.startswith("+84"):
        return "0" + digits[3:]
    if digits.startswith("84") and len(digits) in (11, 12):
        return "0" + digits[2:]
    return digits


def phone_problem(value: str) -> Invalid | None:
    """Return why `value` is not a Vietnamese mobile or fixed-line number."""
    number = normalise_phone(value)
    if not number.isascii() or not (MOBILE_RE.fullmatch(number) or LANDLINE_RE.fullmatch(number)):
        return Invalid(
            gettext_noop(
                "Enter a Vietnamese phone number: a mobile number of 10 digits starting with "
                "03, 05, 07, 08 or 09, or a fixed line of 11 digits starting with 02 "
                "(+84 is accepted for the 0)."
            )
        )
    return None


# A file's name as the user gave it is kept for display only (files are stored under a name
# the system generates); this is its longest kept form.
FILENAME_MAX = 120


def display_filename(value: str, *, max_length: int = FILENAME_MAX) -> str:
    """Return an uploaded file's name safe to show: the last path component only, without
    control, bidi or invisible characters, NFC, at most `max_length` characters (keeping the
    extension), "file" when nothing is left."""
    name = unicodedata.normalize("NFC", value or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(
        ch
        for ch in name
        if ch not in BIDI_CONTROLS
        and ch not in INVISIBLE
        and unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Zl", "Zp")
    )
    name = " ".join(name.split()).strip(" .")
    if len(name) > max_length:
        stem, dot, ext = name.rpartition(".")
        if dot and 0 < len(ext) <= 10:
            name = stem[: max_length - len(ext) - 1].rstrip(" .") + "." + ext
        else:
            name = name[:max_length].rstrip(" .")
    return name or "file"
