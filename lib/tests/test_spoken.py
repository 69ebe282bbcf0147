"""Numbers, dates and times read aloud, and the keypad lookup number's check digit."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lib.lookupnumber import damm, lookup_number, parse_lookup_number
from lib.numwords import date_words, digit_words, time_words


@pytest.mark.parametrize(
    ("day", "month", "year", "words"),
    [
        (15, 12, 2026, "ngày mười lăm tháng mười hai năm hai nghìn không trăm hai mươi sáu"),
        (1, 1, None, "ngày mồng một tháng một"),
        (10, 4, None, "ngày mồng mười tháng tư"),
        (11, 4, None, "ngày mười một tháng tư"),
        (21, 5, 2025, "ngày hai mươi mốt tháng năm năm hai nghìn không trăm hai mươi lăm"),
        (31, 10, None, "ngày ba mươi mốt tháng mười"),
    ],
)
def test_dates(day: int, month: int, year: int | None, words: str) -> None:
    assert date_words(day, month, year) == words


@pytest.mark.parametrize(
    ("hour", "minute", "words"),
    [
        (16, 30, "mười sáu giờ ba mươi phút"),
        (8, 0, "tám giờ"),
        (0, 5, "không giờ năm phút"),
        (7, 15, "bảy giờ mười lăm phút"),
        (13, 1, "mười ba giờ một phút"),
    ],
)
def test_times(hour: int, minute: int, words: str) -> None:
    assert time_words(hour, minute) == words


def test_digits_and_impossible_values() -> None:
    assert digit_words("0105") == "không một không năm"
    for bad in (lambda: date_words(0, 1), lambda: date_words(1, 13), lambda: time_words(24, 0)):
        with pytest.raises(ValueError):
            bad()
    with pytest.raises(ValueError):
        digit_words("1*2")


def test_lookup_number_shape() -> None:
    assert lookup_number(42) == "0000427"
    assert lookup_number(1234567) == "12345671"[:7] + str(damm("1234567"))
    assert parse_lookup_number("0000427") == 42
    assert parse_lookup_number("000427") is None  # too short
    assert parse_lookup_number("00000427") is None  # not the canonical padding
    assert parse_lookup_number("0000000") is None  # no dossier 0
    assert parse_lookup_number("00004*7") is None


@given(st.integers(min_value=1, max_value=10**12))
def test_every_number_parses_back_and_any_single_typo_or_swap_is_caught(pk: int) -> None:
    number = lookup_number(pk)
    assert parse_lookup_number(number) == pk
    for i, c in enumerate(number):
        for d in "0123456789":
            if d != c:
                assert parse_lookup_number(number[:i] + d + number[i + 1 :]) is None
    for i in range(len(number) - 1):
        if number[i] != number[i + 1]:
            swapped = number[:i] + number[i + 1] + number[i] + number[i + 2 :]
            assert parse_lookup_number(swapped) is None
