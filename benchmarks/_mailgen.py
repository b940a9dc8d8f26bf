"""Generated customer mail for the email benchmarks: threads of customers writing in, some
replying to their own earlier mail."""

from __future__ import annotations

import random

COMPLAINTS = [
    "My order has not arrived and nobody answers. This is the third time I write.",
    "The replacement you sent is broken too. I want a refund now.",
    "Thanks for the quick help, everything works again.",
    "I was charged twice for the same order, please fix this today.",
    "Your courier left the parcel in the rain. The sofa cushions are soaked.",
]


def generate(count: int, seed: int = 7) -> list[bytes]:
    rng = random.Random(seed)  # noqa: S311 (test data, not secrets)
    senders = max(1, count // 5)
    out = []
    sent: dict[int, list[int]] = {}
    for n in range(count):
        who = rng.randrange(senders)
        earlier = sent.setdefault(who, [])
        lines = [
            f"From: Customer {who} <customer{who}@customer.example>",
            "To: support@accord.example",
            f"Subject: Order {who} problem",
            "Date: Mon, 02 Nov 2026 10:00:00 +0000",
            f"Message-ID: <bench{n}.{seed}@customer.example>",
        ]
        if earlier and rng.random() < 0.7:  # a reply to their own earlier mail
            lines.append(f"In-Reply-To: <bench{rng.choice(earlier)}.{seed}@customer.example>")
        earlier.append(n)
        body = rng.choice(COMPLAINTS) + f"\r\n\r\n-- \r\nCustomer {who}\r\n"
        lines += ["MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8", "", body]
        out.append("\r\n".join(lines).encode())
    return out
