"""Listening by paraphrase: the sentence encoder runs only when the lexical test finds nothing."""

from __future__ import annotations

from accord.coach import CoachContext, build_context, paraphrase, review
from accord.coach.review import assess

PACKAGE = build_context([("customer", "My package hasn't arrived.")])
CRASHING = build_context([("customer", "The app keeps crashing whenever I open it.")])


def _listening(draft: str, ctx: CoachContext) -> tuple[str | None, list[str], int]:
    """The listening status, its evidence and how many times the encoder ran for it."""
    before = paraphrase.encoder_calls()
    finding = review(draft, ctx).finding("listening")
    assert finding is not None
    return finding.status, [s.text for s in finding.evidence], paraphrase.encoder_calls() - before


def test_a_parcel_that_never_turned_up_is_the_package_that_has_not_arrived() -> None:
    status, evidence, _ = _listening("Sorry your parcel never turned up.", PACKAGE)
    assert status == "met"
    assert evidence == ["Sorry your parcel never turned up."]


def test_a_paraphrase_sharing_no_word_is_found_by_the_encoder() -> None:
    paraphrase.clear_cache()
    draft = "Hi Sam. Sorry the application shuts down each time you launch it. We can help."
    status, evidence, calls = _listening(draft, CRASHING)
    assert status == "met"
    assert calls >= 1  # the lexical test found nothing
    # The matched draft sentence is the evidence, and it indexes the draft.
    assert evidence == ["Sorry the application shuts down each time you launch it."]
    finding = review(draft, CRASHING).finding("listening")
    assert finding is not None
    assert all(draft[s.start : s.end] == s.text for s in finding.evidence)


def test_a_generic_reply_is_not_listening() -> None:
    assert assess("Thanks for contacting us, how can I help?", PACKAGE)["listening"] == "missing"
    # Content words, but a sentence any reply may say: closer to boilerplate than to the customer.
    assert assess("Have a lovely weekend!", PACKAGE)["listening"] == "missing"


def test_a_lexical_hit_never_runs_the_encoder() -> None:
    before = paraphrase.encoder_calls()
    for draft in (
        "Sorry your parcel never turned up.",  # a word for the same thing
        "I'm sorry the app keeps crashing.",  # the customer's own words
        "You mentioned a problem earlier.",  # a restatement
    ):
        ctx = PACKAGE if "parcel" in draft else CRASHING
        assert assess(draft, ctx)["listening"] == "met"
    assert paraphrase.encoder_calls() == before


def test_the_customers_sentences_are_embedded_once_per_message() -> None:
    ctx = build_context([("customer", "My flat's heating has been off since Monday night.")])
    assess("We will send an engineer to get the radiators warm again.", ctx)
    before = paraphrase.encoder_calls()
    assess("We will send an engineer to get the radiators warm again.", ctx)  # same pause
    assert paraphrase.encoder_calls() == before  # nothing embedded again
    assess("A technician will restore your hot water.", ctx)
    assert paraphrase.encoder_calls() == before + 1  # only the new draft sentence


def test_no_conversation_or_another_language_never_runs_the_encoder() -> None:
    before = paraphrase.encoder_calls()
    assert assess("Sorry the application shuts down each time you launch it.")["listening"] is None
    spanish = build_context([("customer", "Mi paquete no ha llegado todavía y estoy esperando.")])
    assert assess("Lamentamos el retraso de su envío.", spanish)["listening"] == "missing"
    assert paraphrase.encoder_calls() == before
