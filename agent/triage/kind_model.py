"""The learned comment-kind model: what a comment in a whole comment section is (question, chatter, spam,
complaint, praise), the first reading the action of a comment starts from.

Trained by `redreply train` on the labelled training sections (`evals/datasets/sections/train`, labels
written blind by a reader who never saw the rules): character 1–2-gram tf-idf → multinomial logistic
regression. Pure numpy at run time, loaded lazily and cached, like the other learned models.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel

from agent.triage.learned import MODEL_DIR
from agent.triage.softmax_model import TextSoftmaxModel

KIND_FILE = "kind.npz"
KINDS = ("question", "chatter", "spam", "complaint", "praise")


class KindGuess(BaseModel):
    """The model's reading of one comment: its likeliest kind, how sure it is, and every kind's probability."""

    kind: str
    p: float
    scores: dict[str, float]


class KindModel(TextSoftmaxModel):
    def guess(self, text: str) -> KindGuess:
        kind, best, p = self.best(text)
        return KindGuess(kind=kind, p=best, scores={c: round(float(x), 3) for c, x in zip(self.classes, p, strict=True)})


@lru_cache(maxsize=4)
def _load(path: Path) -> KindModel:
    return KindModel(path)


def load(model_dir: Path | None = None) -> KindModel:
    """The kind model of model_dir (default: the shipped one), cached; ArtifactError if unusable."""
    return _load(((model_dir or MODEL_DIR) / KIND_FILE).resolve())
