"""Showing Vietnamese identifiers (no I/O); their checks are in lib.validate."""


def mask(value: str, keep: int = 4) -> str:
    """Return `value` with all but the last `keep` characters hidden: ********1234."""
    if len(value) <= keep:
        return "*" * len(value)
    return "*" * (len(value) - keep) + value[-keep:]


def mask_contact(value: str) -> str:
    """A phone or an e-mail address shown masked: ********123, n•••@example.vn."""
    if "@" in value:
        local, _, domain = value.partition("@")
        return (local[:1] + "•••@" + domain) if local else "•••@" + domain
    return mask(value, keep=3)
