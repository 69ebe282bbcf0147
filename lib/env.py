"""Typed readers for configuration held in environment variables.

Each helper fails loudly on a value it cannot parse, naming the variable, so a typo in a
deployment stops the process at start-up instead of running with a silent default.
"""

import os


class ConfigError(ValueError):
    """Raise when an environment variable holds an unusable value."""


def envstr(name: str, default: str) -> str:
    """Return the variable as a string, or `default` when unset or empty."""
    value = os.environ.get(name, "")
    return value if value != "" else default


def envbool(name: str, default: bool) -> bool:
    """Return the variable as a boolean (true/false, yes/no, on/off, 1/0)."""
    value = os.environ.get(name, "").strip().lower()
    if value == "":
        return default
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name}={value!r} is not a boolean (use true or false)")


def envint(name: str, default: int) -> int:
    """Return the variable as an integer."""
    value = os.environ.get(name, "").strip()
    if value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ConfigError(f"{name}={value!r} is not an integer") from None


def envlist(name: str, default: list[str]) -> list[str]:
    """Return the variable as a comma-separated list of non-empty items."""
    value = os.environ.get(name, "")
    if value.strip() == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]
