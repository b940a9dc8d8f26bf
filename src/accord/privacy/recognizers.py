"""The pattern recognizers behind :func:`accord.privacy.redact`: Presidio's own for the structured
entities, configured to need nothing from the network, and Accord's for what customer service
sees (postcodes, street addresses, dates of birth, secrets and the customer's own details).

Every recognizer here is a regular expression or a checksum over the text; none needs a spaCy
model. Presidio's e-mail check asks ``tldextract`` for the public suffix list, which by default
downloads it on first use: :class:`OfflineEmailRecognizer` reads the snapshot that ships inside
``tldextract`` instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import ClassVar

import phonenumbers
import tldextract
from presidio_analyzer import (
    EntityRecognizer,
    LocalRecognizer,
    Pattern,
    RecognizerResult,
)
from presidio_analyzer.context_aware_enhancers import ContextAwareEnhancer
from presidio_analyzer.nlp_engine import NlpArtifacts
from presidio_analyzer.predefined_recognizers import (
    CreditCardRecognizer,
    EmailRecognizer,
    IbanRecognizer,
    IpRecognizer,
    NhsRecognizer,
    PhoneRecognizer,
    UrlRecognizer,
    UsSsnRecognizer,
)

from accord.core.redact import MASKED_CARD, MASKED_IBAN, secret_spans
from accord.privacy.customer import CustomerRecord, customer_patterns

# No URL list: only the suffix list snapshot bundled with tldextract, and no cache on disk.
_SUFFIXES = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
_DIGIT = re.compile(r"\d")
_DATE_SHAPED = re.compile(r"\d{1,2}([./-])\d{1,2}\1\d{2,4}|\d{4}([./-])\d{1,2}\2\d{1,2}")
_PHONE_CANDIDATE = re.compile(r"(?:\+|\b00|\()?\d[\d \t().\-/]{5,24}\d(?!\d)")
PHONE_REGIONS = ("GB", "US")
_VALID = (
    phonenumbers.Leniency.VALID
)  # numbers written with +CC or 00CC are found whatever the region


class NoContext(ContextAwareEnhancer):
    """No score changes from words around a find: the patterns that need context (a date of
    birth, a labelled SSN or code) carry it themselves, and ``NoOpNlpEngine`` has no tokens."""

    def __init__(self) -> None:
        super().__init__(
            context_similarity_factor=0,
            min_score_with_context_similarity=0,
            context_prefix_count=0,
            context_suffix_count=0,
        )

    def enhance_using_context(
        self,
        text: str,
        raw_results: list[RecognizerResult],
        nlp_artifacts: NlpArtifacts,
        recognizers: list[EntityRecognizer],
        context: list[str] | None = None,
    ) -> list[RecognizerResult]:
        return raw_results


class OfflineEmailRecognizer(EmailRecognizer):
    """Presidio's e-mail pattern and top-level-domain check, without the network."""

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        if "@" not in text:
            return []
        found: list[RecognizerResult] = super().analyze(text, entities, nlp_artifacts, regex_flags)
        return found

    def validate_result(self, pattern_text: str) -> bool:
        return bool(_SUFFIXES(pattern_text).fqdn)


class QuickPhoneRecognizer(PhoneRecognizer):
    """libphonenumber's matcher (valid numbers only), as Presidio runs it, but only over the
    stretches of the text that could hold a number: the same finds in half the time."""

    def __init__(self) -> None:
        super().__init__(supported_regions=PHONE_REGIONS, leniency=1)

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        found: dict[tuple[int, int], RecognizerResult] = {}
        for candidate in _PHONE_CANDIDATE.finditer(text):
            if len(_DIGIT.findall(candidate.group(0))) < 7:
                continue
            low = max(0, candidate.start() - 1)  # the matcher looks at the character before
            chunk = text[low : candidate.end()]
            for region in self.supported_regions:
                for match in phonenumbers.PhoneNumberMatcher(chunk, region, _VALID):
                    if _DATE_SHAPED.fullmatch(match.raw_string):
                        continue  # "13.10.2026" is a valid number somewhere, and a date here
                    span = (low + match.start, low + match.end)
                    found[span] = RecognizerResult(self.supported_entities[0], *span, self.SCORE)
        return list(found.values())


class ShapedCardRecognizer(CreditCardRecognizer):
    """Presidio's card pattern and Luhn check, for numbers written the way cards are."""

    def validate_result(self, pattern_text: str) -> bool:
        return _card_shaped(pattern_text.strip()) and bool(super().validate_result(pattern_text))


class RegexRecognizer(LocalRecognizer):
    """Matches of compiled patterns; the span is the group named ``v`` when there is one.

    ``needs`` is a cheap test that lets a text skip every pattern; ``valid`` can refuse a match.
    """

    def __init__(
        self,
        entity: str,
        patterns: Sequence[re.Pattern[str]],
        *,
        score: float = 0.85,
        needs: Callable[[str], bool] | None = None,
        valid: Callable[[str], bool] | None = None,
        name: str | None = None,
    ) -> None:
        self.patterns = tuple(patterns)
        self.score = score
        self.needs = needs
        self.valid = valid
        super().__init__(
            supported_entities=[entity], supported_language="en", name=name or entity.title()
        )

    def load(self) -> None:  # nothing to load: the patterns are compiled already
        return None

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        if self.needs is not None and not self.needs(text):
            return []
        entity = self.supported_entities[0]
        results = []
        for pattern in self.patterns:
            for match in pattern.finditer(text):
                group = "v" if "v" in pattern.groupindex and match.group("v") else 0
                start, end = match.span(group)
                if start == end or (self.valid is not None and not self.valid(text[start:end])):
                    continue
                results.append(RecognizerResult(entity, start, end, self.score))
        return results


class SecretsRecognizer(LocalRecognizer):
    """What :func:`accord.core.redact.mask_secrets` masks (Luhn-valid card numbers in any
    grouping, mod-97-valid IBANs, labelled passwords and codes, keys and tokens), with spans."""

    KINDS: ClassVar[dict[str, str]] = {MASKED_CARD: "CREDIT_CARD", MASKED_IBAN: "IBAN_CODE"}

    def __init__(self) -> None:
        entities = ["CREDIT_CARD", "IBAN_CODE", "SECRET"]
        super().__init__(supported_entities=entities, supported_language="en")

    def load(self) -> None:
        return None

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        results = []
        for start, end, placeholder in secret_spans(text):
            entity = self.KINDS.get(placeholder, "SECRET")
            if entity == "CREDIT_CARD" and not _card_shaped(text[start:end]):
                continue  # "Order 203-1234567-1234567" passes Luhn one time in ten
            if entity == "SECRET":  # "password: hunter2!." -> the "!" is the password's
                end += _SECRET_TAIL.match(text, end).end() - end  # type: ignore[union-attr]
            results.append(RecognizerResult(entity, start, end, 0.95))
        return results


# What card numbers start with (Visa 4, Mastercard 2 and 5, Amex 3, Discover 6) and how they are
# grouped when they are: fours (the last group shorter), or Amex's and Diners' 4-6-5 and 4-6-4.
_CARD_GROUPS = re.compile(
    r"[2-6]\d{12,18}|[2-6]\d{3}(?:[ -]\d{4}){2,3}(?:[ -]\d{1,4})?|[2-6]\d{3}[ -]\d{6}[ -]\d{4,5}"
)
_SECRET_TAIL = re.compile(r"\S*?(?=[.,;:]?(?:\s|$))")


def _card_shaped(text: str) -> bool:
    return _CARD_GROUPS.fullmatch(text) is not None


def _words(*items: str) -> str:
    return "|".join(sorted(items, key=len, reverse=True))


# --- postcodes and street addresses ---------------------------------------------------------
_UK_POSTCODE = re.compile(
    r"(?<![\w-])(?:GIR ?0AA|[A-PR-UWYZ](?:[0-9][0-9A-HJKPSTUW]?|[A-HK-Y][0-9][0-9ABEHMNPRVWXY]?)"
    r" ?[0-9][ABD-HJLNP-UW-Z]{2})(?![\w-])",
    re.IGNORECASE,
)
_STATES = str.split(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH "
    "NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY"
)
# A ZIP code only where it is one for sure: after a state code or the word "zip".
_US_ZIP = re.compile(rf"\b(?:{'|'.join(_STATES)}),?\s+(?P<v>\d{{5}}(?:-\d{{4}})?)\b")
_ZIP = re.compile(r"\bzip(?:\s*code)?(?:\s+is)?\s*[:#]?\s*(?P<v>\d{5}(?:-\d{4})?)\b", re.I)
_SUFFIX = _words(
    "Street", "St", "Road", "Rd", "Avenue", "Ave", "Lane", "Ln", "Drive", "Dr", "Close", "Way",
    "Court", "Ct", "Boulevard", "Blvd", "Place", "Pl", "Crescent", "Cres", "Terrace", "Gardens",
    "Grove", "Square", "Sq", "Parkway", "Pkwy", "Highway", "Hwy", "Row", "Mews", "Walk", "Circle",
    "Cir",
)  # fmt: skip
# A house number, one to four capitalised words and a street type: "221B Baker Street",
# "1600 Pennsylvania Ave NW", "Flat 3, 12 Queen's Road". Lower-case streets are not matched:
# "waited 3 hours on the road" must stay.
_STREET = re.compile(
    r"\b(?:(?i:flat|apt\.?|apartment|unit|suite)\s+\w{1,5},?\s+)?\d{1,5}[A-Za-z]?,?\s+"
    r"(?:[A-Z][\w'’.-]*\s+){1,4}"
    rf"(?i:{_SUFFIX})\b\.?(?:\s+(?:NW|NE|SW|SE|N|S|E|W)\b)?"
)

# --- dates of birth -------------------------------------------------------------------------
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE = (
    r"\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})\b|\d{4}-\d{1,2}-\d{1,2}\b"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+\d{{4}}\b"
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b"
)
_DOB = re.compile(
    r"\b(?:d\.?o\.?b\.?|date\s+of\s+birth|birth\s*date|birthday|born(?:\s+on)?)"
    rf"(?:\s+is)?\s*[:=\-]?\s*(?P<v>{_DATE})",
    re.IGNORECASE,
)
_BORN_IN = re.compile(r"\bborn\s+in\s+(?P<v>(?:19|20)\d\d)\b", re.IGNORECASE)

# --- codes that mask_secrets leaves: "the code is 482913", "code 7731" ----------------------
_CODE = re.compile(
    r"(?<!zip )(?<!post )(?<!promo )(?<!error )(?<!status )(?<!discount )(?<!voucher )"
    r"\b(?:code|pin|passcode)\b(?:\s+(?:is|was))?\s*[:=#]?\s*(?P<v>\d{4,8}|[A-Z0-9]{6,10})\b",
    re.IGNORECASE,
)


class CustomerRecognizer(LocalRecognizer):
    """The deny list of one customer (:mod:`accord.privacy.customer`), compiled once per record."""

    ENTITIES = ("CUSTOMER_NAME", "CUSTOMER_EMAIL", "CUSTOMER_PHONE")

    def __init__(self, record: CustomerRecord) -> None:
        self.patterns = tuple(customer_patterns(record))
        super().__init__(supported_entities=list(self.ENTITIES), supported_language="en")

    def load(self) -> None:
        return None

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        return [
            RecognizerResult(entity, *match.span("v"), 1.0)
            for entity, pattern in self.patterns
            for match in pattern.finditer(text)
        ]


@lru_cache(maxsize=4096)
def customer_recognizer(record: CustomerRecord) -> CustomerRecognizer:
    return CustomerRecognizer(record)


def custom_recognizers() -> list[EntityRecognizer]:
    """The recognizers every call uses; the customer's own details are added per call."""
    ssn = UsSsnRecognizer(
        patterns=[
            Pattern("SSN dashed", r"\b\d{3}-\d{2}-\d{4}\b", 0.6),
            Pattern("SSN spaced", r"\b\d{3}[ .]\d{2}[ .]\d{4}\b", 0.5),
            Pattern(
                "SSN labelled",
                r"(?<=\b(?:ssn|social security(?: number| no\.?)?)\W{0,3})"
                r"\d{9}\b",
                0.6,
            ),
        ]
    )  # the bare 9-digit pattern is left out: it is every other order number
    url = UrlRecognizer(
        patterns=[
            Pattern("URL", r"(?i)\bhttps?://[^\s<>\"']*[^\s<>\"'.,;:!?)\]]", 0.6),
            Pattern("www", r"(?i)\bwww\d{0,3}\.[^\s<>\"']*[^\s<>\"'.,;:!?)\]]", 0.5),
        ]
    )  # bare domains ("shop.example") are left: they are mostly the company's own
    return [
        OfflineEmailRecognizer(),
        QuickPhoneRecognizer(),
        ShapedCardRecognizer(),
        IbanRecognizer(),
        IpRecognizer(),
        ssn,
        NhsRecognizer(),
        url,
        SecretsRecognizer(),
        RegexRecognizer("SECRET", [_CODE], score=0.7, needs=_has_digit, name="CodeRecognizer"),
        RegexRecognizer(
            "POSTCODE", [_UK_POSTCODE, _US_ZIP, _ZIP], needs=_has_digit, name="Postcodes"
        ),
        RegexRecognizer("STREET_ADDRESS", [_STREET], score=0.7, needs=_has_digit, name="Streets"),
        RegexRecognizer("DATE_OF_BIRTH", [_DOB, _BORN_IN], needs=_has_digit, name="DatesOfBirth"),
    ]


def _has_digit(text: str) -> bool:
    return _DIGIT.search(text) is not None
