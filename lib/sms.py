"""How many SMS parts a text takes (no I/O): GSM-7 160/153 characters, UCS-2 70/67."""

from dataclasses import dataclass

# The GSM 03.38 default alphabet; the extension table's characters count twice.
_GSM7 = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM7_EXTENDED = set("^{}\\[~]|€\f")


@dataclass(frozen=True)
class Parts:
    """A text's encoding, its length in that encoding's units and the parts it needs."""

    unicode: bool
    units: int
    parts: int


def parts(text: str) -> Parts:
    """Count the parts of `text`: UCS-2 as soon as one character is outside GSM-7."""
    if all(ch in _GSM7 or ch in _GSM7_EXTENDED for ch in text):
        units = sum(2 if ch in _GSM7_EXTENDED else 1 for ch in text)
        single, multi, unicode = 160, 153, False
    else:
        # UTF-16 code units: a character outside the BMP takes two.
        units = len(text.encode("utf-16-le")) // 2
        single, multi, unicode = 70, 67, True
    if units <= single:
        return Parts(unicode, units, 1 if units else 0)
    return Parts(unicode, units, -(-units // multi))
