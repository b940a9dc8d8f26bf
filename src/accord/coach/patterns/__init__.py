"""The coach's phrase patterns, as data: what a practice or a violation looks like in a reply.

English, case-insensitive unless a pattern says otherwise (``(?-i:...)``). Each group is a tuple
of compiled patterns that :mod:`accord.coach.phrases` runs sentence by sentence, gated by one
alternation of the whole group.
"""

from __future__ import annotations

import re

from accord.cases.playbook.detectors import loose_apostrophes

FLAGS = re.IGNORECASE


def compile_group(*patterns: str) -> tuple[re.Pattern[str], ...]:
    """Compiled case-insensitively, an apostrophe that typists drop made optional ("dont")."""
    return tuple(re.compile(loose_apostrophes(p), FLAGS) for p in patterns)
