"""Amounts of money in Vietnamese words, for receipts: 1250000 -> "Một triệu hai trăm năm mươi
nghìn đồng". Pure code (no Django).

Rules: groups of three digits named nghìn, triệu, tỷ (and nghìn tỷ, triệu tỷ... beyond);
"linh" for a zero tens digit before a unit inside a group ("một trăm linh năm"); "mười" for
ten, "mươi" for the other tens; "mốt" for a final 1 after a tens of 2-9; "lăm" for a final 5
after a tens of 1-9; "tư" is not used (a regional variant); a group after a higher group is
read in full ("một nghìn không trăm linh năm").
"""

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
SCALES = ("", "nghìn", "triệu", "tỷ")


def _group(n: int, *, full: bool) -> list[str]:
    """Words of 0 < n < 1000; `full` reads the hundreds even when zero."""
    hundreds, rest = divmod(n, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            if words:
                words.append("linh")
            words.append(DIGITS[units])
        return words
    if tens == 1:
        words.append("mười")
    else:
        words += [DIGITS[tens], "mươi"]
    if units == 1 and tens > 1:
        words.append("mốt")
    elif units == 5:
        words.append("lăm")
    elif units:
        words.append(DIGITS[units])
    return words


def _scale(index: int) -> list[str]:
    # Past "tỷ" the names repeat: 10^12 is "nghìn tỷ", 10^18 "tỷ tỷ".
    words: list[str] = []
    while index >= len(SCALES) - 1:
        words.insert(0, "tỷ")
        index -= len(SCALES) - 1
    if index:
        words.insert(0, SCALES[index])
    return words


def number_words(n: int) -> str:
    """The number in Vietnamese words, lower case: 105 -> "một trăm linh năm"."""
    if n < 0:
        raise ValueError("a negative amount has no words on a receipt")
    if n == 0:
        return DIGITS[0]
    groups: list[int] = []
    while n:
        n, group = divmod(n, 1000)
        groups.append(group)
    words: list[str] = []
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            continue
        words += _group(group, full=bool(words))
        words += _scale(index)
    return " ".join(words)


def vnd_words(amount: int) -> str:
    """An amount in đồng as a receipt writes it: capitalised, ending in "đồng"."""
    text = number_words(amount) + " đồng"
    return text[0].upper() + text[1:]


def vnd_figures(amount: int) -> str:
    """An amount in figures with the Vietnamese thousands separator: 1250000 -> "1.250.000"."""
    return f"{amount:,}".replace(",", ".")


# Spoken readings for the telephone (hotline): dates, times, digit strings. Days 1-10 take
# "mồng" ("ngày mồng năm"); April is "tháng tư" (the month's name, unlike a number's "bốn").
MONTHS = (
    "",
    "một",
    "hai",
    "ba",
    "tư",
    "năm",
    "sáu",
    "bảy",
    "tám",
    "chín",
    "mười",
    "mười một",
    "mười hai",
)


def date_words(day: int, month: int, year: int | None = None) -> str:
    """A calendar date read aloud: (15, 12, 2026) -> "ngày mười lăm tháng mười hai năm hai
    nghìn không trăm hai mươi sáu"."""
    if not 1 <= day <= 31 or not 1 <= month <= 12:
        raise ValueError(f"no such date: {day}/{month}")
    words = ["ngày"] + (["mồng"] if day <= 10 else []) + [number_words(day)]
    words += ["tháng", MONTHS[month]]
    if year is not None:
        words += ["năm", number_words(year)]
    return " ".join(words)


def time_words(hour: int, minute: int) -> str:
    """A time of day read aloud: (16, 30) -> "mười sáu giờ ba mươi phút"; (8, 0) -> "tám giờ"."""
    if not 0 <= hour <= 23 or not 0 <= minute <= 59:
        raise ValueError(f"no such time: {hour}:{minute}")
    words = [number_words(hour), "giờ"]
    if minute:
        words += [number_words(minute), "phút"]
    return " ".join(words)


def digit_words(digits: str) -> str:
    """Digits read one by one, as a code is spelled on the phone: "105" -> "một không năm"."""
    if not digits.isascii() or not digits.isdigit():
        raise ValueError("only the digits 0-9 can be read one by one")
    return " ".join(DIGITS[int(c)] for c in digits)
