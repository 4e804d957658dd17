"""A learned model shipped as character n-gram tf-idf weights for a multinomial logistic regression (the
comment-kind and situation models): reading its artifact, checking it, and the n-gram part of its logits."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from agent.triage.learned import ArtifactError, normalize, read_npz, tfidf

FORMAT_VERSION = 1
BASE_KEYS = ("format_version", "vocab", "idf", "weight", "intercept", "classes", "ngram")


class SoftmaxModel:
    """`extra_keys`: further arrays the artifact carries (read into `arrays`); `extra_columns`: the weights
    hold more columns than the vocabulary (a model that also reads an embedding)."""

    def __init__(self, path: Path, extra_keys: Sequence[str] = (), extra_columns: bool = False) -> None:
        self.path = Path(path)
        a = read_npz(self.path, (*BASE_KEYS, *extra_keys))
        if int(a["format_version"]) != FORMAT_VERSION:
            raise ArtifactError(path, f"format {int(a['format_version'])}, expected {FORMAT_VERSION}")
        self.arrays = a
        self.vocab: np.ndarray = a["vocab"]
        self.idf: np.ndarray = a["idf"]
        self.weight: np.ndarray = a["weight"]  # classes × vocabulary (+ embedding dims)
        self.intercept: np.ndarray = a["intercept"]
        self.classes = [str(c) for c in a["classes"]]
        self.ngram = (int(a["ngram"][0]), int(a["ngram"][1]))
        k, v = len(self.classes), len(self.vocab)
        width_ok = self.weight.ndim == 2 and (self.weight.shape[1] > v if extra_columns else self.weight.shape[1] == v)
        if self.idf.shape != (v,) or not width_ok or self.weight.shape[0] != k or self.intercept.shape != (k,):
            raise ArtifactError(path, "corrupt (weights do not match the vocabulary and classes)")
        if not all(np.isfinite(x).all() for x in (self.idf, self.weight, self.intercept)):
            raise ArtifactError(path, "corrupt (non-finite numbers)")

    def ngram_logits(self, normalized: str) -> np.ndarray:
        """The n-gram part of the logits of a normalised text (the intercept not yet added)."""
        idx, vals = tfidf(normalized, self.ngram, self.vocab, self.idf)
        return np.asarray(self.weight[:, idx] @ vals)


class TextSoftmaxModel(SoftmaxModel):
    """A model that reads the comment's words alone (the comment-kind and topic models)."""

    def proba(self, normalized: str) -> np.ndarray:
        """P(class) of a normalised text, in `classes` order."""
        return softmax(self.ngram_logits(normalized) + self.intercept)

    def best(self, text: str) -> tuple[str, float, np.ndarray]:
        """The likeliest class of a raw comment, its probability (rounded) and every class's."""
        p = self.proba(normalize(text))
        i = int(np.argmax(p))
        return self.classes[i], round(float(p[i]), 4), p


def softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max())
    return np.asarray(e / e.sum())
