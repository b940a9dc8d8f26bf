"""The literal prefilter: what a pattern needs before the regex engine is worth running."""

from __future__ import annotations

import re

import pytest

from accord.core.needles import PatternSet, fold, needles


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"\b(?:i|we)\s+understand\s+how\b", {"understand"}),
        (r"\b(?:refund|replacement)\s+or\s+credit\b", {"credit"}),
        # re's parser factors the shared "re" out of the branches: what is left is rarer.
        (r"\b(?:refund|replace)\w*", {"fund", "place"}),
        (r"don'?t\s+hesitate", {"hesitate"}),
        (r"(?-i:THANKS|Thanks)\b", {"hanks"}),
        (r"(?:sorry)+", {"sorry"}),
    ],
)
def test_the_needles_are_the_most_selective_literals(pattern: str, expected: set[str]) -> None:
    assert needles(re.compile(pattern, re.IGNORECASE)) == expected


@pytest.mark.parametrize(
    "pattern",
    [r"\b[A-Z]{3,}\b", r"(?:sorry)?\s+\w+", r"(?:refund|\d+)", r"a\s+b", r"(?x) refund"],
)
def test_a_pattern_that_needs_no_literal_is_always_run(pattern: str) -> None:
    assert needles(re.compile(pattern)) is None
    group = PatternSet([re.compile(pattern)])
    assert group.candidates(fold("nothing alike")) == list(group.patterns)


def test_candidates_keep_the_patterns_order_and_drop_only_impossible_ones() -> None:
    group = PatternSet(re.compile(p, re.IGNORECASE) for p in ("refund", "credit", r"\d+", "sorry"))
    folded = fold("Sorry, a REFUND of 12")
    assert [p.pattern for p in group.candidates(folded)] == ["refund", r"\d+", "sorry"]
