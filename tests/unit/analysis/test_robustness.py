"""Hostile and odd inputs: no crash, sane output."""

from __future__ import annotations

import pytest

from accord.analysis import Analyzer, MessageAnalysis
from accord.analysis.types import EKMAN_LABELS, EXTRA_EMOTIONS
from tests.unit.analysis.conftest import spans_index_text


def assert_sane(text: str, result: MessageAnalysis) -> None:
    assert 0.0 <= result.heat <= 100.0
    assert -1.0 <= result.sentiment <= 1.0
    assert 0.0 <= result.complaint_prob <= 1.0
    assert 0 <= result.severity <= 4
    assert 0.0 <= result.abuse <= 1.0 and 0 <= result.abuse_severity <= 3
    assert set(result.emotion.ekman) == set(EKMAN_LABELS)
    assert set(result.emotion.extra) == set(EXTRA_EMOTIONS)
    assert sum(result.emotion.ekman.values()) == pytest.approx(1.0, abs=1e-3)
    assert all(0.0 <= v <= 1.0 for v in result.emotion.extra.values())
    assert result.cause in ("communication", "product-service", "human factors", "unknown")
    assert result.topic in result.topic_scores
    assert spans_index_text(text, result)
    result.to_dict()  # serialisable


ODD: dict[str, str] = {
    "empty": "",
    "whitespace": "   \n\t  ",
    "emoji_only": "😡😡😡🤬",
    "emoji_thanks": "🙏🙏👍",
    "all_caps": "I HAVE BEEN WAITING THREE WEEKS FOR MY REFUND AND NOBODY ANSWERS",
    "html": "<html><body><p>Where is <b>my</b> order?</p><script>x<y</script></body></html>",
    "control": "refund\x00\x01\x02 please\x7f\x1b[31m now\r\n",
    "bidi": "I want a \u202erefund\u202c now\ufeff",
    "sarcasm": "Wow, what amazing service, three weeks and still no package.",
    "negation": "I'm not angry, just confused.",
    "quoted": 'You wrote "your refund is on its way" a month ago.',
    "lone_surrogate_free_astral": "𝕴 𝖜𝖆𝖓𝖙 𝖆 𝖗𝖊𝖋𝖚𝖓𝖉",
    "turkish_dotted": "İİİ I WANT A REFUND",
    "numbers": "1234567890 4111 1111 1111 1111",
    "german": "Ich möchte mein Geld zurück, die Lieferung ist nicht angekommen.",
    "spanish": "Quiero un reembolso, el pedido llegó roto y nadie me responde por favor.",
    "french": "Je voudrais un remboursement pour ma commande, elle n'est pas arrivée.",
    "japanese": "注文した商品がまだ届いていません。返金してください。",
    "arabic": "لم يصل طلبي بعد وأريد استرداد أموالي",
    "russian": "Я хочу вернуть деньги, заказ так и не пришёл.",
}


@pytest.mark.parametrize("name", sorted(ODD))
def test_odd_input_is_sane(analyzer: Analyzer, name: str) -> None:
    text = ODD[name]
    for role in ("customer", "agent"):
        assert_sane(text, analyzer.analyze(text, role=role))


@pytest.mark.parametrize("name", ["german", "spanish", "french", "japanese", "arabic", "russian"])
def test_non_english_is_flagged_not_guessed(analyzer: Analyzer, name: str) -> None:
    result = analyzer.analyze(ODD[name])
    assert result.non_english and result.language == "non-en"
    # English heads are not applied: a neutral result, not a confident wrong one.
    assert result.emotion.top == "neutral" and result.complaint_prob == 0.0


@pytest.mark.parametrize("name", ["empty", "whitespace", "emoji_only"])
def test_too_little_text_is_undetermined(analyzer: Analyzer, name: str) -> None:
    result = analyzer.analyze(ODD[name])
    assert result.language == "und" and not result.non_english
    assert result.signals == () and result.remedy is None


def test_empty_is_calm(analyzer: Analyzer) -> None:
    result = analyzer.analyze("")
    assert result.heat == 0.0 and result.topic == "other" and result.cause == "unknown"


def test_none_text_is_treated_as_empty(analyzer: Analyzer) -> None:
    (result,) = analyzer.analyze_batch([None])
    assert result.heat == 0.0 and result.language == "und"


def test_angry_emoji_only_has_some_heat(analyzer: Analyzer) -> None:
    assert analyzer.analyze("😡😡😡").heat > analyzer.analyze("🙂🙂🙂").heat


def test_english_is_not_flagged(analyzer: Analyzer) -> None:
    result = analyzer.analyze("My parcel has not arrived and the tracking page shows an error.")
    assert result.language == "en" and not result.non_english


def test_all_caps_is_hotter_than_the_same_words_in_lower_case(analyzer: Analyzer) -> None:
    caps = analyzer.analyze(ODD["all_caps"])
    lower = analyzer.analyze(ODD["all_caps"].lower())
    assert caps.heat > lower.heat


def test_one_megabyte_is_truncated_fast_and_keeps_offsets(analyzer: Analyzer) -> None:
    head = "I want to speak to your manager. "
    text = head + ("blah " * 210_000) + "I will sue you."
    assert len(text) > 1_000_000
    result = analyzer.analyze(text)
    assert result.truncated
    assert "escalation_request" in result.signal_names
    assert "legal_threat" not in result.signal_names  # beyond the analysed window
    assert_sane(text, result)


def test_sarcastic_thanks_read_negative(analyzer: Analyzer) -> None:
    result = analyzer.analyze("Thanks for nothing, really.")
    assert result.sentiment <= -0.6
    assert "closing_gratitude" not in result.signal_names


def test_negated_anger_is_cooler_than_real_anger(analyzer: Analyzer) -> None:
    calm = analyzer.analyze("I'm not angry, just confused about the invoice.")
    angry = analyzer.analyze("I am FURIOUS about this invoice, you useless idiots!!!")
    assert calm.abuse_severity == 0 and angry.abuse_severity == 2
    assert calm.heat < angry.heat


def test_bad_role_is_a_clear_error(analyzer: Analyzer) -> None:
    with pytest.raises(ValueError, match="role"):
        analyzer.analyze("hello", role="Agent")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="one per text"):
        analyzer.analyze_batch(["a", "b"], ["customer"])
