"""A workspace with every XSS vector in every field a person can put text into, built once per
test session and copied for each test module.

Every vector is written into every field straight to the tables, unnormalised (as an importer
or an old database could hold it, and harder for the templates than what the services keep):
a few large pages then show hundreds of them at once. For a sample of the corpus the same
fields are also written the way people fill them: through the domain services (team and user
names, anonymous visitors and their note, escalation reasons, playbooks) and through the email
channel (a real message whose sender's display name, subject, HTML part and attachment name
are the vector).

- vector i: team i and agent i named with it; a customer named with it (a widget visitor with
  a credential in the sample) and their conversation: subject, tag, first message, its email
  HTML and attachment name, owned by team i and agent i;
- the portal customer: a conversation per vector (subject and first message), and the newest
  open one holding every vector as their message and as the support team's reply (the widget
  shows that one);
- chunk k of the corpus: a conversation with each vector as a customer message (with email
  HTML, evidence spans cut through it and labelled with a vector), an agent's note and reply,
  a hand-off note giving it as the reason for escalating (the service writes it in the sample,
  an import elsewhere), the "why this heat" evidence, and the playbook in force for its team,
  whose name, step titles and advice are the chunk's vectors;
- a saved playbook named with each vector (the admin page lists them).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from accord.auth import service as auth_service
from accord.auth.models import Team, TeamMembership, User
from accord.auth.passwords import hash_password
from accord.auth.schemas import TeamCreate, UserCreate
from accord.cases.escalation import service as escalation_service
from accord.cases.models import PolicyDocument
from accord.cases.policies import service as policy_service
from accord.core.clock import utcnow
from accord.core.principal import SYSTEM, Role
from accord.db.engine import Database
from accord.db.migrate import upgrade
from accord.inbox.channels.email.config import MailConfig
from accord.inbox.channels.email.ingest import Ingestor
from accord.inbox.channels.email.store import MailStore
from accord.inbox.channels.webchat import visitors
from accord.inbox.customer_codes import issue_customer_code
from accord.inbox.models import Conversation, ConversationTag, Customer, Direction, Message
from accord.inbox.readings import ConversationInsight
from accord.insights import service as insight_service
from accord.insights.models import MessageInsight
from accord.web.conversation_data import HANDOFF_PREFIX
from tests.web.xss_formats import (
    NAME,
    SUBJECT,
    SUPPORT,
    TAG,
    email_bytes,
    fit,
    hostile_html,
    playbook_text,
)
from tests.web.xss_vectors import vectors

PASSWORD = "correct-horse-battery"
ADMIN = "admin@xss-corpus.example"
CHUNKS = 8
SAMPLE_EVERY = 21  # vectors 0, 21, 42, ... also go through the services and the email channel


@dataclass(frozen=True)
class Chunk:
    conversation_id: int
    first: int  # this chunk holds vectors [first, first + len(vectors)) of the corpus
    vectors: tuple[str, ...]
    playbook_id: str


@dataclass
class Corpus:
    """What was seeded: ids, and the values as stored, to compare the pages with."""

    path: Path  # accord.db and data/
    vectors: tuple[str, ...]
    sample: tuple[int, ...]  # indexes of the vectors that also went through the services
    team_names: dict[int, str] = field(default_factory=dict)  # team id -> name
    user_names: dict[int, str] = field(default_factory=dict)  # user id -> name
    team_ids: list[int] = field(default_factory=list)  # team i
    user_ids: list[int] = field(default_factory=list)  # agent i
    conversation_ids: list[int] = field(default_factory=list)  # customer i's conversation
    visitor_codes: dict[int, str] = field(default_factory=dict)  # vector index -> credential
    portal_conversation_ids: list[int] = field(default_factory=list)
    portal_code: str = ""
    portal_name: str = ""
    widget_conversation_id: int = 0
    attachment_id: str = ""
    chunks: list[Chunk] = field(default_factory=list)
    email_conversation_ids: list[int] = field(default_factory=list)
    playbook_names: dict[str, str] = field(default_factory=dict)  # playbook id -> name
    subjects: dict[int, str] = field(default_factory=dict)  # conversation id -> subject
    customers: dict[int, str] = field(default_factory=dict)  # conversation id -> customer
    tags: dict[int, str] = field(default_factory=dict)  # conversation id -> its tag
    first_text: dict[int, str] = field(default_factory=dict)  # conversation id -> 1st message

    def copy_to(self, target: Path) -> tuple[str, Path]:
        """A private copy: (database URL, data directory)."""
        shutil.copytree(self.path, target, dirs_exist_ok=True)
        return f"sqlite:///{target / 'accord.db'}", target / "data"


def _ids(s: Session, model: Any, rows: list[dict[str, Any]]) -> list[int]:
    """Insert many rows in one statement; their ids in the order given."""
    if not rows:
        return []
    statement = insert(model).returning(model.id, sort_by_parameter_order=True)
    return list(s.scalars(statement, rows))


def _messages(s: Session, rows: Iterable[dict[str, Any]]) -> list[int]:
    base: dict[str, Any] = {"author_user_id": None, "author_customer_id": None, "html": None}
    base["attachments"] = []
    return _ids(s, Message, [{**base, **row} for row in rows])


def _conversations(s: Session, rows: list[dict[str, Any]]) -> list[int]:
    base = {"channel": "webchat", "status": "open", "priority": "normal", "version": 1}
    base |= {"team_id": None, "assignee_id": None}
    full = [
        {**base, "created_at": r["last_message_at"], "updated_at": r["last_message_at"], **r}
        for r in rows
    ]
    return _ids(s, Conversation, full)


def _people(s: Session, corpus: Corpus, now: datetime, password_hash: str) -> None:
    """Team i and agent i, named with vector i; in the sample through the services."""
    sample = set(corpus.sample)
    rest = [i for i in range(len(corpus.vectors)) if i not in sample]
    names = [fit(v, NAME) for v in corpus.vectors]
    teams = [{"slug": f"x{i}", "name": names[i], "created_at": now} for i in rest]
    team_ids = dict(zip(rest, _ids(s, Team, teams), strict=True))
    user = {"role": Role.AGENT.value, "password_hash": password_hash, "is_active": True}
    user |= {"trainee": False, "skills": [], "capacity": 10, "created_at": now}
    rows = [{**user, "email": f"u{i}@xss-corpus.example", "name": names[i]} for i in rest]
    user_ids = dict(zip(rest, _ids(s, User, rows), strict=True))
    members = [{"team_id": team_ids[i], "user_id": user_ids[i]} for i in rest]
    s.execute(insert(TeamMembership), members)
    for i in corpus.sample:
        team = auth_service.create_team(
            s, actor=SYSTEM, data=TeamCreate(slug=f"x{i}", name=names[i])
        )
        data = UserCreate(
            email=f"u{i}@xss-corpus.example",
            name=names[i],
            role=Role.AGENT,
            password=PASSWORD,
            team_ids=[team.id],
        )
        created = auth_service.create_user(s, actor=SYSTEM, data=data)
        team_ids[i], user_ids[i] = team.id, created.id
        corpus.team_names[team.id], corpus.user_names[created.id] = team.name, created.name
    for i in range(len(corpus.vectors)):
        corpus.team_ids.append(team_ids[i])
        corpus.user_ids.append(user_ids[i])
        corpus.team_names.setdefault(team_ids[i], names[i])
        corpus.user_names.setdefault(user_ids[i], names[i])


def _customers(s: Session, corpus: Corpus, now: datetime) -> None:
    """Customer i (a widget visitor in the sample) and their conversation."""
    sample = set(corpus.sample)
    rest = [i for i in range(len(corpus.vectors)) if i not in sample]
    names = [fit(v, NAME) for v in corpus.vectors]
    row = {"tier": "standard", "blocked": False, "created_at": now}
    rows = [{**row, "name": names[i]} for i in rest]
    customer_ids = dict(zip(rest, _ids(s, Customer, rows), strict=True))
    for i in corpus.sample:
        visitor = visitors.create_visitor(s, name=names[i], lifetime_days=30)
        assert visitor.principal.customer_id is not None
        customer_ids[i], names[i] = visitor.principal.customer_id, visitor.name
        corpus.visitor_codes[i] = visitor.credential
    conversations = _conversations(
        s,
        [
            {
                "subject": fit(vector, SUBJECT),
                "customer_id": customer_ids[i],
                "team_id": corpus.team_ids[i],
                "assignee_id": corpus.user_ids[i],
                "last_message_at": now - timedelta(seconds=i),
            }
            for i, vector in enumerate(corpus.vectors)
        ],
    )
    attachment = {"id": corpus.attachment_id, "content_type": "text/html", "size": 4}
    _messages(
        s,
        (
            {
                "conversation_id": conversations[i],
                "direction": Direction.INBOUND.value,
                "author_customer_id": customer_ids[i],
                "text": vector,
                "html": hostile_html(i, vector),
                "attachments": [{**attachment, "filename": vector}],
                "created_at": now - timedelta(seconds=i),
            }
            for i, vector in enumerate(corpus.vectors)
        ),
    )
    s.execute(
        insert(ConversationTag),
        [
            {"conversation_id": c, "tag": fit(v, TAG)}
            for c, v in zip(conversations, corpus.vectors, strict=True)
        ],
    )
    for i in corpus.sample:  # what agents are told about a visitor, through the service
        visitors.note_for_agents(s, conversation_id=conversations[i], name=names[i], email=None)
    for i, vector in enumerate(corpus.vectors):
        corpus.conversation_ids.append(conversations[i])
        corpus.subjects[conversations[i]] = fit(vector, SUBJECT)
        corpus.customers[conversations[i]] = names[i]
        corpus.tags[conversations[i]] = fit(vector, TAG)
        corpus.first_text[conversations[i]] = vector


def _portal(s: Session, corpus: Corpus, now: datetime) -> None:
    """The portal customer's conversations; the newest open one is the widget's."""
    name = fit(corpus.vectors[1], NAME)
    (customer_id,) = _ids(
        s, Customer, [{"name": name, "tier": "standard", "blocked": False, "created_at": now}]
    )
    code, _ = issue_customer_code(s, actor=SYSTEM, customer_id=customer_id, name="xss")
    corpus.portal_code, corpus.portal_name = code, name
    rows = [
        {
            "subject": fit(vector, SUBJECT),
            "customer_id": customer_id,
            "status": "resolved",  # out of the open inbox, which lists the same subjects
            "last_message_at": now - timedelta(hours=1, seconds=i),
        }
        for i, vector in enumerate(corpus.vectors)
    ]
    ids = _conversations(s, rows)
    inbound = {"direction": Direction.INBOUND.value, "author_customer_id": customer_id}
    _messages(
        s,
        (
            {**inbound, "conversation_id": c, "text": v, "created_at": r["last_message_at"]}
            for c, v, r in zip(ids, corpus.vectors, rows, strict=True)
        ),
    )
    at = now + timedelta(seconds=2)
    (widget,) = _conversations(
        s, [{"subject": "Every vector", "customer_id": customer_id, "last_message_at": at}]
    )
    messages = []
    for i, vector in enumerate(corpus.vectors):
        messages.append({**inbound, "conversation_id": widget, "text": vector, "created_at": at})
        reply = {"direction": Direction.OUTBOUND.value, "author_user_id": corpus.user_ids[i]}
        messages.append({**reply, "conversation_id": widget, "text": vector, "created_at": at})
    note = f"{HANDOFF_PREFIX} (imported)\nWhy escalated: {corpus.vectors[0]}"  # internal
    messages.append({"conversation_id": widget, "direction": "note", "text": note})
    messages[-1]["created_at"] = at
    _messages(s, messages)
    corpus.portal_conversation_ids = ids
    corpus.widget_conversation_id = widget
    for c, vector in zip(ids, corpus.vectors, strict=True):
        corpus.subjects[c], corpus.customers[c] = fit(vector, SUBJECT), name
        corpus.first_text[c] = vector
    corpus.subjects[widget], corpus.customers[widget] = "Every vector", name


def _evidence(text: str, label: str) -> dict[str, Any]:
    """A message's analysis whose spans cut through the vector, labelled with another one."""
    n = len(text)
    a, b = n // 3, max(n // 3 + 1, 2 * n // 3)
    return {
        "signals": [
            {"name": label, "evidence": [{"start": a, "end": b, "text": text[a:b]}]},
            {"name": "urgency", "evidence": [{"start": 0, "end": max(1, n // 2), "text": text}]},
        ],
        "cause": label,
        "cause_evidence": [{"start": max(0, b - 2), "end": n, "text": text[b - 2 :]}],
        "remedy": label,
        "remedy_evidence": [],
        "emotion": {"top": fit(label, 40)},
        "severity_label": fit(label, 40),
    }


def _insights(s: Session, conversation_id: int, messages: list[tuple[int, str]]) -> None:
    now = utcnow()
    rows = []
    for n, (message_id, text) in enumerate(messages):
        row = {"message_id": message_id, "conversation_id": conversation_id, "role": "customer"}
        row |= {"heat": 60.0, "severity": 2, "complaint_prob": 0.9, "sentiment": -0.5}
        row |= {"abuse_severity": 0, "topic": "other", "cause": "other", "remedy": None}
        row |= {"signals": ["urgency"], "language": "en", "non_english": False}
        label = messages[(n + 1) % len(messages)][1]
        rows.append({**row, "result": _evidence(text, label), "created_at": now})
    s.execute(insert(MessageInsight), rows)
    texts = [t for _, t in messages]
    why = {
        "heat": 70.0,
        "driver": {
            "message_id": messages[0][0],
            "heat": 70.0,
            "contribution": 65.0,
            "parts": {fit(t, 80): float(n + 1) for n, t in enumerate(texts)},
            "evidence": [{"signal": t, "text": [t, t[::-1]]} for t in texts],
        },
        "relief": messages[-1][0],
        "decay": 0.9,
        "half_life_hours": 24.0,
    }
    s.add(
        ConversationInsight(
            conversation_id=conversation_id,
            heat=70.0,
            peak_heat=80.0,
            trajectory="rising",
            escalation_risk=0.5,
            max_severity=2,
            topic="other",
            cause="other",
            signals=["urgency"],
            heat_series=[60.0, 70.0],
            updated_at=now,
            heat_base=70.0,
            heat_at=now,
            heat_why=why,
        )
    )
    s.flush()


def _chunk_size(corpus: Corpus) -> int:
    return -(-len(corpus.vectors) // CHUNKS)


def _chunks(s: Session, corpus: Corpus, now: datetime) -> None:
    size = _chunk_size(corpus)
    sample = set(corpus.sample)
    for k in range(CHUNKS):
        first = k * size
        chunk = corpus.vectors[first : first + size]
        slug = f"chunk{k}"
        team = auth_service.create_team(s, actor=SYSTEM, data=TeamCreate(slug=slug, name=slug))
        name = fit(chunk[-1], NAME)
        (customer_id,) = _ids(
            s, Customer, [{"name": name, "tier": "standard", "blocked": False, "created_at": now}]
        )
        at = now + timedelta(seconds=1)
        row = {"subject": f"Chunk {k}", "customer_id": customer_id, "last_message_at": at}
        (conversation_id,) = _conversations(s, [{**row, "team_id": team.id}])
        rows: list[dict[str, Any]] = []
        for n, vector in enumerate(chunk):
            user_id = corpus.user_ids[first + n]
            common = {"conversation_id": conversation_id, "text": vector, "created_at": at}
            rows.append(
                {
                    **common,
                    "direction": Direction.INBOUND.value,
                    "author_customer_id": customer_id,
                    "html": hostile_html(first + n, vector),
                }
            )
            rows.append({**common, "direction": Direction.NOTE.value, "author_user_id": user_id})
            rows.append({**common, "direction": "outbound", "author_user_id": user_id})
            if first + n not in sample:  # hand-off notes as an import would bring them
                text = f"{HANDOFF_PREFIX} (imported)\nWhy escalated: {vector}"
                rows.append({**common, "direction": Direction.NOTE.value, "text": text})
        ids = _messages(s, rows)
        pairs = zip(ids, rows, strict=True)
        inbound = [(i, r["text"]) for i, r in pairs if r["direction"] == "inbound"]
        _insights(s, conversation_id, inbound)
        for n, vector in enumerate(chunk):
            if first + n in sample:  # escalated by hand: the service writes the hand-off note
                escalation_service.escalate(
                    s, actor=SYSTEM, conversation_id=conversation_id, reason=vector
                )
        corpus.chunks.append(Chunk(conversation_id, first, chunk, slug))
        corpus.subjects[conversation_id], corpus.customers[conversation_id] = f"Chunk {k}", name


def _playbooks(s: Session, corpus: Corpus, now: datetime) -> None:
    """Chunk k's playbook (for the cases of team chunk<k>), and one named with each vector:
    saved through the service in the sample, as stored revisions otherwise."""
    size = _chunk_size(corpus)
    for k in range(CHUNKS):
        chunk = corpus.vectors[k * size : (k + 1) * size]
        text = playbook_text(f"chunk{k}", chunk[0], chunk, f"chunk{k}")
        policy_service.save(s, actor=SYSTEM, kind="playbook", text=text)
        corpus.playbook_names[f"chunk{k}"] = chunk[0]
    sample = set(corpus.sample)
    stored = []
    for i, vector in enumerate(corpus.vectors):
        playbook_id = f"named{i}"
        text = playbook_text(playbook_id, vector, ["one step"], "nobody")
        corpus.playbook_names[playbook_id] = vector
        if i in sample:
            policy_service.save(s, actor=SYSTEM, kind="playbook", text=text)
        else:
            row = {"kind": "playbook", "playbook_id": playbook_id, "revision": 1, "text": text}
            stored.append({**row, "saved_by_user_id": None, "created_at": now})
    s.execute(insert(PolicyDocument), stored)


def _mail(db: Database, corpus: Corpus, store: MailStore) -> None:
    """The sample through the email channel, as mail arrives."""
    ingest = Ingestor(db, store, MailConfig(address=SUPPORT))
    mails = [(f"xss-{i}", email_bytes(i, corpus.vectors[i])) for i in corpus.sample]
    outcome = ingest.process_ids(ingest.receive_many(mails))
    assert outcome == {"processed": len(mails)}, outcome
    with db.read() as s:
        for i in corpus.sample:
            found = select(Message).where(Message.external_id.like(f"%xss{i}@mail.example%"))
            conversation = s.scalars(found).one().conversation
            corpus.email_conversation_ids.append(conversation.id)
            corpus.subjects[conversation.id] = conversation.subject
            corpus.customers[conversation.id] = conversation.customer.name


def build(path: Path, every: Sequence[str] | None = None) -> Corpus:
    """Seed a fresh workspace under `path` (accord.db and data/)."""
    chosen = tuple(every or vectors())
    corpus = Corpus(path, chosen, tuple(range(0, len(chosen), SAMPLE_EVERY)))
    url = f"sqlite:///{path / 'accord.db'}"
    upgrade(url)
    db = Database(url)
    store = MailStore(path / "data")
    corpus.attachment_id = store.put_attachment(b"data")
    password_hash = hash_password(PASSWORD)
    now = utcnow()
    with pytest.MonkeyPatch.context() as patch:
        # One Argon2 hash for everyone, and the engine off while seeding: the analysis this
        # corpus needs (spans, labels, the heat explanation) is written here.
        patch.setattr("accord.auth.service.hash_password", lambda _password: password_hash)
        off = db.settings.model_copy(update={"analysis_enabled": False})
        patch.setattr(insight_service, "settings_of", lambda _session: off)
        with db.write() as s:
            admin = UserCreate(email=ADMIN, name="Admin", role=Role.ADMIN, password=PASSWORD)
            auth_service.create_user(s, actor=SYSTEM, data=admin)
            _people(s, corpus, now, password_hash)
            _playbooks(s, corpus, now)
        with db.write() as s:  # playbooks committed first: parsed once, then cached
            _customers(s, corpus, now)
            _portal(s, corpus, now)
            _chunks(s, corpus, now)
        _mail(db, corpus, store)
    db.dispose()
    return corpus


_built: dict[str, Corpus] = {}


def shared_corpus(factory: pytest.TempPathFactory) -> Corpus:
    """Built once per test session (the HTTP test and the browser tests share it)."""
    if "corpus" not in _built:
        _built["corpus"] = build(factory.mktemp("xss-corpus"))
    return _built["corpus"]
