"""A generated, labelled corpus of customer-service messages with planted personal data.

Every message is assembled from fragments, some carrying a planted value (an e-mail address,
a phone number, a card number...), some carrying a value that must stay (an order reference,
an amount, a date), and the offsets of each are recorded as the text is built. The labels are
therefore right by construction: recall measured on this corpus says whether the redactor
finds the formats generated here, not how often people write them.

Values are drawn in the formats people use: e-mail addresses with plus-tags and subdomains;
UK, US and international phone numbers with spaces, dashes, brackets, +44 and 0044 (from the
numbering ranges that are in use, as real numbers are); Visa, Mastercard and Amex numbers that
pass the Luhn check, grouped or not; IBANs of eight countries with correct check digits; IPv4
and IPv6 addresses; SSNs; NHS numbers with a valid check digit; and the customer's own name,
e-mail and phone in different casings, possessives and positions.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass, field

from accord.privacy.customer import CustomerRecord
from accord.privacy.fakes import (
    CITIES,
    FIRST,
    LAST,
    a_date,
    card,
    digits,
    email,
    iban,
    ip,
    nhs,
    phone,
    postcode,
    secret,
    ssn,
    street,
    uk_phone,
)

STRUCTURED = ("EMAIL", "PHONE", "CARD", "IBAN", "IP", "SSN", "NHS", "URL")
CONTEXTUAL = ("POSTCODE", "ADDRESS", "DOB", "SECRET")
OWN = ("OWN_NAME", "OWN_EMAIL", "OWN_PHONE")
KEEP = ("ORDER", "AMOUNT", "DATE")


@dataclass
class Sample:
    text: str
    customer: CustomerRecord
    planted: list[tuple[int, int, str]] = field(default_factory=list)  # personal data
    kept: list[tuple[int, int, str]] = field(default_factory=list)  # must stay as written


class _Builder:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0
        self.planted: list[tuple[int, int, str]] = []
        self.kept: list[tuple[int, int, str]] = []

    def add(self, text: str, kind: str = "") -> None:
        if kind:
            target = self.kept if kind in KEEP else self.planted
            target.append((self.size, self.size + len(text), kind))
        self.parts.append(text)
        self.size += len(text)

    def fragment(self, template: str, values: dict[str, tuple[str, str]]) -> None:
        """``template`` with ``{slot}`` markers; each slot is (value, kind)."""
        rest = template
        while "{" in rest:
            head, _, tail = rest.partition("{")
            slot, _, rest = tail.partition("}")
            self.add(head)
            value, kind = values[slot]
            self.add(value, kind)
        self.add(rest)


FILLER = (
    "This is the third time I've written about this.",
    "Nobody has answered my emails.",
    "I'm really disappointed with the service.",
    "Please sort this out today.",
    "The box arrived crushed and the lamp inside is broken.",
    "I want a refund, not another voucher.",
    "Thanks for looking into it.",
)
PII_TEMPLATES = {
    "EMAIL": (
        "You can reach me at {v}.",
        "Please send the invoice to {v} instead.",
        "Contact: {v}",
    ),
    "PHONE": ("Call me on {v}.", "My mobile is {v} if that's easier.", "tel: {v}", "ring {v}"),
    "CARD": ("I paid with card {v} and was charged twice.", "The card number is {v}."),
    "IBAN": ("Please refund to IBAN {v}.", "My bank details: {v}", "send it to {v} please"),
    "IP": ("The login came from {v}, which isn't me.", "my IP address is {v}"),
    "SSN": ("My SSN is {v} for the credit check.", "social security number {v}"),
    "NHS": ("My NHS number is {v}.", "NHS no. {v} if you need it"),
    "URL": ("Photos of the damage: {v}", "see {v} for the receipt."),
    "POSTCODE": ("My postcode is {v}.", "It never reached {c} {v}."),
    "ADDRESS": ("Please deliver to {v}, {c}.", "I live at {v} and nobody came."),
}
KEEP_TEMPLATES = {
    "ORDER": (
        "Order {v} still hasn't arrived.",
        "booking ref {v}",
        "It's about invoice #{v}.",
        "My order number is {v}.",
        "tracking number: {v}",
        "Order #{v} was wrong.",
    ),
    "AMOUNT": ("I was charged {v} twice.", "a refund of {v} please", "It cost {v}."),
    "DATE": ("It was delivered on {v}.", "I ordered it on {v}", "I've waited since {v}."),
}


def _order(rng: random.Random) -> str:
    return rng.choice(
        [
            digits(rng, rng.randint(5, 10)),
            f"A{digits(rng, 2)}-{digits(rng, 6)}",
            f"ORD-2025{digits(rng, 4)}-{digits(rng, 4)}",
            "".join(rng.choice(string.ascii_uppercase + string.digits) for _ in range(6)),
            f"NW{digits(rng, 6)}",
            f"{digits(rng, 3)}-{digits(rng, 7)}-{digits(rng, 7)}",
        ]
    )


def _amount(rng: random.Random) -> str:
    whole, pence = rng.randint(1, 1999), rng.randint(0, 99)
    return rng.choice(
        [
            f"£{whole}.{pence:02d}",
            f"${whole:,}.{pence:02d}",
            f"€{whole}",
            f"{whole} GBP",
            f"USD {whole:,}.00",
            f"£{whole}",
        ]
    )


def _url(rng: random.Random) -> str:
    token = "".join(rng.choice(string.ascii_lowercase + string.digits) for _ in range(8))
    return rng.choice(
        [
            f"https://drive.example.com/share/{token}",
            f"http://imgur.example/a/{token}",
            f"www.dropbox.example/s/{token}/damage.jpg",
            f"https://photos.example.net/u/{token}?id={rng.randint(1, 999)}",
        ]
    )


def _cased(rng: random.Random, text: str) -> str:
    return rng.choice([text, text, text.lower(), text.upper()])


def _value(rng: random.Random, kind: str, first: str, last: str) -> str:
    makers = {
        "EMAIL": lambda: email(rng, rng.choice(FIRST), rng.choice(LAST)),
        "PHONE": lambda: phone(rng),
        "CARD": lambda: card(rng),
        "IBAN": lambda: iban(rng),
        "IP": lambda: ip(rng),
        "SSN": lambda: ssn(rng),
        "NHS": lambda: nhs(rng),
        "URL": lambda: _url(rng),
        "POSTCODE": lambda: postcode(rng),
        "ADDRESS": lambda: street(rng),
        "ORDER": lambda: _order(rng),
        "AMOUNT": lambda: _amount(rng),
        "DATE": lambda: a_date(rng, rng.randint(2023, 2026)),
    }
    return makers[kind]()


def _own_name(rng: random.Random, b: _Builder, first: str, last: str) -> None:
    full = f"{first} {last}"
    form = rng.randrange(7)
    if form == 0:
        b.fragment("Hi, I'm {n}. ", {"n": (_cased(rng, rng.choice([full, first])), "OWN_NAME")})
    elif form == 1:
        b.fragment("This is {n} again. ", {"n": (_cased(rng, first), "OWN_NAME")})
    elif form == 2:
        who = rng.choice([first, last, full])
        b.fragment(
            "{n}'s account was charged. ", {"n": (rng.choice([who, who.upper()]), "OWN_NAME")}
        )
    elif form == 3:
        title = rng.choice(["Mr", "Ms.", "Mrs", "mr", "ms"])
        b.fragment(f"The driver asked for {title} {{n}}. ", {"n": (_cased(rng, last), "OWN_NAME")})
    elif form == 4:
        b.fragment("The parcel is addressed to {n}. ", {"n": (_cased(rng, full), "OWN_NAME")})
    elif form == 5:
        b.fragment("Name on the account: {n}. ", {"n": (f"{last.upper()}, {first}", "OWN_NAME")})
    else:
        b.fragment("my name is {n} ", {"n": (_cased(rng, rng.choice([first, full])), "OWN_NAME")})


def _sign_off(rng: random.Random, b: _Builder, first: str, last: str) -> None:
    closing = rng.choice(
        ["\n\nThanks,\n", "\nRegards, ", "\n- ", "\n\nCheers\n", "\nKind regards\n"]
    )
    name = rng.choice([first, f"{first} {last}", first])
    b.fragment(closing + "{n}", {"n": (_cased(rng, name), "OWN_NAME")})


def _customer(rng: random.Random) -> tuple[str, str, CustomerRecord, str, str]:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    own_email = email(rng, first, last)
    if rng.random() < 0.6:
        head, tail = f"7{rng.choice('34589')}{digits(rng, 2)}", digits(rng, 6)
        record_phone, written = f"+44 {head} {tail}", uk_phone(rng, head, tail)
    else:
        area, exch, line = (
            rng.choice(["212", "415", "617"]),
            f"{rng.randint(2, 9)}55",
            digits(rng, 4),
        )
        record_phone = f"+1 {area}-{exch}-{line}"
        written = rng.choice(
            [f"({area}) {exch}-{line}", f"{area}.{exch}.{line}", f"1{area}{exch}{line}"]
        )
    record = CustomerRecord(f"{first} {last}", (own_email,), (record_phone,))
    return first, last, record, own_email, written


def sample(rng: random.Random) -> Sample:
    first, last, record, own_email, own_phone = _customer(rng)
    b = _Builder()
    b.add(rng.choice(["Hi,\n", "Hello there. ", "", "Good morning, ", "Hey support team,\n"]))
    if rng.random() < 0.5:
        _own_name(rng, b, first, last)
    pieces: list[tuple[str, str]] = [(k, "pii") for k in rng.sample(list(PII_TEMPLATES), 2)]
    pieces += [(rng.choice(["DOB", "SECRET"]), "special")] if rng.random() < 0.5 else []
    pieces += [(k, "keep") for k in rng.sample(list(KEEP_TEMPLATES), rng.randint(1, 3))]
    pieces += [(rng.choice(["OWN_EMAIL", "OWN_PHONE", "OWN_NAME"]), "own")]
    rng.shuffle(pieces)
    for kind, role in pieces:
        if role == "own":
            _own_field(rng, b, kind, first, last, own_email, own_phone)
        elif role == "special":
            label, value = secret(rng) if kind == "SECRET" else _dob(rng)
            b.fragment(f"{label}{{v}}. ", {"v": (value, kind)})
        else:
            templates = PII_TEMPLATES.get(kind) or KEEP_TEMPLATES[kind]
            drawn = (_value(rng, kind, first, last), kind)
            b.fragment(rng.choice(templates) + " ", {"v": drawn, "c": (rng.choice(CITIES), "")})
        if rng.random() < 0.4:
            b.add(rng.choice(FILLER) + " ")
    if rng.random() < 0.5:
        _sign_off(rng, b, first, last)
    return Sample("".join(b.parts), record, b.planted, b.kept)


def _dob(rng: random.Random) -> tuple[str, str]:
    label = rng.choice(["DOB: ", "D.O.B. ", "my date of birth is ", "I was born on ", "dob "])
    return label, a_date(rng, rng.randint(1940, 2005))


def _own_field(
    rng: random.Random, b: _Builder, kind: str, first: str, last: str, own_email: str, phone_: str
) -> None:
    if kind == "OWN_NAME":
        _own_name(rng, b, first, last)
    elif kind == "OWN_EMAIL":
        shown = rng.choice([own_email, own_email.upper(), own_email.capitalize()])
        b.fragment("My email on file is {v}. ", {"v": (shown, "OWN_EMAIL")})
    else:
        b.fragment("You can call me on {v}. ", {"v": (phone_, "OWN_PHONE")})


def generate(count: int, seed: int = 15) -> list[Sample]:
    rng = random.Random(seed)  # noqa: S311 (generated test data, not secrets)
    return [sample(rng) for _ in range(count)]
