"""Pure ASGI middleware (so streaming responses keep working): security headers, body limit,
no NUL in a URL."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from accord.api.problems import problem

API_HEADERS = (
    # HSTS: browsers ignore it over plain HTTP (RFC 6797, 8.1), so it only ever binds a host
    # already reached over TLS (behind the operator's proxy) to TLS for a year.
    (b"strict-transport-security", b"max-age=31536000; includeSubDomains"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cache-control", b"no-store"),
)


class SecurityHeaders:
    def __init__(self, app: ASGIApp, headers: tuple[tuple[bytes, bytes], ...] = API_HEADERS):
        self.app = app
        self.headers = headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(n, v) for n, v in self.headers if n not in present]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class NoNulInUrl:
    """Refuse an API URL with a NUL character (`%00`) in its path or query string (400): no id,
    filter, slug or file name holds one, and PostgreSQL cannot compare text with one, so
    `?tag=%00` or `/policies/playbooks/%00` was a 500. Bodies drop NULs instead
    (`accord.core.requests`). Web pages, outside `prefix`, answer such URLs themselves (a
    login page keeps an odd `next` and shows it escaped)."""

    def __init__(self, app: ASGIApp, prefix: str) -> None:
        self.app = app
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["path"].startswith(self.prefix)
            and ("\x00" in scope["path"] or b"%00" in scope.get("query_string", b""))
        ):
            detail = "the URL contains a NUL character (%00)"
            await problem(400, "bad_request", "Malformed request", detail)(scope, receive, send)
            return
        await self.app(scope, receive, send)


class BodyLimit:
    """Refuse request bodies over `max_bytes` with a 413 problem, before they reach a route.

    A declared Content-Length is checked up front; chunked bodies are counted as they stream
    and cut off at the limit (the HTTPException surfaces through FastAPI's body parsing).
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._refuse(scope, receive, send)
            return
        seen = 0

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:
                raise HTTPException(413, self._detail())
            return message

        await self.app(scope, counting_receive, send)

    def _detail(self) -> str:
        return f"the request body is larger than {self.max_bytes} bytes"

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = problem(413, "payload_too_large", "Request body too large", self._detail())
        await response(scope, receive, send)
