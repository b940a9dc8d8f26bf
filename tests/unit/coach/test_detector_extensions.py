"""What the coach's evaluation added to the case layer's reply detectors (tuning half only)."""

from __future__ import annotations

import pytest

from accord.cases.playbook.detectors import detect_reply


def _names(text: str) -> set[str]:
    return {d.name for d in detect_reply(text)}


@pytest.mark.parametrize(
    ("text", "move"),
    [
        ("Hi, sorry about that.", "apology"),
        ("Hello there! Apologies for the wait.", "apology"),
        ("Sincerest apologies.", "apology"),
        ("Hi there, sorry to hear this :(", "empathy"),
        ("We're disappointed to hear your flight was delayed.", "empathy"),
        ("That's very troubling.", "empathy"),
        ("Definitely hear you, Lisa.", "empathy"),
        ("I understand that you are experiencing difficulties with the app.", "empathy"),
        ("To check the timing, could you share your time zone?", "clarifying_question"),
        ("May we have the booking number you are referring to?", "clarifying_question"),
        ("Hi, can you direct message us and explain what happened?", "clarifying_question"),
        ("Could you DM us a number you can be reached at?", "clarifying_question"),
    ],
)
def test_the_extended_patterns_fire(text: str, move: str) -> None:
    assert move in _names(text)


@pytest.mark.parametrize(
    ("text", "move"),
    [
        ("I understand that you need to cancel your order.", "empathy"),
        ("I understand your request to change the address.", "empathy"),
        ("I understand that you would like to speak to an agent.", "empathy"),
        ("Hi, sorry, but that is not possible.", "apology"),
        ("Hi, sorry to hear that.", "apology"),
        ("To be clear, we ship on Mondays.", "clarifying_question"),
    ],
)
def test_restating_a_request_is_not_empathy_and_refusals_are_not_apologies(
    text: str, move: str
) -> None:
    assert move not in _names(text)


# The coach's own additions (accord.coach.phrases, tuned on the tuning half of the second draw).
@pytest.mark.parametrize(
    ("text", "criterion", "expected"),
    [
        ("Hello, this does not sound good. Can you DM us the address?", "empathy", "met"),
        ("We know how important your battery is.", "empathy", "met"),
        ("I understand that you are trying to retrieve your key.", "empathy", "missing"),
        ("I apologize that you think that.", "apology", "missing"),
        ("Sorry to disappoint, Ben.", "apology", "met"),
        ("Oh no! It shouldn't be slower- which OS are you on?", "clarifying_question", "met"),
        ("Can you let us know which device you're using?", "clarifying_question", "met"),
        ("Finally could you please send me the last row of digits.", "clarifying_question", "met"),
        ("Is there anything else we can help you with today?", "clarifying_question", "missing"),
        ("Can you let us know which device you're using?", "invites_input", "missing"),
        ("Please let us know how we can help.", "invites_input", "missing"),
        ("Let us know how it plays out.", "invites_input", "met"),
        ("Would it be okay to pass your details to our supplier?", "invites_input", "met"),
        ("It may take up to 10 minutes for it to reload.", "next_steps", "met"),
        ("The timetable is expected to be confirmed by the end of the week.", "next_steps", "met"),
        ("We're working on it and it should be fixed soon.", "next_steps", "missing"),
        ("Let us know if we can help with anything else!", "further_help", "met"),
        ("As the seller is responsible for the courier, they can claim.", "defensive", "violated"),
        ("Otherwise, you are subject to fees.", "defensive", "violated"),
        ("The seller will contact you within 2 days.", "defensive", None),
    ],
)
def test_the_coach_extensions(text: str, criterion: str, expected: str | None) -> None:
    from accord.coach.review import assess

    assert assess(text)[criterion] == expected


# Added from the third draw's tuning half.
@pytest.mark.parametrize(
    ("text", "criterion", "expected"),
    [
        ("Please can let me know the date you visited. TY - Jayne 2/2", "thanks", "met"),
        ("We appreciate those details.", "thanks", "met"),
        ("Tyler will call you back.", "thanks", "missing"),
        ("Tweet us any time for official Xbox support!", "further_help", "met"),
        ("Our support team is available 24/7 to assist you.", "further_help", "met"),
        ("We're here to help. Please DM us the email on your account.", "further_help", "missing"),
        # Taken back on the census's tuning half: "that's strange" names no feeling (GUIDE.md).
        ("That's strange, Amy.", "empathy", "missing"),
        ("It sounds like you're experiencing issues with switching an article.", "empathy", "met"),
        ("I completely understand your anticipation.", "empathy", "met"),
        ("We do apologize for the inconvenience.", "apology", "met"),
        ("Will you please DM us with your account number?", "clarifying_question", "met"),
        ("He emailed you can you please confirm your address?", "clarifying_question", "met"),
        ("Hello Valentina. How can I help you?", "clarifying_question", "missing"),
        ("Reboot the router and let us know if the issue clears.", "invites_input", "met"),
        ("We should be happy to give you an extra one, though.", "options", "met"),
        # The second targeted sample's tuning half.
        ("Hi - our team aims to reply within 24 hours :)", "next_steps", "met"),
        ("Hi, do you prefer answers in German or English?", "invites_input", "met"),
        ("We understand your concerns, and want to help.", "empathy", "met"),
        ("We understand that you're seeking information on PIN recovery.", "empathy", "missing"),
        ("Sorry you're having problems logging in.", "apology", "met"),
        ("We understand how this impacts on your day and we're genuinely sorry.", "apology", "met"),
        ("It's up to you to decide what fits you best.", "options", "met"),
        ("Shoot me a DM, and I'll save the day!", "over_promise", "violated"),
        ("We will find a solution today.", "over_promise", "violated"),
        # The fourth draw's tuning half.
        ("Hi Tim, did you buy this in store or online?", "clarifying_question", "met"),
        ("Can you show us what is appearing on your screen?", "clarifying_question", "met"),
        ("Is there something that we can assist you with?", "clarifying_question", "missing"),
        ("We hate to hear this.", "empathy", "met"),
        ("I understand that you are waiting for a rebate of $160.", "empathy", "missing"),
        ("Please DM if there's anything we can help with.", "further_help", "met"),
        ("Hey Georgia! Sorry you haven't received your package.", "apology", "met"),
        ("You can view your replacement and/or return options here.", "options", "met"),
        ("Disable it and restart. Let us know in DM if it helps.", "invites_input", "met"),
        ("There is an issue with their servers, it is not on our end.", "defensive", "violated"),
        # The census's tuning half (every remaining TWCS brand reply).
        ("I can provide a $10.00 credit for the inconvenience.", "options", "met"),
        ("I can authorize 5,000 bonus Skymiles for each of you.", "options", "met"),
        ("We'll hook you up with a bag, or you can write to us here.", "options", "met"),
        ("Please reach us via phone/chat here.", "options", "met"),
        ("So we can take a closer look, please give us a call or chat.", "options", "met"),
        ("You can place an order on our website or through our mobile app.", "options", "met"),
        ("Are you able to send over a DM so I can look into this?", "options", "missing"),
        ("Let us know if you still need assistance.", "further_help", "met"),
        ("We're always here and eager to assist.", "further_help", "met"),
        ("If you have Xbox related questions, tweet us.", "further_help", "met"),
        ("We definitely understand your concern.", "empathy", "met"),
        ("That's heart breaking to hear.", "empathy", "met"),
        ("This is distressing.", "empathy", "met"),
        ("We never like to hear you're disappointed.", "empathy", "met"),
        ("I see exactly what you mean.", "empathy", "met"),
        ("Hmm, that's odd. We'll pass this on to our devs.", "empathy", "missing"),
        ("Can you try restarting it? Keep us posted on the results.", "invites_input", "met"),
        ("Sure thing, let us know the results.", "invites_input", "missing"),
        ("Please use the link from above again. Keep us updated!", "invites_input", "missing"),
        ("The store will be doing a midnight release.", "next_steps", "met"),
        ("Those are the rules.", "defensive", "violated"),
        ("Hi, that's not something we do.", "defensive", "violated"),
        ("The contract is between you and the seller!", "defensive", "violated"),
        ("Do you know where your ONT is located?", "jargon", "violated"),
        ("Please run the tracert and post your results.", "jargon", "violated"),
    ],
)
def test_the_third_draws_additions(text: str, criterion: str, expected: str | None) -> None:
    from accord.coach.review import assess

    assert assess(text)[criterion] == expected


def test_listening_takes_up_one_of_the_customers_content_words() -> None:
    from accord.coach.context import build_context
    from accord.coach.review import assess

    ctx = build_context([("customer", "My book arrived damaged after I waited 4 months.")])
    assert assess("I'm sorry your book arrived this way!", ctx)["listening"] == "met"
    # Words any reply may use ("help", "account", "team") are not listening.
    assert assess("Please DM us so our team can help with your account.", ctx)["listening"] == (
        "missing"
    )


def test_listening_keeps_short_product_names() -> None:
    from accord.coach.context import build_context
    from accord.coach.review import assess

    ctx = build_context([("customer", "I updated to iOS 11 and my phone stopped connecting.")])
    assert assess("Could you verify your exact iOS version?", ctx)["listening"] == "met"
