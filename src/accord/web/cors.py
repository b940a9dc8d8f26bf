"""CORS for the chat widget's endpoints only (`/widget/v1/`): the widget runs on a company's own
site and calls Accord from there. Those endpoints authenticate with a bearer access code (or a
visitor's credential; starting a visitor's chat needs none) and never read cookies, so any
origin may call them without lending anyone's identity; every other path keeps the browser's
same-origin rule."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

PREFIX = "/widget/v1/"
ALLOW = (
    (b"access-control-allow-origin", b"*"),
    (b"access-control-expose-headers", b"content-type"),
)
PREFLIGHT = (
    *ALLOW,
    (b"access-control-allow-methods", b"GET, POST"),
    (b"access-control-allow-headers", b"authorization, content-type"),
    (b"access-control-max-age", b"600"),
)


class WidgetCors:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not str(scope["path"]).startswith(PREFIX):
            await self.app(scope, receive, send)
            return
        if scope["method"] == "OPTIONS":
            await send({"type": "http.response.start", "status": 204, "headers": list(PREFLIGHT)})
            await send({"type": "http.response.body", "body": b""})
            return

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *ALLOW]
            await send(message)

        await self.app(scope, receive, send_with_cors)
