"""Text helpers for Vietnamese: diacritic-insensitive folding for search."""

import unicodedata

_SPECIAL = str.maketrans({"đ": "d", "Đ": "d"})


def fold(text: str) -> str:
    """Return `text` lower-cased without diacritics: "Nguyễn Văn Đức" -> "nguyen van duc"."""
    decomposed = unicodedata.normalize("NFD", text.translate(_SPECIAL))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())


def mask_name(name: str) -> str:
    """Return "Nguyễn V. A." style initials: the public page shows no full name."""
    parts = name.split()
    if not parts:
        return ""
    return " ".join([parts[0]] + [p[0] + "." for p in parts[1:]])


_SPECIAL_CASED = str.maketrans({"đ": "d", "Đ": "D"})


def strip_diacritics(text: str) -> str:
    """Return `text` without Vietnamese diacritics, case and spacing kept: "Hồ sơ" -> "Ho so"."""
    decomposed = unicodedata.normalize("NFD", text.translate(_SPECIAL_CASED))
    return unicodedata.normalize(
        "NFC", "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    )
