"""Literal prefilters for regular expressions: what text must contain before a pattern can match.

Python's ``re`` tries every alternative of a pattern such as ``\\b(?:we|i)\\s+understand`` at
every position of the text, so a detector of forty such patterns costs forty scans per sentence,
and joining them into one alternation saves almost nothing. But nearly every phrase pattern
requires some literal ("understand"): a substring test (one C-level scan each) rules most
patterns out before the regex engine runs. :func:`needles` reads the pattern's parse tree and
returns a set of casefolded strings, one of which occurs in any text the pattern matches, or
``None`` when it cannot say (the pattern is then always run); :class:`PatternSet` indexes a
group of patterns by them.

The parse tree comes from ``re._parser``, the standard library's own parser (private, stable
since Python 3.11); if it ever changes shape, :func:`needles` returns ``None`` and patterns
are simply always searched.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import ahocorasick

try:  # Python 3.11+: the parser behind re.compile, and its extra case-insensitive pairs
    from re import _casefix, _parser  # type: ignore[attr-defined]
    from re import _constants as _c  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - a Python that moved them: no prefilter, same results
    _parser = _c = _casefix = None

__all__ = ["PatternSet", "fold", "needles"]

Needles = frozenset[str]


def _extra_cases() -> dict[int, int]:
    # Letters that re's IGNORECASE treats as one beyond what casefold() does ("ı" and "i",
    # "ſ" and "s"): each mapped to one of its class, so a folded needle meets them all.
    table: dict[int, int] = {}
    for code, extras in getattr(_casefix, "_EXTRA_CASES", {}).items():
        group = (code, *extras)
        for member in group:
            table[member] = min(group)
    return table


_EXTRA = _extra_cases()
_DOTTED_I = {0x130: "i"}


@lru_cache(maxsize=512)  # a draft's sentences are folded once for all the detectors
def fold(text: str) -> str:
    """``text`` as needles are compared with it: casefolded, re's extra case pairs merged.
    "İ" first becomes "i": re reads it as "i" while casefold() makes it two characters."""
    return text.translate(_DOTTED_I).casefold().translate(_EXTRA)


def needles(pattern: re.Pattern[str]) -> Needles | None:
    """Casefolded strings one of which is in every text ``pattern`` matches (``None``: unknown)."""
    if _parser is None or pattern.flags & re.VERBOSE:
        return None
    try:
        found = _sequence(list(_parser.parse(pattern.pattern, pattern.flags)))
    except Exception:  # a tree of another shape just means no prefilter
        return None
    if not found or min(len(n) for n in found) < 2:
        return None  # a one-letter needle is in almost every sentence: not worth a check
    return found


def _sequence(items: list[tuple[object, Any]]) -> Needles | None:
    """The most selective requirement among a sequence's parts: a run of literals, or the
    requirement of one of its mandatory sub-parts."""
    best: Needles | None = None
    run: list[str] = []

    def consider(candidate: Needles | None) -> None:
        nonlocal best
        if candidate and (best is None or _selectivity(candidate) > _selectivity(best)):
            best = candidate

    for op, av in items:
        if op is _c.LITERAL:
            run.append(chr(av))
            continue
        consider(frozenset({fold("".join(run))}) if run else None)
        run = []
        consider(_element(op, av))
    consider(frozenset({fold("".join(run))}) if run else None)
    return best


def _element(op: object, av: Any) -> Needles | None:
    # The argument's shape depends on the op (re._parser's own convention).
    if op is _c.SUBPATTERN:
        *_, body = av
        return _sequence(list(body))
    if op is _c.BRANCH:
        return _union(_sequence(list(branch)) for branch in av[1])
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
        low, _high, body = av
        return _sequence(list(body)) if low >= 1 else None
    if op is _c.ATOMIC_GROUP:
        return _sequence(list(av))
    return None  # classes, anchors, look-arounds, references: no literal is promised


def _union(parts: Iterable[Needles | None]) -> Needles | None:
    out: set[str] = set()
    for part in parts:
        if not part:
            return None  # one branch needs nothing: the alternation needs nothing
        out |= part
    return frozenset(out)


def _selectivity(candidate: Needles) -> tuple[int, int]:
    # The shortest needle decides how often the check passes; fewer needles break ties.
    return (min(len(n) for n in candidate), -len(candidate))


class PatternSet:
    """Patterns indexed by their needles: :meth:`candidates` are the ones that may match a
    text, found with one substring test per needle instead of one regex search per pattern."""

    __slots__ = ("_always", "_automaton", "patterns")

    def __init__(self, patterns: Iterable[re.Pattern[str]]) -> None:
        self.patterns = tuple(patterns)
        self._always: list[int] = []  # patterns with no needle are always run
        by_needle: dict[str, list[int]] = {}
        for i, pattern in enumerate(self.patterns):
            found = needles(pattern)
            if found is None:
                self._always.append(i)
            for needle in found or ():
                by_needle.setdefault(needle, []).append(i)
        # One Aho-Corasick pass finds every needle in the text (overlaps included), instead
        # of one substring scan per needle: hundreds of needles cost one scan.
        self._automaton: Any = ahocorasick.Automaton()
        for needle, indices in by_needle.items():
            self._automaton.add_word(needle, tuple(indices))
        if by_needle:
            self._automaton.make_automaton()

    def candidate_indices(self, folded: str) -> list[int]:
        """Where in :attr:`patterns` the ones that may match the text whose :func:`fold` is
        ``folded`` stand, in order."""
        hits = set(self._always)
        if self._automaton.kind == ahocorasick.AHOCORASICK:
            for _end, indices in self._automaton.iter(folded):
                hits.update(indices)
        return sorted(hits)

    def candidates(self, folded: str) -> list[re.Pattern[str]]:
        """The patterns that may match the text whose :func:`fold` is ``folded``, in order."""
        return [self.patterns[i] for i in self.candidate_indices(folded)]
