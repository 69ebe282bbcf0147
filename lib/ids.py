"""Showing Vietnamese identifiers (no I/O); their checks are in lib.validate."""


def mask(value: str, keep: int = 4) -> str:
    """Return `value` with all but the last `keep` characters hidden: ********1234."""
    if len(value) <= keep:
        return "*" * len(value)
    return "*" * (len(value) - keep) + value[-keep:]
