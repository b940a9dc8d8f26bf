"""Domain events: what the write path announces, and who reacts to it.

The inbox stores a message or changes a conversation and publishes an event inside the same
transaction; the layers above it subscribe (the analysis behind insights, the case rules, the
channels' outboxes). So the inbox imports none of them, and a new reaction (a follow-up, a
survey, a new channel's outbox) is a new subscriber, not a new line in the write path.

Subscribers run synchronously, in the publisher's session, in ascending ``order`` (the analysis
first: the case rules read the heat it stores). Each decides what its failure costs: one that
must never cost the message runs in a savepoint and logs (insights, cases); one whose failure
must undo the change raises (the email outbox: a reply that cannot be queued must not look
sent).

Which modules subscribe is declared once, as ``accord.subscribers`` entry points (pyproject.toml);
they are imported before the first event is delivered, so every way in (web, API, CLI, worker, a
script using the library) gets the same reactions without wiring them itself. A plug-in package
adds its own entry point.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import Any, TypeVar

from sqlalchemy.orm import Session

__all__ = ["ENTRY_POINT_GROUP", "Subscription", "publish", "subscribe", "subscriptions"]

ENTRY_POINT_GROUP = "accord.subscribers"
E = TypeVar("E")
Handler = Callable[[Session, Any], None]


@dataclass(frozen=True)
class Subscription:
    event: type
    handler: Handler
    order: int
    name: str


_REGISTRY: list[Subscription] = []
_LOADED = threading.Event()
_LOCK = threading.Lock()


def subscribe(event: type[E], *, order: int) -> Callable[[Callable[[Session, E], None]], Any]:
    """Register the decorated function for ``event`` (and its subclasses); lower ``order`` runs
    first. Registering the same function twice keeps one subscription."""

    def register(handler: Callable[[Session, E], None]) -> Callable[[Session, E], None]:
        name = f"{handler.__module__}.{handler.__qualname__}"
        with _LOCK:
            if not any(s.name == name and s.event is event for s in _REGISTRY):
                _REGISTRY.append(Subscription(event, handler, order, name))
        return handler

    return register


def subscriptions(event: type) -> list[Subscription]:
    """Who receives ``event``, in the order they run (loading the declared subscribers)."""
    _load_declared()
    found = [s for s in _REGISTRY if issubclass(event, s.event)]
    return sorted(found, key=lambda s: (s.order, s.name))


def publish(session: Session, event: object) -> None:
    """Deliver ``event`` to its subscribers now, in ``session``'s transaction."""
    for subscription in subscriptions(type(event)):
        subscription.handler(session, event)


def _load_declared() -> None:
    if _LOADED.is_set():
        return
    with _LOCK:
        if _LOADED.is_set():
            return
        declared = entry_points(group=ENTRY_POINT_GROUP)
        if not declared:
            # An install without its metadata would silently skip analysis, case rules and
            # mail: refuse instead.
            raise RuntimeError(
                f"no '{ENTRY_POINT_GROUP}' entry points are installed: reinstall the package "
                "(pip install -e .) so its metadata is current"
            )
        modules = [ep.value.split(":")[0] for ep in declared]
    for module in sorted(modules):  # outside the lock: importing registers with subscribe()
        importlib.import_module(module)
    _LOADED.set()
