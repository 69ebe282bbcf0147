"""Amounts in Vietnamese words, as a receipt writes them."""

import pytest

from lib.numwords import number_words, vnd_words


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (1_250_000, "Một triệu hai trăm năm mươi nghìn đồng"),
        (0, "Không đồng"),
        (5, "Năm đồng"),
        (10, "Mười đồng"),
        (15, "Mười lăm đồng"),
        (21, "Hai mươi mốt đồng"),
        (25, "Hai mươi lăm đồng"),
        (105, "Một trăm linh năm đồng"),
        (111, "Một trăm mười một đồng"),
        (1_005, "Một nghìn không trăm linh năm đồng"),
        (10_500, "Mười nghìn năm trăm đồng"),
        (50_000, "Năm mươi nghìn đồng"),
        (1_000_001, "Một triệu không trăm linh một đồng"),
        (1_001_000, "Một triệu không trăm linh một nghìn đồng"),
        (2_000_000_000, "Hai tỷ đồng"),
        (120_000_000_000, "Một trăm hai mươi tỷ đồng"),
        (1_000_000_000_000, "Một nghìn tỷ đồng"),
    ],
)
def test_amounts_in_words(amount: int, words: str) -> None:
    assert vnd_words(amount) == words


def test_a_negative_amount_has_no_words() -> None:
    with pytest.raises(ValueError, match="negative"):
        number_words(-1)
