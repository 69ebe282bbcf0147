"""Read the text of a PDF the way a person would, and keep a picture of its first page."""

import shutil
import subprocess
from pathlib import Path

import pytest

SHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"


def text_of(pdf: bytes, tmp_path: Path, name: str, *, shot: bool = True) -> str:
    """Return the PDF's text without whitespace; save page 1 as docs/screenshots/<name>.png."""
    if shutil.which("pdftotext") is None:
        pytest.skip("!!! pdftotext (poppler-utils) is not installed; make test installs it !!!")
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    if shot and shutil.which("pdftoppm"):
        SHOTS.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "70",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(path),
                str(SHOTS / name),
            ],
            check=True,
        )
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return "".join(out.stdout.split())


def has(text: str, *needles: str) -> None:
    """Assert that every needle appears in `text`, whitespace ignored."""
    for needle in needles:
        assert "".join(needle.split()) in text, needle
