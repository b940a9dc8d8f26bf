"""The detectors' alternation gate skips exactly the sentences that no pattern matches."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from accord.cases import reply_detectors
from accord.cases.reply_detectors import any_of
from accord.coach import phrases
from accord.coach.patterns import practices, violations

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


def test_every_detector_group_gets_a_gate() -> None:
    assert len(GROUPS) > 15
    assert all(any_of(group) is not None for group in GROUPS)


def test_patterns_with_different_flags_get_no_gate() -> None:
    assert any_of((re.compile("a"), re.compile("b", re.IGNORECASE))) is None


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=6)), max_size=14),
    st.sampled_from(range(len(GROUPS))),
)
def test_the_gate_matches_exactly_when_some_pattern_does(words: list[str], index: int) -> None:
    sentence = " ".join(words)
    group = GROUPS[index]
    gate = any_of(group)
    assert gate is not None
    assert bool(gate.search(sentence)) == any(p.search(sentence) for p in group)
