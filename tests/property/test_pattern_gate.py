"""The detectors' literal prefilter never rules out a pattern that matches, and the
apostrophes typists drop are optional in every pattern."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from accord.cases import reply_detectors
from accord.cases.reply_detectors import loose_apostrophes
from accord.coach import phrases
from accord.coach.patterns import practices, violations
from accord.core.needles import PatternSet, fold, needles

GROUPS = [
    group
    for module in (reply_detectors, phrases, practices, violations)
    for group in vars(module).values()
    if isinstance(group, tuple) and group and all(isinstance(p, re.Pattern) for p in group)
]
# Words the patterns are made of, so generated sentences often do match one.
WORDS = sorted(
    {w for g in GROUPS for p in g for w in re.findall(r"[a-z]{2,}", p.pattern) if len(w) < 12}
)


def test_nearly_every_pattern_has_needles() -> None:
    assert len(GROUPS) > 15
    patterns = [p for g in GROUPS for p in g]
    assert sum(needles(p) is not None for p in patterns) >= 0.9 * len(patterns)


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=6)), max_size=14),
    st.sampled_from(range(len(GROUPS))),
)
def test_the_needles_keep_every_pattern_that_matches(words: list[str], index: int) -> None:
    sentence = " ".join(words)
    group = PatternSet(GROUPS[index])
    kept = group.candidates(fold(sentence))
    assert [p for p in group.patterns if p.search(sentence)] == [
        p for p in kept if p.search(sentence)
    ]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(range(len(GROUPS))), st.text(max_size=60))
def test_a_loosened_pattern_matches_whatever_the_written_one_does(index: int, text: str) -> None:
    # Patterns are compiled loosened ("don'?t"); the written form must still be a subset.
    for pattern in GROUPS[index]:
        written = pattern.pattern.replace("'?", "'")
        if re.search(written, text, pattern.flags):
            assert pattern.search(text)


def test_apostrophes_in_character_classes_and_escapes_stay_as_written() -> None:
    assert loose_apostrophes(r"[\w'’-]+'s") == r"[\w'’-]+'?s"
    assert loose_apostrophes(r"\'t") == r"\'t"
    assert loose_apostrophes("we're|you're|we'll|i'd|don't") == "we're|you'?re|we'll|i'd|don'?t"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("aiIİıKkſsSßẞµμ '?-"), max_size=12))
def test_needles_meet_every_case_the_regex_engine_treats_as_one(text: str) -> None:
    for written in ("is", "KISS", "ß", "µ"):
        pattern = re.compile(re.escape(written) + "x?" + re.escape(written), re.IGNORECASE)
        if pattern.search(text):
            assert PatternSet([pattern]).candidates(fold(text)) == [pattern]
