"""The demo workspace: valid, rich enough, loadable once, and usable through the API."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from accord.api.app import create_app
from accord.core.errors import ValidationFailed
from accord.db.engine import Database
from accord.db.migrate import upgrade
from accord.demo.loader import CREDENTIALS_FILE, load_demo, read_workspace
from accord.inbox.models import Conversation, Message
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
