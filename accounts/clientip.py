"""The client's address, as every sign-in and rate limit counts it.

Behind a reverse proxy, REMOTE_ADDR is the proxy. Only a request that arrives from one of
settings.TRUSTED_PROXIES may name its client in X-Forwarded-For, and the address taken is the
right-most one that is not itself a trusted proxy: what a client writes into the header
itself stands to the left of what our proxies appended, so it is never believed.
"""

import ipaddress
from functools import cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@cache
def _trusted(spec: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in spec)


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _is_trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return any(address in net for net in _trusted(tuple(settings.TRUSTED_PROXIES)))


def client_ip(request: HttpRequest) -> str:
    """Return the client's IP address for this request (see the module docstring)."""
    remote = request.META.get("REMOTE_ADDR", "")
    address = _address(remote)
    if address is None or not _is_trusted(address):
        return remote
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        hop_address = _address(hop)
        if hop_address is None:
            # A malformed entry: nothing to its left can be trusted either.
            return remote
        if not _is_trusted(hop_address):
            return str(hop_address)
    return remote
