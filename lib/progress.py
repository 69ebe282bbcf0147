"""A dependency-free progress bar for management commands."""

import sys
import time
from typing import TextIO


class ProgressBar:
    """Draw `label [#####-----] 50% 500/1000` on a terminal, at most ten times a second."""

    def __init__(self, label: str, stream: TextIO | None = None, width: int = 30) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.width = width
        self._last = 0.0
        self._tty = hasattr(self.stream, "isatty") and self.stream.isatty()

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self._last < 0.1:
            return
        self._last = now
        frac = done / total if total else 1.0
        filled = int(frac * self.width)
        bar = "#" * filled + "-" * (self.width - filled)
        line = f"{self.label} [{bar}] {frac:4.0%} {done}/{total}"
        if self._tty:
            self.stream.write("\r" + line + ("\n" if done >= total else ""))
        elif done >= total or int(frac * 10) != int(((done - 1) / total if total else 1) * 10):
            self.stream.write(line + "\n")
        self.stream.flush()
