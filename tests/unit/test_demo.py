"""The demo workspace: valid, rich enough, loadable once, and usable through the API."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from accord.analysis import load_analyzer
from accord.analysis.conversation import summarise
from accord.api.app import create_app
from accord.core.errors import ValidationFailed
from accord.db.engine import Database
from accord.db.migrate import upgrade
from accord.demo.loader import CREDENTIALS_FILE, load_demo, read_workspace
from accord.inbox.models import Conversation, Message
from accord.inbox.readings import ConversationInsight
from accord.settings import Settings

REQUIRED_SITUATIONS = (
    "defective",
    "billing",
    "deliver",
    "policy",
    "mistake",
    "abus",
    "escalat",
    "happy_ending",
    "routine",
)


def test_workspace_covers_the_situations_of_the_seeds() -> None:
    ws = read_workspace()
    assert len(ws.conversations) >= 40
    scenarios = " ".join(c.scenario for c in ws.conversations).lower()
    missing = [s for s in REQUIRED_SITUATIONS if s not in scenarios]
    assert not missing, missing
    assert any(c.key == "conv_billing_irate" for c in ws.conversations)
    multi_turn = sum(len(c.messages) >= 3 for c in ws.conversations)
    assert multi_turn >= 30
    roles = Counter(u.role.value for u in ws.users)
    assert roles["agent"] >= 3 and roles["supervisor"] >= 1 and roles["admin"] >= 1


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Database, Path, object]:
    tmp = tmp_path_factory.mktemp("demo")
    url = f"sqlite:///{tmp / 'demo.db'}"
    upgrade(url)
    db = Database(url)
    return db, tmp, load_demo(db, tmp)


def test_loading_writes_everything_and_the_password_file(loaded: tuple) -> None:  # type: ignore[type-arg]
    db, tmp, result = loaded
    ws = read_workspace()
    assert result.loaded and result.password
    assert (tmp / CREDENTIALS_FILE).read_text().strip().endswith(result.password)
    assert oct((tmp / CREDENTIALS_FILE).stat().st_mode & 0o777) == "0o600"
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Conversation)) == len(ws.conversations)
        # Escalation rules add unauthored hand-off notes of their own: count the authored ones.
        authored = s.scalar(
            select(func.count())
            .select_from(Message)
            .where(Message.author_user_id.is_not(None) | Message.author_customer_id.is_not(None))
        )
    assert authored == sum(len(c.messages) for c in ws.conversations)


def test_loading_twice_changes_nothing(loaded: tuple) -> None:  # type: ignore[type-arg]
    db, tmp, first = loaded
    again = load_demo(db, tmp)
    assert not again.loaded and again.password == first.password
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Conversation)) == first.conversations


def test_printed_credentials_log_in_and_list_conversations(loaded: tuple) -> None:  # type: ignore[type-arg]
    db, tmp, result = loaded
    email = next(e for e, role in result.logins if role == "admin")
    with TestClient(create_app(Settings(data_dir=tmp, database_url=db.url), database=db)) as client:
        login = client.post(
            "/api/v1/auth/login", json={"email": email, "password": result.password}
        )
        assert login.status_code == 200
        page = client.get("/api/v1/conversations", params={"limit": 200}).json()
    assert len(page["items"]) == result.conversations
    statuses = {c["status"] for c in page["items"]}
    assert {"new", "open", "resolved"} <= statuses


def test_the_irate_billing_story_is_told_in_order(loaded: tuple) -> None:  # type: ignore[type-arg]
    db, _, _ = loaded
    with db.read() as s:
        conv = s.scalars(select(Conversation).where(Conversation.subject.ilike("%charg%"))).first()
        assert conv is not None
        times = [m.created_at for m in conv.messages]
    assert times == sorted(times) and len(times) >= 3


def test_an_invalid_workspace_is_refused_with_the_reason(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "company: X\nteams: []\nusers: []\ncustomers: []\n"
        "conversations:\n  - {key: k, subject: s, customer: ghost, channel: email, "
        "status: open, priority: normal, scenario: x, opened_hours_ago: 1, "
        "messages: [{direction: inbound, author: ghost, minutes_after_open: 0, text: hi}]}\n"
    )
    with pytest.raises(ValidationFailed, match="unknown customer ghost"):
        read_workspace(bad)


# What a team lead expects at the top of the inbox: threats of a lawyer, an injury, abuse,
# leaving and a public review, still open; and a routine request well below them.
TOP_THIRD = (
    "conv_legal_threat_refund",
    "conv_legal_threat_chair_injury",
    "conv_abusive_refund_chat",
    "conv_abusive_phone_delivery",
    "conv_billing_irate",
    "conv_review_threat_rescheduled",
    "conv_review_threat_curtains",
)
BOTTOM_HALF = ("conv_routine_unsubscribe", "conv_routine_fabric_swatches")


def test_the_inbox_order_by_heat_is_the_one_a_team_lead_expects(loaded: tuple) -> None:  # type: ignore[type-arg]
    db, _, _ = loaded
    subjects = {c.key: c.subject for c in read_workspace().conversations}
    with db.read() as session:
        rows = session.execute(
            select(Conversation.subject)
            .join(ConversationInsight, ConversationInsight.conversation_id == Conversation.id)
            .order_by(ConversationInsight.heat.desc(), Conversation.id)
        ).all()
    rank = {subject: i for i, (subject,) in enumerate(rows)}
    assert len(rank) == len(subjects)
    third, half = len(rank) / 3, len(rank) / 2
    late = {k: rank[subjects[k]] for k in TOP_THIRD if rank[subjects[k]] >= third}
    assert not late, f"below the top third ({third:.0f}): {late}"
    early = {k: rank[subjects[k]] for k in BOTTOM_HALF if rank[subjects[k]] < half}
    assert not early, f"above the bottom half ({half:.0f}): {early}"


def test_no_agent_reply_of_the_demo_lowers_its_conversations_heat() -> None:
    """Replay every demo conversation at one instant: the heat after each agent reply equals
    the heat before it."""
    analyzer = load_analyzer()
    for conv in read_workspace().conversations:
        spoken = [m for m in conv.messages if m.direction != "note"]
        roles = ["customer" if m.direction == "inbound" else "agent" for m in spoken]
        results = analyzer.analyze_batch([m.text for m in spoken], roles)  # type: ignore[arg-type]
        for i, role in enumerate(roles):
            if role == "agent" and i > 0:
                before, after = summarise(results[:i]).heat, summarise(results[: i + 1]).heat
                assert after == before, (conv.key, i, before, after)
