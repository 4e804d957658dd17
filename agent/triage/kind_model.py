"""The learned comment-kind model: what a comment in a whole comment section is (question, chatter, spam,
complaint, praise), the first reading the action of a comment starts from.

Trained by `redreply train` on the labelled training sections (`evals/datasets/sections/train`, labels
written blind by a reader who never saw the rules): character 1–2-gram tf-idf → multinomial logistic
regression. Pure numpy at run time, loaded lazily and cached, like the other learned models.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
from pydantic import BaseModel

from agent.triage.learned import MODEL_DIR, ArtifactError, normalize, read_npz, tfidf

KIND_FILE = "kind.npz"
FORMAT_VERSION = 1
KINDS = ("question", "chatter", "spam", "complaint", "praise")
KEYS = ("format_version", "vocab", "idf", "weight", "intercept", "classes", "ngram")


class KindGuess(BaseModel):
    """The model's reading of one comment: its likeliest kind, how sure it is, and every kind's probability."""

    kind: str
    p: float
    scores: dict[str, float]


class KindModel:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        a = read_npz(self.path, KEYS)
        if int(a["format_version"]) != FORMAT_VERSION:
            raise ArtifactError(path, f"format {int(a['format_version'])}, expected {FORMAT_VERSION}")
        self.vocab: np.ndarray = a["vocab"]
        self.idf: np.ndarray = a["idf"]
        self.weight: np.ndarray = a["weight"]  # classes × vocabulary
        self.intercept: np.ndarray = a["intercept"]
        self.classes = [str(c) for c in a["classes"]]
        self.ngram = (int(a["ngram"][0]), int(a["ngram"][1]))
        k, v = len(self.classes), len(self.vocab)
        if self.idf.shape != (v,) or self.weight.shape != (k, v) or self.intercept.shape != (k,):
            raise ArtifactError(path, "corrupt (weights do not match the vocabulary and classes)")
        if not all(np.isfinite(x).all() for x in (self.idf, self.weight, self.intercept)):
            raise ArtifactError(path, "corrupt (non-finite numbers)")

    def proba(self, normalized: str) -> np.ndarray:
        """P(kind) of a normalised text, in `classes` order."""
        idx, vals = tfidf(normalized, self.ngram, self.vocab, self.idf)
        z = self.weight[:, idx] @ vals + self.intercept
        e = np.exp(z - z.max())
        return np.asarray(e / e.sum())

    def guess(self, text: str) -> KindGuess:
        p = self.proba(normalize(text))
        best = int(np.argmax(p))
        return KindGuess(kind=self.classes[best], p=round(float(p[best]), 4),
                         scores={c: round(float(x), 3) for c, x in zip(self.classes, p, strict=True)})


@lru_cache(maxsize=4)
def _load(path: Path) -> KindModel:
    return KindModel(path)


def load(model_dir: Path | None = None) -> KindModel:
    """The kind model of model_dir (default: the shipped one), cached; ArtifactError if unusable."""
    return _load(((model_dir or MODEL_DIR) / KIND_FILE).resolve())
