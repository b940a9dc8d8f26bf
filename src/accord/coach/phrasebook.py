"""The sentences drafts are built from: per move, per tone, at least three variants.

Every variant is written so that the coach's detectors recognise the move it makes (a test
checks each one), and variants of one move never share a sentence, so consecutive drafts
(variant n, n + 1) do not repeat themselves.
"""

from __future__ import annotations

from accord.coach.types import Tone

Bank = dict[Tone, tuple[str, ...]]

GREETING: Bank = {
    "warm": ("Hi {name},", "Hello {name},", "Hi there {name},"),
    "formal": ("Dear {name},", "Good day {name},", "Hello {name},"),
    "brief": ("Hi {name},", "Hello {name},", "Hey {name},"),
}
THANKS_OPEN: Bank = {
    "warm": (
        "Thank you for taking the time to tell us about this.",
        "Thanks so much for letting us know what happened.",
        "I really appreciate you raising this with us.",
    ),
    "formal": (
        "Thank you for contacting us about this matter.",
        "We appreciate you bringing this to our attention.",
        "Thank you for taking the time to write to us.",
    ),
    "brief": (
        "Thanks for letting us know.",
        "Thank you for flagging this.",
        "Thanks for raising this.",
    ),
}
BOUNDARY: Bank = {
    "warm": (
        "I want to help you sort this out, so please keep this conversation respectful.",
        "To help you as quickly as I can, please keep things civil between us.",
        "I'm on your side here, and I'd ask you to please stay courteous so we can fix this.",
    ),
    "formal": (
        "We are committed to resolving this; please keep this conversation respectful.",
        "So that we can assist you, please keep the conversation courteous.",
        "We will not accept abusive language, and we remain ready to help you.",
    ),
    "brief": (
        "Please keep this conversation respectful so I can help.",
        "Please keep things civil and I'll get this fixed.",
        "Please stay courteous so we can sort this out.",
    ),
}
RESTATE: Bank = {
    "warm": (
        'If I understand correctly, the problem is this: "{issue}".',
        'So I have this right, you told us: "{issue}".',
        'Let me make sure I have the details: "{issue}".',
    ),
    "formal": (
        'If I understand correctly, you wrote: "{issue}".',
        'To confirm our understanding, you reported: "{issue}".',
        'We have noted what you described: "{issue}".',
    ),
    "brief": ('You wrote: "{issue}".', 'Noted: "{issue}".', 'I see you said: "{issue}".'),
}
NOTED: Bank = {
    "warm": (
        "I have noted the details you gave me: {points}.",
        "I've made a note of what you mentioned: {points}.",
        "I have written down the key details: {points}.",
    ),
    "formal": (
        "We have noted the details you provided: {points}.",
        "We have recorded the points you raised: {points}.",
        "The details you mentioned are noted: {points}.",
    ),
    "brief": ("Noted: {points}.", "Details noted: {points}.", "Got it: {points}."),
}
EMPATHY: Bank = {
    "warm": (
        "I can imagine how frustrating this has been for you.",
        "That must have been really frustrating, and I understand why you're upset.",
        "I understand how stressful this is, especially when you were counting on us.",
    ),
    "formal": (
        "I understand how frustrating this situation must be.",
        "I can imagine the inconvenience this has caused you.",
        "I fully understand why this is disappointing.",
    ),
    "brief": (
        "I can imagine how annoying that is.",
        "I understand how frustrating this is.",
        "That must be really frustrating.",
    ),
}
APOLOGY: Bank = {
    "warm": (
        "I'm so sorry about this; it was our mistake, and I'll put it right.",
        "I'm really sorry we let you down here, and we take full responsibility.",
        "I apologise for the trouble this has caused, and fixing it is on me.",
    ),
    "formal": (
        "Please accept our sincere apologies for this error.",
        "We sincerely apologise for the inconvenience this has caused.",
        "We are very sorry for this mistake and take full responsibility for it.",
    ),
    "brief": (
        "I'm sorry about this; that's on us.",
        "Sorry for the trouble; it was our mistake.",
        "My apologies for the mix-up.",
    ),
}
QUESTIONS: dict[str, tuple[str, ...]] = {
    "order number": (
        "Could you send me your order number so I can check it straight away?",
        "Could you confirm the order number for me, so I can look into it right away?",
        "Could you share the order number with me so I can pull up the details?",
    ),
    "date": (
        "When did this happen?",
        "Could you tell me on which date this happened?",
        "When did you first notice this?",
    ),
    "wanted outcome": (
        "What outcome would work best for you?",
        "Could you tell me what you'd most like to happen next?",
        "What would help most to put this right for you?",
    ),
}
OFFER: Bank = {
    "warm": (
        "I can offer you {a} or {b}.",
        "Here are two options: {a}, or {b}.",
        "There are a couple of options I can offer: {a} or {b}.",
    ),
    "formal": (
        "We can offer you {a} or {b}.",
        "There are two options available: {a}, or {b}.",
        "One option is {a}; the other is {b}.",
    ),
    "brief": (
        "I can offer you {a} or {b}.",
        "Option A is {a}; option B is {b}.",
        "You have two options: {a} or {b}.",
    ),
}
INVITE: Bank = {
    "warm": (
        "Would you prefer the {x} or the {y}, or is there another solution you have in mind?",
        "Which of these would work best for you?",
        "Let me know which option you'd prefer, or if you have another idea.",
    ),
    "formal": (
        "Would you prefer the {x} or the {y}?",
        "Please let us know which option you would prefer.",
        "Which of these would suit you best?",
    ),
    "brief": (
        "Which would you prefer?",
        "Let me know which works for you.",
        "Would you rather have the {x} or the {y}?",
    ),
}
ESCALATE: tuple[str, ...] = (
    "If you'd rather, I can also connect you to a supervisor.",
    "I can also pass this to a supervisor if you prefer.",
    "If you want, a supervisor will review this with you as well.",
)
NEXT_STEPS: Bank = {
    "warm": (
        "As soon as you reply, I'll take care of it and confirm within {days} business days.",
        "Once I hear back from you, I will process it and confirm within {days} business days.",
        "I will update you by email within {days} business days with the outcome.",
    ),
    "formal": (
        "Upon your reply, we will process your request and confirm it within {days} business days.",
        "We will update you by email within {days} business days.",
        "You will receive our confirmation within {days} business days of your reply.",
    ),
    "brief": (
        "I'll sort it within {days} business days of your reply.",
        "You'll hear from me within {days} business days.",
        "I will confirm everything within {days} business days.",
    ),
}
THANKS_CLOSE: Bank = {
    "warm": (
        "Thank you for your patience while we sort this out.",
        "Thanks again for bearing with us.",
        "I really appreciate your patience with this.",
    ),
    "formal": (
        "Thank you for your patience.",
        "We appreciate your understanding.",
        "Thank you again for your patience in this matter.",
    ),
    "brief": (),
}
FURTHER: Bank = {
    "warm": (
        "If there is anything else I can help with, just reply here.",
        "Please don't hesitate to reach out if you need anything else.",
        "Feel free to reply to this message if anything else comes up.",
    ),
    "formal": (
        "Please do not hesitate to contact us should you need further assistance.",
        "If there is anything else we can do for you, please let us know.",
        "We are here to help should you have any further questions.",
    ),
    "brief": (
        "Anything else I can help with, just reply.",
        "Feel free to reach out if you need more help.",
        "Don't hesitate to message us if anything else comes up.",
    ),
}
SIGN_OFF: Bank = {
    "warm": ("Best wishes,", "Warm regards,", "Take care,"),
    "formal": ("Kind regards,", "Yours sincerely,", "With best regards,"),
    "brief": ("Best,", "Cheers,", "Regards,"),
}
