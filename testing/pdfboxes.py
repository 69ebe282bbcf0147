"""The words of a rendered PDF with their boxes (poppler's `pdftotext -bbox`), to check that
every paper keeps its text inside the page margins and on the pages it should."""

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

MM = 72 / 25.4

_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')
_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)


@dataclass(frozen=True)
class Word:
    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


@dataclass(frozen=True)
class Layout:
    width: float
    height: float
    pages: int
    words: list[Word]

    def outside(self, margin_mm: float) -> list[Word]:
        """The words that come closer than `margin_mm` to an edge of their page."""
        m = margin_mm * MM - 0.5  # half a point of rounding
        return [
            w
            for w in self.words
            if w.x0 < m or w.y0 < m or w.x1 > self.width - m or w.y1 > self.height - m
        ]

    def line_of(self, text: str, page: int = 1) -> list[Word]:
        """The words sharing a baseline with the first word `text` on the page."""
        first = next(w for w in self.words if w.page == page and w.text == text)
        return [w for w in self.words if w.page == page and abs(w.y1 - first.y1) < 1.0]


def layout(pdf: bytes) -> Layout:
    """Read every word's box from a PDF."""
    if shutil.which("pdftotext") is None:
        pytest.skip("!!! pdftotext (poppler-utils) is not installed; make test installs it !!!")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "p.pdf"
        path.write_bytes(pdf)
        html = subprocess.run(
            ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
    words: list[Word] = []
    pages = 0
    width = height = 0.0
    for chunk in html.split("<page ")[1:]:
        pages += 1
        m = _PAGE.search("<page " + chunk)
        assert m is not None
        width, height = float(m.group(1)), float(m.group(2))
        for x0, y0, x1, y1, text in _WORD.findall(chunk):
            words.append(Word(pages, float(x0), float(y0), float(x1), float(y1), text))
    return Layout(width, height, pages, words)
