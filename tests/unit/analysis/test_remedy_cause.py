"""What the customer wants (remedy) and why the conflict arose (cause): curated cues."""

from __future__ import annotations

import pytest

from accord.analysis import Analyzer
from accord.analysis.cause import CauseCues
from accord.analysis.remedy import CAUSES, REMEDIES, cause, remedy
from accord.analysis.text import prepare
from tests.unit.analysis.conftest import spans_index_text


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("Just give me my money back.", "refund"),
        ("The kettle arrived cracked, send me a new one.", "replacement"),
        ("Can you send a technician to fix the boiler?", "repair"),
        ("Can you explain why I was charged twice?", "explanation"),
        ("I don't need a refund, just an explanation.", "explanation"),
        ("I demand an apology from the driver.", "apology"),
        ("I expect a voucher for the trouble.", "compensation"),
        ("Please unsubscribe me from everything.", "cancellation"),
        ("Get me a supervisor.", "escalation"),
        ("When will my order arrive?", "information"),
        ("I want a replacement, not a repair.", "replacement"),
        ("You won't give me a refund??", "refund"),  # the company's refusal, not the writer's
        ("No refund needed, just tell me what happened.", "explanation"),
    ],
)
def test_remedy_wanted(analyzer: Analyzer, text: str, wanted: str) -> None:
    result = analyzer.analyze(text)
    assert result.remedy == wanted
    assert result.remedy_evidence and spans_index_text(text, result)


@pytest.mark.parametrize(
    "text",
    [
        "I don't want to cancel, I just want it to work.",
        "I'm not going to cancel.",
        "No need to escalate, you've been great.",
        'You said "we will refund you" and then nothing happened.',
        "Hello, good morning.",
    ],
)
def test_no_remedy(analyzer: Analyzer, text: str) -> None:
    assert analyzer.analyze(text).remedy is None


def test_remedy_vocabulary_is_the_documented_one() -> None:
    assert REMEDIES == (
        "refund",
        "replacement",
        "repair",
        "explanation",
        "apology",
        "compensation",
        "cancellation",
        "escalation",
        "information",
        "rebooking",
        "reinstatement",
    )
    for text in ("refund me", "send a replacement", "what happened?", "hi"):
        assert remedy(prepare(text))[0] in (*REMEDIES, None)


@pytest.mark.parametrize(
    ("text", "conflict", "expected"),
    [
        ("Your agent was rude and hung up on me.", True, "human factors"),
        ("The driver was condescending.", False, "human factors"),  # conduct counts regardless
        ("Nobody told me about the cancellation fee.", True, "communication"),
        ("I was left on hold for an hour.", True, "communication"),
        ("The agent was not rude at all, she was lovely.", False, "unknown"),
        ("I was not rude to anyone, the screen just froze.", True, "product-service"),
        ("The agent took forty minutes to find my booking.", True, "human factors"),
        ("Your agent fixed it in two minutes, thank you!", False, "unknown"),
        ("My blender stopped working.", True, "product-service"),
        ("Hello there.", False, "unknown"),
    ],
)
def test_cause_cues(text: str, conflict: bool, expected: str) -> None:
    found, evidence = cause(prepare(text), "product-service", conflict)
    assert found == expected
    assert found in CAUSES
    assert all(text[e.start : e.end] == e.text for e in evidence)


def test_topic_default_cause_applies_without_cues() -> None:
    assert cause(prepare("The price went up."), "communication", True) == ("communication", ())


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("Fix it today or I am cancelling. I want to speak to a manager.", "escalation"),
        ("Refund me or I will cancel.", "refund"),
        ("Fix it or else I'll cancel everything.", None),
        ("Please fix my sofa leg, it snapped.", "repair"),
        ("Fix the charge on my card, it is wrong.", None),
    ],
)
def test_a_threat_or_a_plain_fix_it_is_not_the_remedy_wanted(
    analyzer: Analyzer, text: str, wanted: str | None
) -> None:
    assert analyzer.analyze(text).remedy == wanted


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        # A past participle tells what happened; a wish or a request asks for it.
        ("My flight was cancelled, I need to be rebooked on the next flight.", "rebooking"),
        ("The flight was cancelled and I want my money back.", "refund"),
        ("My flight was cancelled.", None),
        ("You cancelled my order without asking me.", None),
        ("I want my order cancelled today.", "cancellation"),
        ("Can you cancel my order please?", "cancellation"),
        # The money is what the customer is after; the cancellation is how to get there.
        ("Cancel my order and refund me.", "refund"),
        ("I don't want a refund, just send a replacement.", "replacement"),
        ("I want a replacement instead of a refund.", "replacement"),
        ("My subscription was cancelled by mistake, please restore it.", "reinstatement"),
        ("My card was blocked for no reason, please unblock it.", "reinstatement"),
        ("Please reactivate my account.", "reinstatement"),
        ("Can I be rebooked onto the evening train?", "rebooking"),
        ("I need to reschedule my appointment.", "rebooking"),
        ("I was rebooked onto a flight ten hours later.", None),
        ("I still haven't been refunded.", "refund"),
        ("I was never rebooked after the cancellation.", "rebooking"),
        ("There's a cancellation fee of 50 dollars?", None),
        ("My ticket was non-refundable.", None),
        ("Please restore my internet, it's been off for two days.", "repair"),
        ("How do you compensate people for a five hour delay?", "compensation"),
        ("The account manager was rude to me.", None),
    ],
)
def test_remedy_is_read_from_the_sentence(text: str, wanted: str | None) -> None:
    found, evidence = remedy(prepare(text))
    assert found == wanted
    assert all(text[e.start : e.end] == e.text for e in evidence)
    assert bool(evidence) == (wanted is not None)


@pytest.mark.parametrize(
    ("text", "expected", "evidence"),
    [
        ("The gate agent was rude to my mother.", "human factors", "gate agent was rude"),
        ("The technician never showed up.", "human factors", "technician never showed up"),
        ("The nurse ignored me for an hour.", "human factors", "nurse ignored"),
        ("The pilot was on his phone during boarding.", "human factors", "pilot was on his phone"),
        (
            "Our installer didn't turn up and didn't call.",
            "human factors",
            "installer didn't turn up",
        ),
        ("The teller refused to help me.", "human factors", "teller refused"),
        (
            "The receptionist was really dismissive.",
            "human factors",
            "receptionist was really dismissive",
        ),
        ("The bus driver was 40 minutes late.", "human factors", "bus driver was 40 minutes late"),
        # Negated conduct is no evidence; in a conflict the bare mention still points at people.
        ("The driver was not rude at all.", "human factors", "The driver"),
        ("No one informed us about the gate change.", "communication", "No one informed"),
        ("I was never told the price would go up.", "communication", "was never told"),
        ("We got conflicting information from two agents.", "communication", "conflicting"),
        ("Misleading advert, the speed is half.", "communication", "Misleading"),
        ("Three hours and no updates.", "communication", "no updates"),
        ("My flight was delayed by six hours.", "product-service", "delayed"),
        ("The upload failed again.", "product-service", "failed"),
        ("There's an outage across the whole city.", "product-service", "outage"),
        ("The site went down during checkout.", "product-service", "went down"),
    ],
)
def test_explicit_cause_evidence(text: str, expected: str, evidence: str) -> None:
    found, spans = cause(prepare(text), "unknown", True)
    assert found == expected
    assert (spans[0].text if spans else "") == evidence
    assert all(text[e.start : e.end] == e.text for e in spans)


@pytest.mark.parametrize(
    "text",
    [
        "The pilot announced a two hour delay.",  # staff named, no conduct: the delay decides
        "The crew were lovely, the plane sat on the runway for hours.",
    ],
)
def test_staff_without_conduct_is_not_human_factors(text: str) -> None:
    assert cause(prepare(text), "product-service", True)[0] == "product-service"


def test_product_service_cues_need_a_conflict() -> None:
    assert cause(prepare("Is the outage over?"), "product-service", False) == ("unknown", ())
    # Conduct and communication count in any message.
    assert cause(prepare("The nurse was rude."), "unknown", False)[0] == "human factors"


def test_pack_cause_phrases_and_staff() -> None:
    cues = CauseCues(["groomer"], {"product-service": ["denied boarding"]})
    found, spans = cause(prepare("We were denied boarding."), "unknown", True, cues=cues)
    assert (found, spans[0].text) == ("product-service", "denied boarding")
    assert cause(prepare("The groomer shouted at my dog."), "unknown", False, cues=cues)[0] == (
        "human factors"
    )
    assert cause(prepare("We were denied boarding."), "unknown", True)[0] == "unknown"


def test_the_fallback_seam() -> None:
    calls: list[tuple[str, str]] = []

    def guess(prep: object, topic_cause: str) -> str | None:
        calls.append((str(getattr(prep, "original", "")), topic_cause))
        return "communication" if "letter" in str(getattr(prep, "lower", "")) else None

    prep = prepare("The letter said one thing and the website another.")
    assert cause(prep, "product-service", True, fallback=guess) == ("communication", ())
    other = prepare("It still does the same thing.")
    assert cause(other, "product-service", True, fallback=guess) == ("product-service", ())
    # Not asked when a cue fires or when the message is no conflict.
    assert cause(prepare("Your agent was rude."), "unknown", True, fallback=guess)[0] == (
        "human factors"
    )
    assert cause(other, "product-service", False, fallback=guess) == ("unknown", ())
    assert [c[1] for c in calls] == ["product-service", "product-service"]


def test_the_analyzer_passes_its_fallback(analyzer: Analyzer) -> None:
    engine = Analyzer(analyzer.heads, analyzer.taxonomy)
    engine.cause_fallback = lambda prep, topic_cause: "human factors"
    text = "This is the worst service I have ever had, absolutely disgraceful."
    assert engine.analyze(text).cause == "human factors"
    assert analyzer.cause_fallback is None


class _BatchGuess:
    """A fallback with a ``batch`` method, as the encoder's cause head has."""

    def __init__(self) -> None:
        self.batches: list[list[str]] = []

    def __call__(self, prep: object, topic_cause: str) -> str | None:
        raise AssertionError("a fallback that batches is asked once per batch, not per message")

    def batch(self, texts: list[str]) -> list[str | None]:
        self.batches.append(list(texts))
        return ["communication" if "letter" in t else None for t in texts]


def test_a_batching_fallback_is_asked_once_for_the_whole_batch(analyzer: Analyzer) -> None:
    engine = Analyzer(analyzer.heads, analyzer.taxonomy)
    fallback = _BatchGuess()
    engine.cause_fallback = fallback
    texts = [
        "This is the worst service I have ever had, absolutely disgraceful. The letter lied.",
        "Thanks, that sorted it.",
        "Absolutely disgraceful, the worst service I have ever had.",
        "Your agent was rude to me.",  # a cue fires: the fallback is not asked
    ]
    results = engine.analyze_batch(texts)
    assert len(fallback.batches) == 1
    assert fallback.batches[0] == [texts[0], texts[2]]
    assert results[0].cause == "communication"  # the guess
    # No guess: the topic's cause stands, exactly as with a per-message fallback.
    alone = Analyzer(analyzer.heads, analyzer.taxonomy).analyze(texts[2])
    assert results[2].cause == alone.cause
    assert results[3].cause == "human factors"
    assert results[1].cause == "unknown"
