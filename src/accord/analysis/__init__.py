"""Conflict analysis engine: pure (no db, web or jobs imports), offline, CPU-only.

    from accord.analysis import load_analyzer
    analyzer = load_analyzer()            # loads and hash-checks the shipped models once
    analyzer.analyze("I want a refund NOW", role="customer").to_dict()

See docs/analysis.md for every output, the heat formula and the evaluation figures.
"""

from __future__ import annotations

from accord.analysis.analyzer import Analyzer, load_analyzer
from accord.analysis.batch import output_schema, score_batch
from accord.analysis.taxonomy import Taxonomy, Topic
from accord.analysis.types import (
    ConversationAnalysis,
    Emotion,
    Message,
    MessageAnalysis,
    Signal,
    Span,
)

__all__ = [
    "Analyzer",
    "ConversationAnalysis",
    "Emotion",
    "Message",
    "MessageAnalysis",
    "Signal",
    "Span",
    "Taxonomy",
    "Topic",
    "load_analyzer",
    "output_schema",
    "score_batch",
]
