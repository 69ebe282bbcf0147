"""One table per input rule of lib.validate: good values pass, each finding of issue 14 fails."""

from datetime import date

import pytest

from lib import validate

TODAY = date(2026, 3, 2)
FULL_WIDTH = "０８７０９５０００１２３"
ARABIC_INDIC = "٠٨٧٠٩٥٠٠٠١٢٣"


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("Nguyễn Văn A", True),
        ("", True),
        ("Số 1, đường Lê Lợi\nphường An Bình", False),  # a line break in a one-line field
        ("a" * 300, True),
        ("a" * 301, False),
        ("Nguyễn\x00Văn A", False),
        ("abc\x07", False),
        ("abc\x7f", False),
        ("abc\u0085", False),  # C1 control
        ("\u202eA nevaN", False),  # right-to-left override
        ("a\u202ab", False),
        ("a\u2066b\u2069", False),
        ("\ud800", False),  # lone surrogate
    ],
)
def test_text(value: str, ok: bool) -> None:
    assert (validate.text_problem(value, max_length=validate.ADDRESS_MAX) is None) is ok


def test_multiline_text_allows_line_breaks_only() -> None:
    assert validate.text_problem("a\nb\tc\r\n", max_length=10, multiline=True) is None
    assert validate.text_problem("a\x00b", max_length=10, multiline=True) is not None
    assert validate.text_problem("a\u202eb", max_length=10, multiline=True) is not None


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("Nguyễn Văn A", True),
        ("Công ty TNHH Một thành viên 3A", True),
        ("Đặng Thị Ơn", True),
        ("x" * 200, True),
        ("x" * 201, False),
        ("x" * 1001, False),  # the 1,001-character name found in the demo
        ("\u200b\u200b", False),  # zero-width only
        ("\u200b \u200c\u200d\ufeff", False),
        ("   ", False),
        ("123", False),
        ("Nguyễn\u202e Văn A", False),
        ("Nguyễn\x00", False),
    ],
)
def test_name(value: str, ok: bool) -> None:
    assert (validate.name_problem(value) is None) is ok


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("087095000123", True),
        ("001200000001", True),
        ("087095000123\n", False),  # `$` let a trailing newline through
        (FULL_WIDTH, False),
        (ARABIC_INDIC, False),
        ("08709500012", False),
        ("0870950001234", False),
        (" 087095000123", False),
        ("999095000123", False),  # province 999
        ("000095000123", False),  # province 000
        ("087299000123", False),  # born 2099
        ("", False),
    ],
)
def test_citizen_id(value: str, ok: bool) -> None:
    assert (validate.citizen_id_problem(value, today=TODAY) is None) is ok


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("0301234567", True),
        ("0301234567-001", True),
        ("0301234567\n", False),
        ("０３０１２３４５６７", False),
        ("030123456", False),
        ("0301234567-01", False),
    ],
)
def test_tax_code(value: str, ok: bool) -> None:
    assert (validate.tax_code_problem(value) is None) is ok


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("an@example.vn", True),
        ("nguyen.van-a+hs@mail.dongthap.gov.vn", True),
        ("a@bücher.de", True),  # internationalised domain, checked in IDNA form
        ("plain", False),
        ("a@b", False),
        ("a@@b.vn", False),
        ("a b@c.vn", False),
        ("a@b.vn\n", False),
        ("a\x00@b.vn", False),
        ("a@-b.vn", False),
        ("a@b..vn", False),
        (".a@b.vn", False),
        ("a@b.v", False),
        ("ngu\u1ec5n@b.vn", False),  # non-ASCII local part
        ("a" * 65 + "@b.vn", False),
        ("a@" + "b" * 250 + ".vn", False),
    ],
)
def test_email(value: str, ok: bool) -> None:
    assert (validate.email_problem(value) is None) is ok


@pytest.mark.parametrize(
    ("value", "normalised", "ok"),
    [
        ("0912345678", "0912345678", True),
        ("0312345678", "0312345678", True),
        ("0512345678", "0512345678", True),
        ("0712345678", "0712345678", True),
        ("0812345678", "0812345678", True),
        ("091 234 5678", "0912345678", True),
        ("0912.345.678", "0912345678", True),
        ("+84912345678", "0912345678", True),
        ("+84 91 234 5678", "0912345678", True),
        ("84912345678", "0912345678", True),
        ("02773851234", "02773851234", True),  # Đồng Tháp fixed line (0277)
        ("(024) 3825 1234", "02438251234", True),  # Hà Nội fixed line
        ("0112345678", "0112345678", False),  # no such mobile prefix
        ("0612345678", "0612345678", False),
        ("091234567", "091234567", False),  # 9 digits
        ("09123456789", "09123456789", False),  # 11-digit mobile (before 2018)
        ("0277385123", "0277385123", False),  # fixed line one digit short
        ("０９１２３４５６７８", "０９１２３４５６７８", False),
        ("0912345678\n", "0912345678", True),  # surrounding whitespace is trimmed
        ("09123456７8", "09123456７8", False),
        ("0912345678" + "0" * 20, "0912345678" + "0" * 20, False),
        ("abc", "abc", False),
    ],
)
def test_phone(value: str, normalised: str, ok: bool) -> None:
    assert validate.normalise_phone(value) == normalised
    assert (validate.phone_problem(value) is None) is ok


def test_messages_are_translated_by_the_caller() -> None:
    problem = validate.text_problem("x" * 5, max_length=3)
    assert problem is not None
    assert str(problem) == "At most 3 characters are allowed (this has 5)."
    assert problem.say(lambda m: m.replace("At most", "Tối đa")).startswith("Tối đa 3")
