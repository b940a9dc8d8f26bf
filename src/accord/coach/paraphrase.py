"""Listening by paraphrase: the draft says what the customer said in other words.

The second step of the listening criterion, run only when the lexical one (shared stems, words
for the same thing, references, "you mentioned") finds nothing: "sorry the application shuts down
each time you launch it" shares no content word with "the app keeps crashing". Each sentence of
the draft and of the customer's recent messages is embedded with the shipped sentence encoder
(:mod:`accord.analysis.embeddings`) and the draft takes the customer up when some pair of
sentences is

- close: cosine similarity at least :data:`THRESHOLD`, and
- closer than the draft sentence is to any :data:`GENERIC` support sentence ("How can I help?",
  "Thanks for reaching out", "You're welcome!"): a sentence any reply may contain resembles every
  message a little, and is not listening.

Only sentences that carry a content word on both sides count (the review's test, passed in) and
only English texts (the encoder was trained on English; on other languages its similarities are
noise). THRESHOLD and the generic set were chosen on the tuning half of the labelled replies
(docs/coach.md). The customer's sentences are embedded once per message text (they are the same
on every pause in typing), the draft's once per sentence text (a pause changes one sentence).
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from accord.analysis.embeddings import EncoderError, Vectors, embed
from accord.analysis.lang import NON_ENGLISH
from accord.analysis.lang import detect as detect_language
from accord.cases.playbook.detectors import plain_quotes, sentences
from accord.cases.playbook.machine import Evidence
from accord.coach.phrases import blank_noise

__all__ = ["GENERIC", "THRESHOLD", "clear_cache", "encoder_calls", "paraphrased"]

log = logging.getLogger(__name__)

# Tuning half: the highest F1 whose precision stays at or above 0.86 (docs/coach.md).
THRESHOLD = 0.25
MAX_SENTENCES = 24  # of the draft, and of each customer message: a pasted essay stays cheap
# What any support reply may say whatever the customer wrote.
GENERIC = (
    "Hi there!",
    "Hello, thanks for reaching out.",
    "Thank you for contacting us.",
    "How can I help you today?",
    "You're welcome!",
    "Thanks!",
    "Please send us a DM with your details.",
    "Please follow us so we can send you a direct message.",
    "We're sorry for the inconvenience.",
    "Let us know if there is anything else we can help with.",
    "Have a great day!",
    "We're here to help.",
    "Glad to hear that!",
    "Please contact our customer service team.",
    "We'll look into this for you.",
    "Sorry to hear about this.",
    "Can you tell us more?",
)
_calls = 0
_warned = False
_lock = threading.Lock()  # reviews run on the API's worker threads
Vector = npt.NDArray[np.float32]


def encoder_calls() -> int:
    """How many times this module has run the encoder in this process (the lexical path of the
    listening criterion must never make it count)."""
    return _calls


def _embed(texts: Sequence[str]) -> Vectors:
    global _calls
    with _lock:
        _calls += 1
    return embed(texts)


def _english(text: str) -> bool:
    return detect_language(text)[0] != NON_ENGLISH


def _candidates(text: str, content: Callable[[str], bool]) -> list[Evidence]:
    """The sentences of ``text`` worth comparing, as spans of ``text`` (handles, links and
    signatures blanked; whitespace runs left in the span, not in what is embedded)."""
    clean = plain_quotes(blank_noise(text))
    found = [s for s in sentences(clean) if content(s.text)][:MAX_SENTENCES]
    return [Evidence(s.start, s.end, text[s.start : s.end]) for s in found]


def _plain(span: Evidence, clean: str) -> str:
    return " ".join(clean[span.start : span.end].split())


@lru_cache(maxsize=256)
def _customer(text: str, content: Callable[[str], bool]) -> Vectors:
    # Cached by message text: the customer's side is the same on every pause in typing.
    if not _english(text):
        return np.zeros((0, 0), np.float32)
    clean = plain_quotes(blank_noise(text))
    spans = _candidates(text, content)
    return _embed([_plain(s, clean) for s in spans]) if spans else np.zeros((0, 0), np.float32)


_DRAFT_CACHE = 1024
_drafted: OrderedDict[str, tuple[Vector, float]] = OrderedDict()


def _sentences(texts: Sequence[str]) -> list[tuple[Vector, float]]:
    """Each draft sentence's vector and its similarity to the closest generic sentence; the new
    ones embedded in one batch, the rest from the cache (least recently used dropped)."""
    with _lock:
        known = {t: _drafted[t] for t in texts if t in _drafted}
    new = list(dict.fromkeys(t for t in texts if t not in known))
    if new:
        vectors = _embed(new)
        closest = (vectors @ _generic().T).max(axis=1)
        known.update((t, (v, float(g))) for t, v, g in zip(new, vectors, closest, strict=True))
    with _lock:
        for text in texts:
            _drafted[text] = known[text]
            _drafted.move_to_end(text)
        while len(_drafted) > _DRAFT_CACHE:
            _drafted.popitem(last=False)
    return [known[t] for t in texts]


@lru_cache(maxsize=1)
def _generic() -> Vectors:
    return _embed(GENERIC)


def clear_cache() -> None:
    """Forget the draft sentences seen (the benchmark times a draft never seen before)."""
    with _lock:
        _drafted.clear()


def paraphrased(
    draft: str, customer_messages: Sequence[str], content: Callable[[str], bool]
) -> list[Evidence]:
    """The draft sentence that best restates one of the customer's, or nothing.

    ``content(sentence)`` says whether a sentence carries a content word (the review's own
    test). An encoder that cannot load leaves listening to the lexical step: logged, not raised,
    so that a broken install costs the coach recall, not every review.
    """
    try:
        return _best(draft, customer_messages, content)
    except EncoderError as exc:
        global _warned
        if not _warned:  # once per process, not on every pause in typing
            _warned = True
            log.error("listening by paraphrase is off: %s", exc)
        return []


def _best(
    draft: str, customer_messages: Sequence[str], content: Callable[[str], bool]
) -> list[Evidence]:
    said = [v for text in customer_messages if (v := _customer(text, content)).size]
    if not said or not _english(draft):
        return []
    theirs = np.concatenate(said)
    clean = plain_quotes(blank_noise(draft))
    spans = _candidates(draft, content)
    embedded = _sentences([_plain(s, clean) for s in spans])
    best, where = THRESHOLD, None
    for span, (vector, generic) in zip(spans, embedded, strict=True):
        score = float((theirs @ vector).max())
        if score >= best and score >= generic:
            best, where = score, span
    return [where] if where else []
