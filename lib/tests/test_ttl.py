"""The few-seconds per-process cache: values expire, misses are not kept, tests can clear all."""

import pytest

from lib import ttl


def test_values_expire_and_misses_are_not_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [0.0]
    monkeypatch.setattr(ttl.time, "monotonic", lambda: now[0])
    cache: ttl.TtlCache[str] = ttl.TtlCache("test", ttl=5.0)
    loads: list[str] = []

    def load(value: str | None) -> str | None:
        loads.append(str(value))
        return value

    assert cache.get("k", lambda: load("a")) == "a"
    assert cache.get("k", lambda: load("b")) == "a"
    now[0] = 5.0
    assert cache.get("k", lambda: load("c")) == "c"
    assert cache.get("missing", lambda: load(None)) is None
    assert cache.get("missing", lambda: load("d")) == "d"
    assert loads == ["a", "c", "None", "d"]
    ttl.clear_all()
    assert cache.get("k", lambda: load("e")) == "e"
