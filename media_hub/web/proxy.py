"""Trust a TLS proxy's forwarded headers, and optionally its signed-in user, only from the
proxy's own addresses.

uvicorn's own middleware rewrites the client address to the forwarded one, after which the
app could no longer tell a proxy's request from anyone else's; so the proxy check is made
here first, on the connecting address, and kept in the request's scope.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from starlette.types import ASGIApp, Receive, Scope, Send
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

FROM_PROXY = "media_hub.from_proxy"

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def proxy_networks(addresses: Iterable[str]) -> tuple[Network, ...]:
    """The proxies' addresses or networks (`10.0.0.0/24`); a bad one raises ValueError naming it."""
    networks = []
    for address in addresses:
        try:
            networks.append(ipaddress.ip_network(address.strip(), strict=False))
        except ValueError:
            raise ValueError(
                f"proxy address {address!r} is not an IP address or network "
                "(e.g. 127.0.0.1 or 10.0.0.0/24)"
            ) from None
    return tuple(networks)


def is_proxy(host: str | None, networks: tuple[Network, ...]) -> bool:
    if host is None:
        return False
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return any(address in network for network in networks)


class TrustedProxy:
    """Marks requests that come from a trusted proxy, then lets uvicorn's middleware take the
    client address and scheme from X-Forwarded-For and -Proto for those requests only."""

    def __init__(self, app: ASGIApp, proxies: tuple[str, ...]) -> None:
        self.networks = proxy_networks(proxies)
        self.app = app
        self.forwarded = ProxyHeadersMiddleware(app, trusted_hosts=list(proxies))  # type: ignore[arg-type]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        trusted = is_proxy(client[0] if client else None, self.networks)
        scope[FROM_PROXY] = trusted
        if trusted:
            await self.forwarded(scope, receive, send)  # type: ignore[arg-type]
        else:
            await self.app(scope, receive, send)
