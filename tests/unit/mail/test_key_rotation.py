"""Rotating the reply-token key: replies to mail signed before the rotation keep their
conversation while the retired key is kept, and lose it (a new conversation) once it is not."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select
from typer.testing import CliRunner

from accord.audit.models import Event
from accord.cli.main import app
from accord.core.errors import ValidationFailed
from accord.db.engine import Database
from accord.inbox.channels.email import keys, tokens
from accord.inbox.channels.email.config import MailConfig
from accord.inbox.channels.email.ingest import Ingestor
from accord.inbox.channels.email.models import MailKey
from accord.settings import get_settings
from tests.unit.mail.test_threading import DANA, _conversation_of, _reply, _thread
from tests.world import World


def _rotate(db: Database, keep: int) -> int:
    with db.write() as session:
        return keys.rotate(session, keep=keep)


def test_a_retired_key_still_verifies_until_it_is_dropped(
    ingest: Ingestor, db: Database, world: World
) -> None:
    conv, _, subject = _thread(ingest, db, world)
    assert _rotate(db, keep=1) == 1
    assert _conversation_of(ingest, _reply(DANA, 1, Subject=subject)).id == conv
    _, _, newer_subject = _thread(ingest, db, world, 1)
    assert newer_subject != subject  # signed with the new key
    assert _rotate(db, keep=1) == 1  # the first key is now two rotations old: dropped
    assert _conversation_of(ingest, _reply(DANA, 2, Subject=subject)).id != conv
    with db.read() as session:
        names = set(session.scalars(select(MailKey.name)))
        rotations = session.scalars(select(Event).where(Event.kind == "mail.reply_key_rotated"))
        assert names == {"reply_token", "reply_token.1"} and len(rotations.all()) == 2


def test_rotation_without_keeping_refuses_the_old_tokens(
    ingest: Ingestor, db: Database, world: World
) -> None:
    conv, _, subject = _thread(ingest, db, world)
    assert _rotate(db, keep=0) == 0
    assert _conversation_of(ingest, _reply(DANA, 3, Subject=subject)).id != conv


def test_keep_is_bounded(db: Database) -> None:
    with pytest.raises(ValidationFailed, match="between 0 and 10"):
        _rotate(db, keep=11)


def test_previous_secrets_from_the_environment_verify_but_never_sign(db: Database) -> None:
    config = MailConfig(address="support@x.example", secret="new", previous_secrets=("old",))
    with db.read() as session:
        assert config.key(session) == b"new"
        assert config.verifying_keys(session) == (b"new", b"old")


@given(
    st.integers(min_value=1, max_value=10**12 - 1),  # the token carries up to 12 digits
    st.lists(st.binary(min_size=1, max_size=16), min_size=1, max_size=4, unique=True),
)
def test_a_token_verifies_under_exactly_the_keys_that_signed_it(
    conversation: int, key_set: list[bytes]
) -> None:
    signer, *others = key_set
    tag = tokens.subject_tag(signer, conversation)
    assert tokens.verified_conversation([*others, signer], f"Re: hi {tag}") == conversation
    if others:
        assert tokens.verified_conversation(others, f"Re: hi {tag}") is None


def test_rotate_key_on_the_command_line(cli_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["migrate"]).exit_code == 0
    done = runner.invoke(app, ["mail", "rotate-key", "--keep", "2"])
    assert done.exit_code == 0, done.output
    assert "1 retired key(s) still verify" in done.output
    monkeypatch.setenv("ACCORD_MAIL_SECRET", "from-the-environment")
    get_settings.cache_clear()
    refused = runner.invoke(app, ["mail", "rotate-key"])
    assert refused.exit_code != 0 and "ACCORD_MAIL_PREVIOUS_SECRETS" in refused.output
