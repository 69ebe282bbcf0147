"""Telephone audio for the menu's prompts: espeak-ng (voice `vi`) then sox to 8 kHz (ADR 26).

Every piece is one WAV file (8 kHz, mono, 16-bit signed PCM: Asterisk's `wav` format), made once
and kept in the cache folder:
- a fixed prompt is `p-<key>.wav` (hotline.prompts);
- a number, date, time or amount in words is assembled from one file per word,
  `w-<word in Telex>.wav` ("mười" -> `w-muwowif`), a vocabulary of a few dozen syllables;
- free text from the records (a step's or procedure's name) is `t-<hash>.wav`.
A file of the same name in the recordings folder (HOTLINE_RECORDINGS_DIR) wins over the
synthesised one: a person's recording replaces any piece by being dropped there.
"""

import hashlib
import os
import shutil
import subprocess
import tempfile
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from hotline.menu import Prompt, Say, Words
from hotline.prompts import PROMPTS
from lib.numwords import DIGITS, MONTHS

SAMPLE_RATE = 8000
_TONES = {"\u0301": "s", "\u0300": "f", "\u0309": "r", "\u0303": "x", "\u0323": "j"}
_MARKS = {"\u0306": "w", "\u031b": "w"}  # breve (ă), horn (ơ, ư); circumflex doubles the letter


# Every word a number, date, time, limit or amount is read with (hotline.menu), besides digits.
VOCABULARY = "mười mươi trăm linh mốt lăm nghìn triệu tỷ đồng ngày mồng tháng năm giờ phút làm việc"


class SpeechError(Exception):
    """espeak-ng or sox failed or is missing."""


def telex(word: str) -> str:
    """A Vietnamese syllable in Telex, an ASCII file name: "mười" -> "muwowif"."""
    out: list[str] = []
    tone = ""
    for c in unicodedata.normalize("NFD", word.lower()):
        if c in _TONES:
            tone = _TONES[c]
        elif c in _MARKS:
            out.append(_MARKS[c])
        elif c == "\u0302" and out:
            out.append(out[-1])
        elif c == "đ":
            out.append("dd")
        elif c.isascii() and c.isalnum():
            out.append(c)
    return "".join(out) + tone


def pieces(say: Say) -> list[tuple[str, str]]:
    """The (file name, text) pieces one thing said is played from."""
    if isinstance(say, Prompt):
        return [(f"p-{say.key}", PROMPTS[say.key])]
    if isinstance(say, Words):
        return [(f"w-{telex(w)}", w) for w in say.text.split()]
    digest = hashlib.sha256(say.text.encode()).hexdigest()[:20]
    return [(f"t-{digest}", say.text)]


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise SpeechError(f"{name} is not installed (scripts/system-deps.sh)")
    return path


def synthesise(text: str, target: Path, *, voice: str = "vi") -> None:
    """Speak `text` into `target` as 8 kHz mono telephone audio (atomically)."""
    espeak, sox = _tool("espeak-ng"), _tool("sox")
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="hotline-") as tmp:
        raw = Path(tmp) / "raw.wav"
        out = Path(tmp) / "out.wav"
        try:
            # The text goes on stdin: a text starting with "-" is never taken for an option.
            subprocess.run(  # noqa: S603 (fixed arguments; the text goes on stdin)
                [espeak, "-v", voice, "-w", str(raw), "--stdin"],
                input=text.encode(),
                check=True,
                capture_output=True,
                timeout=30,
            )
            subprocess.run(  # noqa: S603 (fixed arguments, our own file names)
                [
                    sox,
                    str(raw),
                    "-r",
                    str(SAMPLE_RATE),
                    "-c",
                    "1",
                    "-b",
                    "16",
                    "-e",
                    "signed-integer",
                    str(out),
                ],
                check=True,
                capture_output=True,
                timeout=30,
            )
        except (OSError, subprocess.SubprocessError) as exc:
            raise SpeechError(f"cannot synthesise {text[:40]!r}: {exc}") from exc
        os.replace(out, target)


class Voice:
    """Finds or makes the audio files of what the menu says."""

    def __init__(self, cache_dir: Path, recordings_dir: Path | None = None, voice: str = "vi"):
        self.cache_dir = Path(cache_dir)
        self.recordings_dir = Path(recordings_dir) if recordings_dir else None
        self.voice = voice

    def file(self, name: str, text: str) -> Path:
        """The WAV file of one piece: a recording if one was dropped in, else the cached one."""
        if self.recordings_dir is not None:
            recorded = self.recordings_dir / f"{name}.wav"
            if recorded.is_file():
                return recorded
        target = self.cache_dir / f"{name}.wav"
        if not target.is_file():
            synthesise(text, target, voice=self.voice)
        return target

    def files(self, says: Iterable[Say]) -> list[str]:
        """Asterisk file names (full paths without `.wav`) to play, in order."""
        return [
            str(self.file(name, text).with_suffix("")) for say in says for name, text in pieces(say)
        ]

    def prepare(self) -> int:
        """Make every fixed prompt and the words numbers are read with; return how many."""
        words = {*DIGITS, *" ".join(MONTHS).split()}
        words |= set(VOCABULARY.split())
        says: list[Say] = [Prompt(k) for k in PROMPTS]
        says += [Words(w) for w in sorted(words)]
        return len(self.files(says))
