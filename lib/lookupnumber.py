"""The numeric lookup number of a dossier, for the telephone keypad (ADR 26).

A dossier code holds letters and dots a keypad cannot send, so the receipt and the SMS also give
a number made of digits only: the dossier's primary key, left-padded to six digits, followed by
a Damm check digit. The check digit catches every single mistyped digit and every swap of two
adjacent digits before anything is looked up; it is no secret (the PIN is what proves the caller
holds the receipt). Pure code (no Django).
"""

# The Damm quasigroup of order 10 (Damm 2004): one table, no weak pairs.
_DAMM = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)
WIDTH = 6  # digits before the check digit (more for the millionth dossier on)
MAX_LENGTH = 15  # what a keypad entry may hold before it is refused unread


def damm(digits: str) -> int:
    """The Damm check digit of a string of digits."""
    interim = 0
    for c in digits:
        interim = _DAMM[interim][int(c)]
    return interim


def lookup_number(pk: int) -> str:
    """The lookup number of the dossier with primary key `pk`: 42 -> "0000429"."""
    if pk <= 0:
        raise ValueError("a dossier's primary key is positive")
    body = f"{pk:0{WIDTH}d}"
    return body + str(damm(body))


def parse_lookup_number(digits: str) -> int | None:
    """The primary key a keyed-in lookup number designates, or None when it is malformed."""
    if not (WIDTH + 1 <= len(digits) <= MAX_LENGTH) or not digits.isascii():
        return None
    if not digits.isdigit() or damm(digits) != 0:
        return None
    pk = int(digits[:-1])
    return pk if pk > 0 and lookup_number(pk) == digits else None
