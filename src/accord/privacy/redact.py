"""Personal data out of text before it leaves for an analytics export or a language model.

:func:`redact` finds personal data with Microsoft Presidio's analyzer and replaces it with
placeholders using Presidio's anonymizer. Only pattern recognizers run (regular expressions,
checksums, libphonenumber): the engine is built on Presidio's ``NoOpNlpEngine``, so no spaCy
model is loaded or downloaded, and the e-mail check reads the public suffix list bundled with
``tldextract`` instead of fetching it. What is found, and the placeholder it becomes:

=================  ============  =================================================
entity             placeholder   what
=================  ============  =================================================
EMAIL_ADDRESS      [EMAIL]       any address with a known top-level domain
PHONE_NUMBER       [PHONE]       valid UK and US numbers, any number written +CC/00CC
CREDIT_CARD        [CARD]        Luhn-valid card numbers in any grouping
IBAN_CODE          [IBAN]        mod-97-valid IBANs, compact or in groups
IP_ADDRESS         [IP]          IPv4 and IPv6
US_SSN             [SSN]         123-45-6789 / 123 45 6789, or 9 digits after "SSN"
UK_NHS             [NHS]         10 digits (3-3-4) that pass the NHS check digit
URL                [LINK]        links with a scheme or starting www.
POSTCODE           [POSTCODE]    UK postcodes; US ZIP codes after a state or "zip"
STREET_ADDRESS     [ADDRESS]     house number + capitalised street name + street type
DATE_OF_BIRTH      [DOB]         a date after "DOB", "date of birth", "born (on)"
SECRET             [SECRET]      passwords, PINs and codes after a label; keys, tokens
CUSTOMER_NAME      [NAME]        the customer's own name, whole or any part of it
CUSTOMER_EMAIL     [EMAIL]       the customer's own addresses, in any case
CUSTOMER_PHONE     [PHONE]       the customer's own numbers, however the digits are written
=================  ============  =================================================

Order, booking, invoice and ticket references are not personal data and stay, as do amounts and
other dates: a number right after such a label is never taken for a phone, SSN, NHS number or
postcode. Overlapping finds are merged into one placeholder (the longest find names it).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from accord.privacy.customer import CustomerRecord

if TYPE_CHECKING:
    from presidio_analyzer import AnalyzerEngine, EntityRecognizer, RecognizerResult
    from presidio_anonymizer import AnonymizerEngine

PLACEHOLDERS: Mapping[str, str] = {
    "EMAIL_ADDRESS": "[EMAIL]",
    "PHONE_NUMBER": "[PHONE]",
    "CREDIT_CARD": "[CARD]",
    "IBAN_CODE": "[IBAN]",
    "IP_ADDRESS": "[IP]",
    "US_SSN": "[SSN]",
    "UK_NHS": "[NHS]",
    "URL": "[LINK]",
    "POSTCODE": "[POSTCODE]",
    "STREET_ADDRESS": "[ADDRESS]",
    "DATE_OF_BIRTH": "[DOB]",
    "SECRET": "[SECRET]",
    "CUSTOMER_NAME": "[NAME]",
    "CUSTOMER_EMAIL": "[EMAIL]",
    "CUSTOMER_PHONE": "[PHONE]",
}
ENTITIES = tuple(PLACEHOLDERS)
CUSTOMER_ENTITIES = ("CUSTOMER_NAME", "CUSTOMER_EMAIL", "CUSTOMER_PHONE")
# Found by a shape that an order or booking reference can have too: kept after such a label.
_REFERENCE_SHAPED = frozenset({"PHONE_NUMBER", "US_SSN", "UK_NHS", "POSTCODE"})
_REFERENCE_LABEL = re.compile(
    r"\b(?:order|booking|reservation|ref|reference|invoice|ticket|case|tracking|confirmation|"
    r"shipment|parcel|consignment|item|sku|pnr|receipt|transaction|account\s+ref)"
    r"(?:\s*(?:no\.?|nr\.?|number|num|id|code|ref(?:erence)?))?\s*(?:is\s+)?[#:.]?\s*#?\Z",
    re.IGNORECASE,
)
_LOOKBACK = 48


@dataclass(frozen=True, slots=True)
class RedactedSpan:
    """One redacted stretch of the original text; the value itself is not kept."""

    entity: str
    start: int  # offsets into the original text
    end: int
    placeholder: str


@dataclass(frozen=True, slots=True)
class RedactionResult:
    text: str
    spans: tuple[RedactedSpan, ...]

    @property
    def entities(self) -> tuple[str, ...]:
        return tuple(s.entity for s in self.spans)


_lock = threading.Lock()
_engines: list[tuple[AnalyzerEngine, AnonymizerEngine]] = []


def _engine() -> tuple[AnalyzerEngine, AnonymizerEngine]:
    """Built on first use (importing Presidio and spaCy takes a second or two), then shared."""
    with _lock:
        if not _engines:
            _engines.append(_build())
        return _engines[0]


def _build() -> tuple[AnalyzerEngine, AnonymizerEngine]:
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NoOpNlpEngine
    from presidio_anonymizer import AnonymizerEngine

    from accord.privacy.recognizers import NoContext, custom_recognizers

    registry = RecognizerRegistry(supported_languages=["en"])
    for recognizer in custom_recognizers():
        registry.add_recognizer(recognizer)
    nlp = NoOpNlpEngine(models=[{"lang_code": "en", "model_name": "none"}])
    analyzer = AnalyzerEngine(
        registry=registry,
        nlp_engine=nlp,
        supported_languages=["en"],
        context_aware_enhancer=NoContext(),  # the patterns carry their own context
        default_score_threshold=0.0,
    )
    return analyzer, AnonymizerEngine()  # type: ignore[no-untyped-call]


def redact(
    text: str,
    customer: CustomerRecord | None = None,
    *,
    placeholders: Mapping[str, str] | None = None,
) -> RedactionResult:
    """`text` with personal data replaced by placeholders, and what was replaced where.

    ``customer`` adds their own name, e-mail addresses and phone numbers to what is found;
    ``placeholders`` overrides the placeholder of some entities (e.g. the language model is
    told to call the customer ``[CUSTOMER]``).
    """
    if not text or not text.strip():
        return RedactionResult(text, ())
    analyzer, anonymizer = _engine()
    extra = [] if not customer else [_customer_recognizer(customer)]
    entities = list(ENTITIES if extra else [e for e in ENTITIES if e not in CUSTOMER_ENTITIES])
    found = analyzer.analyze(
        text, language="en", entities=entities, ad_hoc_recognizers=extra or None
    )
    merged = _merge([r for r in found if not _is_reference(text, r)])
    names = {**PLACEHOLDERS, **(placeholders or {})}
    spans = tuple(RedactedSpan(r.entity_type, r.start, r.end, names[r.entity_type]) for r in merged)
    return RedactionResult(_anonymize(anonymizer, text, merged, names), spans)


def redact_many(
    texts: Iterable[str | None],
    customers: CustomerRecord | Sequence[CustomerRecord | None] | None = None,
    *,
    placeholders: Mapping[str, str] | None = None,
) -> list[RedactionResult]:
    """:func:`redact` for each text (``None`` passes as ``""``), with one customer for all or
    one per text."""
    items = list(texts)
    if customers is None or isinstance(customers, CustomerRecord):
        per_text: Sequence[CustomerRecord | None] = [customers] * len(items)
    else:
        per_text = customers
        if len(per_text) != len(items):
            raise ValueError(f"{len(items)} texts but {len(per_text)} customers")
    return [
        redact(t or "", c, placeholders=placeholders) for t, c in zip(items, per_text, strict=True)
    ]


def _customer_recognizer(customer: CustomerRecord) -> EntityRecognizer:
    from accord.privacy.recognizers import customer_recognizer

    return customer_recognizer(customer)


def _is_reference(text: str, result: RecognizerResult) -> bool:
    if result.entity_type not in _REFERENCE_SHAPED:
        return False
    return (
        _REFERENCE_LABEL.search(text[max(0, result.start - _LOOKBACK) : result.start]) is not None
    )


def _merge(results: Sequence[RecognizerResult]) -> list[RecognizerResult]:
    """Overlapping finds become one covering all of them, named by the longest (then the
    surest); touching finds stay apart."""
    ordered = sorted(results, key=lambda r: (r.start, -r.end))
    merged: list[list[RecognizerResult]] = []
    for result in ordered:
        if merged and result.start < max(r.end for r in merged[-1]):
            merged[-1].append(result)
        else:
            merged.append([result])
    out = []
    for group in merged:
        name = max(group, key=lambda r: (r.end - r.start, r.score))
        start, end = min(r.start for r in group), max(r.end for r in group)
        out.append(type(name)(name.entity_type, start, end, name.score))
    return out


def _anonymize(
    anonymizer: AnonymizerEngine,
    text: str,
    results: list[RecognizerResult],
    names: Mapping[str, str],
) -> str:
    if not results:
        return text
    from presidio_anonymizer.entities import OperatorConfig
    from presidio_anonymizer.entities import RecognizerResult as Found

    operators = {
        e: OperatorConfig("replace", {"new_value": names[e]})
        for e in {r.entity_type for r in results}
    }
    found = [Found(r.entity_type, r.start, r.end, r.score) for r in results]
    return str(anonymizer.anonymize(text=text, analyzer_results=found, operators=operators).text)
