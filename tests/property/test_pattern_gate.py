"""The literal prefilter never rules out a pattern that matches, and the apostrophes typists drop
are optional in every pattern without narrowing it. Texts are drawn from each pattern itself
(``st.from_regex``), then re-cased, dotted, curled: each example is one the pattern matches."""

from __future__ import annotations

import re
from collections.abc import Callable

from hypothesis import given, settings
from hypothesis import strategies as st

from accord.analysis.signals import RULES
from accord.cases.playbook import detectors as reply_detectors
from accord.cases.playbook.detectors import loose_apostrophes
from accord.coach import phrases
from accord.coach.patterns import practices, violations
from accord.core.needles import PatternSet, fold, needles

GROUPS = [
    group
    for module in (reply_detectors, phrases, practices, violations)
    for group in vars(module).values()
    if isinstance(group, tuple) and group and all(isinstance(p, re.Pattern) for p in group)
]
PATTERNS = list({id(p): p for g in GROUPS for p in g}.values()) + [r.pattern for r in RULES]
# What typing does to a phrase: case, the Turkish dotted and dotless i, the long s, curly quotes.
MUTATIONS: list[Callable[[str], str]] = [
    lambda t: t,
    str.upper,
    str.title,
    str.swapcase,
    lambda t: t.replace("i", "İ"),
    lambda t: t.replace("I", "ı").replace("i", "ı"),
    lambda t: t.replace("s", "ſ"),
    lambda t: t.replace("'", "’"),
]


def test_nearly_every_pattern_has_needles() -> None:
    assert len(GROUPS) > 15 and len(PATTERNS) > 300
    assert sum(needles(p) is not None for p in PATTERNS) >= 0.9 * len(PATTERNS)


@settings(max_examples=1500, deadline=None)
@given(st.data(), st.sampled_from(range(len(PATTERNS))), st.sampled_from(MUTATIONS))
def test_the_needles_keep_every_pattern_that_matches(
    data: st.DataObject, index: int, mutate: Callable[[str], str]
) -> None:
    pattern = PATTERNS[index]
    text = mutate(data.draw(st.from_regex(pattern)))
    if pattern.search(text):
        assert PatternSet([pattern]).candidates(fold(text)) == [pattern], (pattern.pattern, text)


@settings(max_examples=500, deadline=None)
@given(st.data(), st.sampled_from(range(len(PATTERNS))))
def test_a_loosened_pattern_matches_whatever_the_written_one_does(
    data: st.DataObject, index: int
) -> None:
    pattern = PATTERNS[index]
    written = re.compile(pattern.pattern.replace("'?", "'"), pattern.flags)
    assert pattern.search(data.draw(st.from_regex(written)))


def test_the_dotted_capital_i_is_an_i_to_the_needles_as_to_the_regex_engine() -> None:
    pattern = re.compile(r"\bdon'?t\s+hesitate\b", re.IGNORECASE)
    for text in ("Don't hesİtate", "DON'T HESİTATE", "don't hesıtate", "DON'T HEſITATE"):
        assert pattern.search(text)
        assert PatternSet([pattern]).candidates(fold(text)) == [pattern]


def test_apostrophes_stay_as_written_in_classes_escapes_and_look_arounds() -> None:
    assert loose_apostrophes(r"[\w'’-]+'s") == r"[\w'’-]+'?s"
    assert loose_apostrophes(r"\'t") == r"\'t"
    assert loose_apostrophes("we're|you're|we'll|i'd|don't") == "we're|you'?re|we'll|i'd|don'?t"
    assert loose_apostrophes(r"you(?:'re|\s+are)") == r"you(?:'?re|\s+are)"
    assert loose_apostrophes(r"[]'s]x's") == r"[]'s]x'?s"
    for pattern in (r"(?<=it's\s)x", r"(?<!n't\s)x", r"y(?!\s+don't)"):
        assert loose_apostrophes(pattern) == pattern
        re.compile(loose_apostrophes(pattern))
