"""The analysis pipeline: load once, then analyse messages, batches and conversations.

A batch is vectorised once and every shipped head is one slice of a single sparse x dense
product; the pattern-based parts (signals, remedy, cause, language) run per message. English
models are not applied to text flagged as non-English: their output there is noise, and a
flagged neutral result is more honest than a confident wrong one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from accord.analysis import conversation, figurative, lang, remedy, signals
from accord.analysis.figurative import Figures
from accord.analysis.heat import HeatInputs, heat_parts, shout_score, total
from accord.analysis.model import MODELS_DIR, FloatArray, LinearHeads
from accord.analysis.taxonomy import DEFAULT_PACK, Taxonomy, parse_pack_names
from accord.analysis.text import Prepared, caps_ratio, prepare
from accord.analysis.types import (
    EKMAN_LABELS,
    EXTRA_EMOTIONS,
    ConversationAnalysis,
    Emotion,
    Message,
    MessageAnalysis,
    Role,
    Signal,
    SignalName,
)

if TYPE_CHECKING:
    import pyarrow as pa

    from accord.analysis.cascade import Cascade

# Signals that only make sense from the customer: an agent offering to escalate is no threat.
CUSTOMER_ONLY = frozenset(
    {
        SignalName.ESCALATION_REQUEST,
        SignalName.CHURN_THREAT,
        SignalName.LEGAL_THREAT,
        SignalName.PUBLIC_EXPOSURE,
        SignalName.REPEAT_CONTACT,
        SignalName.SAFETY_INCIDENT,
        SignalName.NEGATED_PRAISE,
        SignalName.CONCESSION,
        SignalName.POLITE_REQUEST,
    }
)
# An agent's reply is read for its tone toward the customer, never as a complaint.
AGENT_ONLY = frozenset({SignalName.HOSTILE_TONE})
SARCASM_SENTIMENT = -0.6  # "thanks for losing my luggage" is negative whatever its words
SARCASM_ANGER = 0.5
SARCASM_COMPLAINT = 0.7
SARCASM_SEVERITY = (0.0, 0.0, 1.0, 0.0, 0.0)
_NEUTRAL_EKMAN = {k: (1.0 if k == "neutral" else 0.0) for k in EKMAN_LABELS}
# The abuse head is trained class-balanced on Davidson et al.'s tweets, so its output assumes
# hate, offensive and neither are equally likely, and a polite "@user I'd like to assist you"
# came out 50% abusive. A support inbox is mostly civil: re-weight to these priors (Saerens et
# al. 2002 prior-shift correction); explicit insults still score high, and the lexical
# evidence (signals.py) is kept beside it as the floor.
ABUSE_PRIORS = np.asarray([0.01, 0.04, 0.95])  # hate, offensive, neither


@dataclass(frozen=True, slots=True)
class _Scores:
    """Head outputs of one message (or neutral defaults when the heads were not applied)."""

    ekman: dict[str, float]
    extra: dict[str, float]
    sentiment: float
    complaint: float
    severity_probs: tuple[float, ...]
    abuse: float
    topic: dict[str, float]


_NEUTRAL_SCORES = _Scores(
    _NEUTRAL_EKMAN, dict.fromkeys(EXTRA_EMOTIONS, 0.0), 0.0, 0.0, (1.0, 0, 0, 0, 0), 0.0, {}
)


class Analyzer:
    """The conflict analysis engine. Create once (loading verifies artefact hashes), reuse."""

    # A meaning-based guess of the cause where no cue fires (see accord.analysis.cause).
    cause_fallback: remedy.CauseFallback | None = None

    def __init__(
        self, heads: LinearHeads, taxonomy: Taxonomy | None = None, encoder: Cascade | None = None
    ) -> None:
        self.heads = heads
        self.taxonomy = taxonomy or Taxonomy.default()
        self.encoder = encoder  # the second stage for messages the heads are unsure about

    @classmethod
    def load(
        cls,
        models_dir: Path | None = None,
        taxonomy: Taxonomy | None = None,
        encoder: bool = False,
        encoder_threads: int = 1,
    ) -> Analyzer:
        heads = LinearHeads.load(models_dir or MODELS_DIR)
        if not encoder:
            return cls(heads, taxonomy)
        from accord.analysis.cascade import Cascade
        from accord.analysis.cause_head import CauseHead, EncoderCause

        analyzer = cls(heads, taxonomy, Cascade.load(heads, threads=encoder_threads))
        # A complaint whose sentence names no cause gets one from its meaning.
        head = CauseHead.load(models_dir or MODELS_DIR)
        analyzer.cause_fallback = EncoderCause(head, threads=encoder_threads)
        return analyzer

    def analyze(self, text: str, role: Role = "customer") -> MessageAnalysis:
        return self.analyze_batch([text], role)[0]

    def analyze_batch(
        self, texts: Sequence[str | None], roles: Role | Sequence[Role] = "customer"
    ) -> list[MessageAnalysis]:
        """Analyse many messages at once (the fast path: one matrix product per batch)."""
        role_list = [roles] * len(texts) if isinstance(roles, str) else list(roles)
        if len(role_list) != len(texts):
            raise ValueError("roles must be one role or one per text")
        bad = next((r for r in role_list if r not in ("customer", "agent")), None)
        if bad is not None:  # a typo ("Agent") would silently analyse an agent as a customer
            raise ValueError(f"role must be 'customer' or 'agent', not {bad!r}")
        preps = [prepare(t) for t in texts]
        figures = [figurative.read(p, r) for p, r in zip(preps, role_list, strict=True)]
        languages = [lang.detect(p.clean) for p in preps]
        # "und" (too few letters: empty, emoji-only) gets neutral scores, like non-English;
        # so does a message with nothing left to score ("lol" alone).
        english = [
            i
            for i, (tag, _) in enumerate(languages)
            if tag == lang.ENGLISH and _has_words(figures[i].scoring_text)
        ]
        scores = dict(
            zip(english, self._scores([figures[i].scoring_text for i in english]), strict=True)
        )
        self._weigh_main_clauses(figures, scores)
        deferred = _DeferredCauses()
        results = []
        for i, (p, r) in enumerate(zip(preps, role_list, strict=True)):
            deferred.index = i
            s = scores.get(i, _NEUTRAL_SCORES)
            results.append(self._compose(p, r, languages[i], s, figures[i], deferred))
        return self._resolve_causes(results, deferred)

    def _resolve_causes(
        self, results: list[MessageAnalysis], deferred: _DeferredCauses
    ) -> list[MessageAnalysis]:
        """The complaints no cue explained get the fallback's guess, asked for all at once: one
        encoder call per batch instead of one per complaint."""
        if self.cause_fallback is None or not deferred.asked:
            return results
        indices = list(deferred.asked)
        batch = getattr(self.cause_fallback, "batch", None)
        if batch is not None:
            guesses = batch([deferred.asked[i].clean for i in indices])
        else:
            guesses = [self.cause_fallback(deferred.asked[i], results[i].cause) for i in indices]
        for i, guess in zip(indices, guesses, strict=True):
            if guess in remedy.CAUSES:  # else the topic's cause stands, as cause() decides
                results[i] = replace(results[i], cause=str(guess))
        return results

    def _weigh_main_clauses(self, figures: list[Figures], scores: dict[int, _Scores]) -> None:
        """After a concession ("I know it's not your fault, but ..."), the main clause is
        scored on its own too and the more negative reading of the two is kept."""
        mains = [i for i in scores if figures[i].main_clause and _has_words(figures[i].main_clause)]
        clauses = self._scores([str(figures[i].main_clause) for i in mains])
        for i, main in zip(mains, clauses, strict=True):
            scores[i] = _more_negative(scores[i], main)

    def analyze_conversation(
        self, messages: Iterable[Message | Mapping[str, Any] | tuple[str, str]]
    ) -> ConversationAnalysis:
        """Messages in order, each a :class:`Message`, a ``{"role", "text"}`` dict or a pair."""
        turns = [_as_message(m) for m in messages]
        results = self.analyze_batch([t.text for t in turns], [t.role for t in turns])
        return conversation.summarise(results)

    def score_batch(self, batch: pa.RecordBatch, text_col: str = "text") -> pa.RecordBatch:
        from accord.analysis.batch import score_batch

        return score_batch(batch, analyzer=self, text_col=text_col)

    def _scores(self, texts: list[str]) -> list[_Scores]:
        if not texts:
            return []
        p = self.heads.predict(texts)
        if self.encoder is not None:
            p = self.encoder.refine(texts, p)
        ekman_thr = np.asarray(self.heads.heads["ekman"].thresholds or [0.5] * 7)
        # Thresholds tuned on dev say where each label "fires"; dividing by them puts labels on
        # a common scale before normalising to a distribution.
        ekman = p["ekman"] / ekman_thr * 0.5
        ekman = ekman / ekman.sum(axis=1, keepdims=True)
        shifted = p["abuse"] * ABUSE_PRIORS
        abuse = (shifted[:, 0] + shifted[:, 1]) / shifted.sum(axis=1)
        topic_labels = self.heads.heads["topic"].labels
        out = []
        for i in range(len(texts)):
            out.append(
                _Scores(
                    ekman=_named(EKMAN_LABELS, ekman[i]),
                    extra=_named(EXTRA_EMOTIONS, p["extra"][i]),
                    sentiment=round(float(p["sentiment"][i, 2] - p["sentiment"][i, 0]), 4),
                    complaint=round(float(p["complaint"][i, 1]), 4),
                    severity_probs=tuple(float(v) for v in p["severity"][i]),
                    abuse=round(float(abuse[i]), 4),
                    topic=_named(topic_labels, p["topic"][i]),
                )
            )
        return out

    def _compose(
        self,
        prep: Prepared,
        role: Role,
        language: tuple[str, bool],
        s: _Scores,
        fig: Figures,
        deferred: _DeferredCauses,
    ) -> MessageAnalysis:
        found = _signals_for(role, signals.detect(prep) + fig.signals)
        s = _as_spoken_by(role, s, fig.sarcastic)
        severity = _severity(s.complaint, s.severity_probs)
        topic_scores = self.taxonomy.score(prep.lower, s.topic, folded=prep.folded)
        topic, topic_cause = self.taxonomy.pick(topic_scores)
        conflict = s.complaint >= 0.5 or severity > 0
        cause, cause_ev = remedy.cause(
            prep,
            topic_cause,
            conflict,
            cues=self.taxonomy.cause_cues,
            fallback=deferred if self.cause_fallback is not None else None,
        )
        wanted, wanted_ev = remedy.remedy(prep) if role == "customer" else (None, ())
        abuse_sev = max((x.severity for x in found if x.name == SignalName.ABUSE), default=0)
        parts = heat_parts(
            HeatInputs(
                # An agent's heat is the reply's tone toward the customer (anger, shouting,
                # abuse, sarcasm, hostility), not the bad news it may have to carry.
                sentiment=s.sentiment if role == "customer" else 0.0,
                complaint_prob=s.complaint,
                severity=severity,
                anger=_anger(s, prep),
                # Capitals mean shouting only in English text (other scripts have no case,
                # and a product code such as "PS4" is not a raised voice).
                shout=shout_score(caps_ratio(prep.clean), prep.clean.count("!"))
                if language[0] == lang.ENGLISH
                else 0.0,
                abuse_severity=abuse_sev,
                signals=found,
                # Shouting a "please" is no calm request.
                calm_request=fig.calm_request
                and role == "customer"
                and caps_ratio(prep.clean) < 0.5,
            )
        )
        return MessageAnalysis(
            role=role,
            language=language[0],
            non_english=language[1],
            emotion=Emotion(s.ekman, s.extra),
            sentiment=s.sentiment,
            complaint_prob=s.complaint,
            severity=severity,
            signals=found,
            topic=topic,
            topic_scores=topic_scores,
            cause=cause,
            cause_evidence=cause_ev,
            remedy=wanted,
            remedy_evidence=wanted_ev,
            abuse=_abuse(s.abuse, found),
            abuse_severity=abuse_sev,
            heat=total(parts),
            truncated=prep.truncated,
            heat_parts=parts,
        )


def _has_words(text: str | None) -> bool:
    return bool(text) and any(c.isalpha() for c in str(text))


def _signals_for(role: Role, found: tuple[Signal, ...]) -> tuple[Signal, ...]:
    banned = CUSTOMER_ONLY if role == "agent" else AGENT_ONLY
    return tuple(sorted((x for x in found if x.name not in banned), key=lambda x: x.name))


def _as_spoken_by(role: Role, s: _Scores, sarcastic: bool) -> _Scores:
    """The head outputs as this speaker means them: an agent's reply is no complaint (its
    heat is its tone), and sarcasm's praise is anger."""
    if role == "agent":
        s = replace(s, complaint=0.0, severity_probs=(1.0, 0.0, 0.0, 0.0, 0.0))
    if sarcastic:
        extra = {**s.extra, "annoyance": max(s.extra["annoyance"], SARCASM_ANGER)}
        extra["gratitude"] = min(extra["gratitude"], 0.1)
        s = replace(
            s, sentiment=min(s.sentiment, SARCASM_SENTIMENT), extra=extra, ekman=_soured(s.ekman)
        )
        if role == "customer" and s.complaint < SARCASM_COMPLAINT:
            # The heads read praise, so their severity means nothing here: an indirect
            # grievance is "disapproval" on the Jin & Aletras scale.
            s = replace(s, complaint=SARCASM_COMPLAINT, severity_probs=SARCASM_SEVERITY)
    return s


def _soured(ekman: dict[str, float]) -> dict[str, float]:
    """Sarcastic joy is anger: the joy read from the words moves to anger."""
    out = {**ekman, "anger": ekman["anger"] + ekman["joy"], "joy": 0.0}
    return {k: round(v, 4) for k, v in out.items()}


def _more_negative(whole: _Scores, main: _Scores) -> _Scores:
    if main.sentiment >= whole.sentiment and main.complaint <= whole.complaint:
        return whole
    extra = {k: max(v, main.extra[k]) for k, v in whole.extra.items() if k != "gratitude"}
    extra["gratitude"] = min(whole.extra["gratitude"], main.extra["gratitude"])
    return replace(
        whole,
        sentiment=min(whole.sentiment, main.sentiment),
        complaint=max(whole.complaint, main.complaint),
        severity_probs=main.severity_probs
        if main.complaint > whole.complaint
        else whole.severity_probs,
        extra=extra,
    )


class _DeferredCauses:
    """Stands in for the cause fallback while a batch is composed: it notes which messages
    asked (and answers "no guess", so the topic's cause holds until the batch is resolved)."""

    def __init__(self) -> None:
        self.index = -1
        self.asked: dict[int, Prepared] = {}

    def __call__(self, prep: Prepared, topic_cause: str) -> str | None:
        self.asked[self.index] = prep
        return None


def _anger(s: _Scores, prep: Prepared) -> float:
    return max(
        s.ekman["anger"],
        s.extra["anger"],
        s.extra["annoyance"],
        0.7 * s.extra["disappointment"],
        0.8 if signals.angry_emoji(prep) else 0.0,  # emoji-only rage has no words to score
    )


def _named(labels: Sequence[str], row: FloatArray) -> dict[str, float]:
    return {label: round(float(v), 4) for label, v in zip(labels, row, strict=True)}


def _severity(complaint: float, probs: Sequence[float]) -> int:
    """0 unless the message is a complaint; then the likeliest of the four complaint levels."""
    if complaint < 0.5:
        return 0
    return 1 + int(np.argmax(probs[1:]))


def _abuse(head: float, found: tuple[Signal, ...]) -> float:
    lexical = max((x.confidence for x in found if x.name == SignalName.ABUSE), default=0.0)
    return round(max(head, lexical), 4)


def _as_message(m: Message | Mapping[str, Any] | tuple[str, str]) -> Message:
    if isinstance(m, Message):
        return m
    if isinstance(m, tuple):
        role, text = m
    else:
        role, text = m.get("role", "customer"), m.get("text", "")
    if role == "customer":
        return Message("customer", str(text or ""))
    if role == "agent":
        return Message("agent", str(text or ""))
    raise ValueError(f"role must be 'customer' or 'agent', not {role!r}")


def load_analyzer(
    packs: str = DEFAULT_PACK, *, encoder: bool = False, encoder_threads: int = 1
) -> Analyzer:
    """A shared analyzer with the shipped models and the taxonomy of ``packs`` (comma-separated
    pack names, as ``ACCORD_ANALYSIS_PACKS``), with the encoder cascade when ``encoder``
    (``ACCORD_ANALYSIS_ENCODER=on``). The engine reads no settings: the service or command
    that runs it passes them (docs/settings.md); the defaults are the library's."""
    return _loaded(parse_pack_names(packs), encoder, encoder_threads if encoder else 1)


@lru_cache(maxsize=4)
def _loaded(packs: tuple[str, ...], encoder: bool, encoder_threads: int) -> Analyzer:
    return Analyzer.load(
        taxonomy=Taxonomy.configured(packs), encoder=encoder, encoder_threads=encoder_threads
    )
