"""ReportLab helpers shared by the papers drawn rather than laid out as HTML (the tracking book,
the periodic report): the Liberation Serif fonts and pages numbered "x/y"."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdf_canvas

FONT_DIRS = [
    Path("/usr/share/fonts/truetype/liberation2"),
    Path("/usr/share/fonts/truetype/liberation"),
]


class FontsMissing(ValueError):
    """Raise when the Liberation fonts are not installed."""


def _font(name: str) -> str:
    for folder in FONT_DIRS:
        path = folder / name
        if path.exists():
            return str(path)
    raise FontsMissing(
        _(
            "Liberation fonts are missing (apt-get install fonts-liberation2); the papers "
            "need them for Vietnamese diacritics."
        )
    )


def register_fonts() -> None:
    """Register Liberation Serif (regular, bold, italic) with ReportLab, once per process."""
    registered = set(pdfmetrics.getRegisteredFontNames())
    for name, file in (
        ("LiberationSerif", "LiberationSerif-Regular.ttf"),
        ("LiberationSerif-Bold", "LiberationSerif-Bold.ttf"),
        ("LiberationSerif-Italic", "LiberationSerif-Italic.ttf"),
    ):
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, _font(file)))


def numbered_canvas(footer: Callable[[int, int], str], *, width: float) -> type:
    """A ReportLab canvas class that writes footer(page, pages) at the bottom right of every
    page, once the page count is known (the pages are kept and drawn at save)."""

    class NumberedCanvas(pdf_canvas.Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # ReportLab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self.setFont("LiberationSerif", 8)
                self.drawRightString(width - 10 * mm, 6 * mm, footer(self._pageNumber, total))
                super().showPage()
            super().save()

    return NumberedCanvas
