"""Per-process caches whose entries live a few seconds, for rows read on every request.

A row another process changes is seen again within `ttl` seconds; the process that changes it
clears the cache at once (the owners connect `clear` to the model's signals). Every instance
is registered so that tests can start each case with empty caches (`clear_all`).
"""

import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")

# The same bound as the working calendars' overrides fingerprint (workdays/calendars.py).
DEFAULT_TTL = 5.0

_ALL: "list[TtlCache[object]]" = []


class TtlCache(Generic[V]):
    """A dict of values that expire `ttl` seconds after they were stored."""

    def __init__(self, name: str, *, ttl: float = DEFAULT_TTL, maxsize: int = 4096) -> None:
        self.name = name
        self.ttl = ttl
        self.maxsize = maxsize
        self._data: dict[Hashable, tuple[float, V]] = {}
        _ALL.append(self)  # type: ignore[arg-type]

    def get(self, key: Hashable, load: Callable[[], V | None]) -> V | None:
        """Return the fresh value of `key`, else `load()` it (a None result is not kept)."""
        now = time.monotonic()
        hit = self._data.get(key)
        if hit is not None and now - hit[0] < self.ttl:
            return hit[1]
        value = load()
        if value is None:
            self._data.pop(key, None)
            return None
        if len(self._data) >= self.maxsize:
            self._data.clear()  # rare: a bounded cache, not an LRU
        self._data[key] = (now, value)
        return value

    def clear(self, *_args: object, **_kwargs: object) -> None:
        """Forget every entry (usable as a signal receiver)."""
        self._data.clear()


def clear_all() -> None:
    """Empty every per-process cache (tests: row ids are reused after a rollback)."""
    for cache in _ALL:
        cache.clear()
