"""Sparse text features shared by training and inference.

The same :func:`extract` turns text into feature strings when a head is trained (as the analyzer
of scikit-learn's ``TfidfVectorizer``) and when it is applied (looked up in the shipped
vocabulary), so a shipped head sees exactly the features it was fitted on. Features: word
unigrams, word bigrams and character 3-5-grams inside word boundaries (robust to the typos,
elongations and creative spelling of angry customers).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

FEATURE_CHARS = 1000  # heads see the start of a message; longer text adds cost, not signal
CHAR_NGRAMS = (3, 4, 5)
_URL = re.compile(r"https?://\S+|www\.\S+")
_MENTION = re.compile(r"@\w+")
_DIGIT = re.compile(r"\d")
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)?|[!?]|[^\w\s.,;:()\[\]\"'/\\\-*&%$#+=<>|`~^]")
_ELONG = re.compile(r"(.)\1{2,}")
_CACHE_LIMIT = 200_000  # distinct tokens kept; Zipf makes the hit rate high long before this


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens; URLs, user handles and digits are folded to placeholders."""
    low = text[:FEATURE_CHARS].lower()
    if "http" in low or "www." in low:
        low = _URL.sub(" xurlx ", low)
    if "@" in low:
        low = _MENTION.sub(" xuserx ", low)
    low = _DIGIT.sub("0", low)
    low = _ELONG.sub(r"\1\1", low)  # "sooooo" and "soo" are the same word
    return _TOKEN.findall(low)


def token_features(tok: str) -> list[str]:
    """The token itself and its character n-grams (with ``#`` marking the word edges)."""
    feats = [tok]
    if 2 <= len(tok) <= 20:
        padded = f"#{tok}#"
        size = len(padded)
        for n in CHAR_NGRAMS:
            feats.extend(padded[i : i + n] for i in range(size - n + 1))
    return feats


def extract(text: str) -> list[str]:
    """Feature strings of one text (with repeats: term frequency matters)."""
    toks = tokens(text)
    feats: list[str] = []
    for tok in toks:
        feats.extend(token_features(tok))
    feats.extend([f"{a} {b}" for a, b in itertools.pairwise(toks)])
    return feats


Csr = tuple[npt.NDArray[np.int64], npt.NDArray[np.float32], npt.NDArray[np.int64]]


class Vectorizer:
    """TF-IDF over a fixed vocabulary (sublinear tf, l2 norm), matching scikit-learn's.

    Per-token feature ids are cached: words repeat so much across messages that most of the
    character n-gram work is done once per distinct word, not once per occurrence.
    """

    def __init__(self, vocabulary: Mapping[str, int], idf: npt.NDArray[np.float32]) -> None:
        self.vocabulary = dict(vocabulary)
        self.idf = idf.astype(np.float32)
        self._cache: dict[str, list[int]] = {}

    def _token_ids(self, tok: str) -> list[int]:
        ids = self._cache.get(tok)
        if ids is None:
            vocab = self.vocabulary
            ids = [i for i in map(vocab.get, token_features(tok)) if i is not None]
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
            self._cache[tok] = ids
        return ids

    def ids(self, text: str) -> list[int]:
        """Vocabulary ids of every feature occurrence in ``text``."""
        toks = tokens(text)
        out: list[int] = []
        for tok in toks:
            out.extend(self._token_ids(tok))
        vocab = self.vocabulary
        for a, b in itertools.pairwise(toks):
            i = vocab.get(f"{a} {b}")
            if i is not None:
                out.append(i)
        return out

    def row(self, text: str) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
        """Column indices and l2-normalised tf-idf values of one text."""
        idx, val, _indptr = self.rows([text])
        return idx, val

    def rows(self, texts: Sequence[str]) -> Csr:
        """CSR-style (indices, values, indptr) for many texts, columns ascending in each row.

        Counting, weighting and normalising are done once for the whole batch in numpy: per
        text, the Python-level work is only finding the feature ids."""
        id_lists = [self.ids(t) for t in texts]
        lengths = np.fromiter(map(len, id_lists), np.int64, len(id_lists))
        flat = np.fromiter(itertools.chain.from_iterable(id_lists), np.int64, int(lengths.sum()))
        width = len(self.idf)
        doc = np.repeat(np.arange(len(id_lists), dtype=np.int64), lengths)
        keys, counts = np.unique(doc * width + flat, return_counts=True)
        row_of, idx = np.divmod(keys, width)
        val = ((1.0 + np.log(counts)) * self.idf[idx]).astype(np.float32)
        norms = np.sqrt(np.bincount(row_of, weights=val * val, minlength=len(id_lists)))
        norm = norms[row_of]
        val = np.where(norm > 0, val / np.where(norm > 0, norm, 1.0), val).astype(np.float32)
        indptr = np.zeros(len(id_lists) + 1, np.int64)
        indptr[1:] = np.cumsum(np.bincount(row_of, minlength=len(id_lists)))
        return idx.astype(np.int64), val, indptr
