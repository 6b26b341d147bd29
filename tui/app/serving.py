"""`timeline serve`: textual-serve, with a token when it listens beyond this machine.

A page, the WebSocket that drives an app and a download all need the token: given once
in the page's URL (`?token=…`), it is kept in a cookie for the page's own requests."""

from __future__ import annotations

import ipaddress
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from textual_serve.server import Server

COOKIE = "timeline-token"


def is_loopback(host: str) -> bool:
    """Whether only this machine can reach `host` (a name other than localhost may
    resolve anywhere: it counts as not)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def new_token() -> str:
    return secrets.token_urlsafe(18)


class TokenServer(Server):
    """textual-serve's server, refusing every request that doesn't carry `token`."""

    def __init__(self, command: str, *, token: str, **options: Any) -> None:
        super().__init__(command, **options)
        self.token = token

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(self._check_token)
        return app

    @web.middleware
    async def _check_token(
        self,
        request: web.Request,
        handler: Callable[[web.Request], Awaitable[web.StreamResponse]],
    ) -> web.StreamResponse:
        given = request.query.get("token") or request.cookies.get(COOKIE) or ""
        if not secrets.compare_digest(given.encode(), self.token.encode()):
            raise web.HTTPForbidden(
                text="timeline: this server needs its token: open the URL it printed.\n"
            )
        response = await handler(request)
        if "token" in request.query and not response.prepared:
            response.set_cookie(COOKIE, self.token, httponly=True, samesite="Strict")
        return response
