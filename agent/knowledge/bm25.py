"""Character-bigram BM25 for Chinese (which has no spaces between words).

Text is folded first (NFKC, lower case, Simplified via OpenCC), then split into runs of Han characters
and runs of ASCII letters/digits. A Han run gives its overlapping bigrams (a lone character gives
itself); an ASCII run is one term ("spf50", "yyds"). Small and pure Python + numpy: the knowledge base
is a few hundred chunks, so an inverted index of numpy arrays scores a query in well under a millisecond.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

from agent.text import HAN, HAN_RE, normalize_for_match

_RUNS = re.compile(rf"[{HAN}]+|[a-z0-9]+(?:[.+][a-z0-9]+)*")


def tokenize(text: str) -> list[str]:
    """Han bigrams plus ASCII words of the folded text, in order (repeats kept, for term frequency)."""
    s = normalize_for_match(text)
    terms: list[str] = []
    for run in _RUNS.findall(s):
        if HAN_RE.match(run):
            if len(run) == 1:
                terms.append(run)
            else:
                terms.extend(run[i : i + 2] for i in range(len(run) - 1))
        else:
            terms.append(run)
    return terms


class BM25:
    """Okapi BM25 over a fixed list of documents; `scores(query)` gives one score per document."""

    def __init__(self, documents: Sequence[str], k1: float = 1.2, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self.n = len(documents)
        counts = [Counter(tokenize(d)) for d in documents]
        lengths = np.array([sum(c.values()) for c in counts], dtype=np.float32)
        self.avgdl = float(lengths.mean()) if self.n and lengths.sum() else 1.0
        # One flat (term, document, tf) table scored in a single numpy pass: per-term numpy calls made
        # building the index the slowest step of `redreply draft`'s cold start.
        vocabulary: dict[str, int] = {}
        rows_term: list[int] = []
        rows_doc: list[int] = []
        rows_tf: list[int] = []
        for i, c in enumerate(counts):
            for term, count in c.items():
                rows_term.append(vocabulary.setdefault(term, len(vocabulary)))
                rows_doc.append(i)
                rows_tf.append(count)
        terms = np.asarray(rows_term, dtype=np.int64)
        docs = np.asarray(rows_doc, dtype=np.int32)
        freq = np.asarray(rows_tf, dtype=np.float32)
        df = np.bincount(terms, minlength=len(vocabulary))
        idf = np.log(1.0 + (self.n - df + 0.5) / (df + 0.5)).astype(np.float32)
        norm = k1 * (1.0 - b + b * lengths / self.avgdl)
        # term -> (document indices, precomputed idf * tf*(k1+1) / (tf + k1*(1-b+b*dl/avgdl)))
        weights = (idf[terms] * freq * (k1 + 1.0) / (freq + norm[docs])).astype(np.float32)
        order = np.argsort(terms, kind="stable")  # documents stay in order within a term
        # term -> its slice of (document indices, precomputed weights), cut at query time: a dict of
        # tens of thousands of array slices took ~0.1 s of `redreply draft`'s cold start to build.
        self._vocabulary = vocabulary
        self._docs, self._weights = docs[order], weights[order]
        self._ends = np.cumsum(df)
        self._starts = self._ends - df

    def __len__(self) -> int:
        return self.n

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every document for the query (0 where no term matches)."""
        out = np.zeros(self.n, dtype=np.float32)
        for term in set(tokenize(query)):
            t = self._vocabulary.get(term)
            if t is not None:
                start, end = self._starts[t], self._ends[t]
                out[self._docs[start:end]] += self._weights[start:end]
        return out

    def rank(self, query: str, mask: np.ndarray | None = None, limit: int | None = None) -> list[int]:
        """Indices of the matching documents (score > 0, within `mask`), best first."""
        s = self.scores(query)
        if mask is not None:
            s = np.where(mask, s, 0.0)
        hits = np.flatnonzero(s > 0)
        order = hits[np.argsort(-s[hits], kind="stable")]
        return [int(i) for i in (order if limit is None else order[:limit])]
