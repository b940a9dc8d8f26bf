"""Each industry pack on messages written for it: topic, cause and remedy from the sentence.

The messages (pack_messages.yaml) are written for these tests from how customers of each
industry describe their problems (none is taken from a data set). Topics go through the full
analyzer with the pack's taxonomy; cause and remedy are asked of their functions directly, as
for a complaint, so the complaint head's verdict does not blur what the cue lists decide.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from accord.analysis import Analyzer, Taxonomy, load_analyzer
from accord.analysis.remedy import cause, remedy
from accord.analysis.text import prepare
from tests.unit.analysis.conftest import spans_index_text

MESSAGES = yaml.safe_load((Path(__file__).parent / "pack_messages.yaml").read_text("utf-8"))
# pack -> [(customer message, topic, cause in a complaint, remedy)]
COMPLAINTS: dict[str, list[list[str | None]]] = MESSAGES["complaints"]
# pack -> [(agent reply, topic)]: replies carry a topic but never a remedy.
AGENT_REPLIES: dict[str, list[list[str]]] = MESSAGES["agent_replies"]
# pack -> [(neutral question, topic, remedy)]
QUESTIONS: dict[str, list[list[str | None]]] = MESSAGES["questions"]


@cache
def _engine(pack: str) -> Analyzer:
    return Analyzer(load_analyzer().heads, Taxonomy.pack(pack))


def _rows(table: dict[str, list[Any]]) -> list[tuple[Any, ...]]:
    return [(pack, *row) for pack, rows in table.items() for row in rows]


@pytest.mark.parametrize(("pack", "text", "topic", "why", "wanted"), _rows(COMPLAINTS))
def test_complaints_of_each_pack(
    pack: str, text: str, topic: str, why: str, wanted: str | None
) -> None:
    engine = _engine(pack)
    result = engine.analyze(text)
    assert result.topic == topic
    topic_cause = next(t.cause for t in engine.taxonomy.topics if t.name == topic)
    prep = prepare(text)
    found, evidence = cause(prep, topic_cause, True, cues=engine.taxonomy.cause_cues)
    assert found == why
    assert all(text[e.start : e.end] == e.text for e in evidence)
    assert remedy(prep)[0] == wanted
    assert spans_index_text(text, result)


def test_every_topic_of_every_pack_is_exercised() -> None:
    for pack, rows in COMPLAINTS.items():
        covered = {row[1] for row in rows} | {row[1] for row in AGENT_REPLIES[pack]}
        covered |= {row[1] for row in QUESTIONS[pack]}
        names = set(Taxonomy.pack(pack).names) - {"other"}
        if pack == "general":  # ten complaints cannot reach eleven topics; the rest below
            names -= {"account and access", "subscription and cancellation"}
        assert names <= covered, (pack, names - covered)
        assert len(rows) >= 10


@pytest.mark.parametrize(("pack", "text", "topic"), _rows(AGENT_REPLIES))
def test_agent_replies(pack: str, text: str, topic: str) -> None:
    result = _engine(pack).analyze(text, role="agent")
    assert result.topic == topic
    assert result.remedy is None


@pytest.mark.parametrize(
    ("pack", "text", "topic", "wanted"),
    [(p, *row) for p, rows in QUESTIONS.items() for row in rows],
)
def test_neutral_questions(pack: str, text: str, topic: str, wanted: str | None) -> None:
    engine = _engine(pack)
    result = engine.analyze(text)
    assert result.topic == topic
    assert result.remedy == wanted
    # No cue points at a cause in a plain question.
    assert cause(prepare(text), "product-service", False, cues=engine.taxonomy.cause_cues)[0] == (
        "unknown"
    )


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("I can't log in, the password reset link has expired twice.", "account and access"),
        (
            "Please cancel my membership, the renewal went through again.",
            "subscription and cancellation",
        ),
    ],
)
def test_general_pack_other_topics(text: str, topic: str) -> None:
    assert _engine("general").analyze(text).topic == topic


@pytest.mark.parametrize(
    ("pack", "text", "topic"),
    [
        # In travel a connection is a flight; in telecom it is the service.
        ("travel", "I missed my connection because of the delay.", "delays"),
        ("telecom", "My connection keeps dropping.", "slow speeds and connection"),
        # A bare "update" is no technical problem anywhere but retail.
        ("travel", "Any update on my lost bag?", "baggage"),
        ("general", "Please update me on my order.", "other"),
        ("saas", "Can you update me on the incident?", "outage and downtime"),
    ],
)
def test_ambiguous_words_depend_on_the_pack(pack: str, text: str, topic: str) -> None:
    assert _engine(pack).analyze(text).topic == topic


@pytest.mark.parametrize(
    ("text", "urgent"),
    [
        ("I waited three hours at urgent care and was billed twice.", False),
        ("The urgent-care clinic sent my bill to the wrong insurer.", False),
        ("I was in the emergency room for six hours.", False),
        ("This is urgent, I need my prescription today.", True),
        ("It's an emergency, my insulin has run out.", True),
    ],
)
def test_urgent_care_is_a_place_not_urgency(text: str, urgent: bool) -> None:
    result = _engine("healthcare").analyze(text)
    assert ("urgency" in result.signal_names) == urgent
