"""One analyzer for the whole folder: loading verifies artefact hashes, analysing is cheap."""

from __future__ import annotations

import pytest

from accord.analysis import Analyzer, MessageAnalysis, load_analyzer


@pytest.fixture(scope="session")
def analyzer() -> Analyzer:
    return load_analyzer()


def spans_index_text(text: str, result: MessageAnalysis) -> bool:
    """Every evidence span of ``result`` is exactly the slice of ``text`` it claims to be."""
    spans = [e for s in result.signals for e in s.evidence]
    spans += [*result.cause_evidence, *result.remedy_evidence]
    return all(0 <= e.start < e.end <= len(text) and text[e.start : e.end] == e.text for e in spans)
