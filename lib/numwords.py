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
