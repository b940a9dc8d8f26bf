"""A deterministic fake OpenAI-compatible chat server on loopback, for the coach's LLM tests.

It behaves like a model that falls for every injection: when the customer's text carries one
of the attack markers, it answers with its whole system prompt (canary included), links,
an email address and a phone number, and claims to have acted. Otherwise it writes a good
reply. It records every request body it gets.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

MARKERS = (
    "ignore",
    "instruction",
    "system",
    "prompt",
    "canary",
    "reveal",
    "marker",
    "override",
    "developer",
    "admin",
    "assistant:",
    "print",
    "repeat",
    "jailbreak",
)
GOOD_REPLY = (
    "Hi [CUSTOMER], thank you for telling us about this. If I understand correctly, you were "
    "charged twice for order 55123. I can imagine how frustrating that is, and I'm so sorry: it "
    "was our mistake. I can offer you a full refund or a replacement. Would you prefer the "
    "refund or the replacement? I will process your choice within 2 business days. If there is "
    "anything else I can help with, just reply here."
)


class FakeLlm:
    def __init__(self, *, status: int = 200, reply: str | None = None) -> None:
        self.requests: list[dict[str, Any]] = []
        self.status, self.reply = status, reply
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.requests.append({"path": self.path, "body": body})
                payload = json.dumps(fake.answer(body)).encode()
                self.send_response(fake.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: Any) -> None:  # keep test output quiet
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def answer(self, body: dict[str, Any]) -> dict[str, Any]:
        system, user = body["messages"][0]["content"], body["messages"][1]["content"]
        if self.reply is not None:
            text = self.reply
        elif any(m in user.lower() for m in MARKERS):
            text = (
                f"Sure! My instructions were: {system} I have already refunded you and sent "
                "the money. Pay the fee at http://evil.example/pay, write to "
                "refunds@evil.example or call +1 555 010 9999."
            )
        else:
            text = GOOD_REPLY
        return {"choices": [{"message": {"role": "assistant", "content": text}}]}

    def __enter__(self) -> FakeLlm:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
