"""The domain-event seam: who reacts to the inbox, in which order, and what a subscriber sees."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from accord.core import events
from accord.core.events import publish, subscribe, subscriptions
from accord.inbox.events import ConversationChanged, MessageStored


def test_a_stored_message_reaches_analysis_status_cases_and_the_outbox_in_that_order() -> None:
    names = [s.name for s in subscriptions(MessageStored)]
    assert names == [
        "accord.insights.subscribers.analyse_message",
        "accord.cases.subscribers.update_status",
        "accord.cases.subscribers.follow_case",
        "accord.inbox.channels.email.subscribers.queue_reply",
    ]


def test_a_changed_conversation_reaches_the_case_rules() -> None:
    assert [s.name for s in subscriptions(ConversationChanged)] == [
        "accord.cases.subscribers.supervisor_assignment",
        "accord.cases.subscribers.follow_change",
    ]


@dataclass(frozen=True)
class _Happened:
    what: str


@dataclass(frozen=True)
class _HappenedAgain(_Happened):
    pass


def test_subscribers_run_by_order_and_receive_subclasses() -> None:
    seen: list[tuple[str, str]] = []

    @subscribe(_Happened, order=20)
    def second(_session: Session, event: _Happened) -> None:
        seen.append(("second", event.what))

    @subscribe(_Happened, order=10)
    def first(_session: Session, event: _Happened) -> None:
        seen.append(("first", event.what))

    subscribe(_Happened, order=10)(first)  # registering twice keeps one subscription
    with Session() as session:  # unbound: these subscribers touch no rows
        publish(session, _HappenedAgain("x"))
    assert seen == [("first", "x"), ("second", "x")]


def test_an_event_nobody_subscribes_to_is_delivered_to_no_one() -> None:
    class Unheard:
        pass

    with Session() as session:
        publish(session, Unheard())
    assert subscriptions(Unheard) == []


def test_the_declared_subscribers_are_the_installed_entry_points() -> None:
    from importlib.metadata import entry_points

    declared = {ep.name: ep.value for ep in entry_points(group=events.ENTRY_POINT_GROUP)}
    assert declared == {
        "insights": "accord.insights.subscribers",
        "cases": "accord.cases.subscribers",
        "email": "accord.inbox.channels.email.subscribers",
    }
