"""One regular expression for many literal phrases, factored by their common prefixes.

Python's ``re`` tries the alternatives of ``\\b(?:refund|refunded|replace|...)\\b`` one after
another at every position of the text. Written as a trie (``re(?:fund(?:ed)?|place)``), one
character rules a whole branch out: the packs' keyword lists score a fifth to a third faster.
It matches exactly what the plain alternation sorted longest first matches: the optional tails
are greedy, so the longest phrase that fits is tried first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_Trie = dict[str, "_Trie"]
_END = ""


def alternation(phrases: Iterable[str]) -> str:
    """A regex (no anchors, no outer group needed) matching any of ``phrases`` literally."""
    trie: _Trie = {}
    for phrase in phrases:
        node = trie
        for ch in phrase:
            node = node.setdefault(ch, {})
        node[_END] = {}
    return _branch(trie)


def _branch(node: _Trie) -> str:
    parts = [re.escape(ch) + _branch(child) for ch, child in sorted(node.items()) if ch != _END]
    if not parts:
        return ""
    body = parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
    return f"(?:{body})?" if _END in node else body
