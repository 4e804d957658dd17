"""The learned topic model: what a comment is about, read from its words as a whole, not from a word list.

Its classes: another trade's goods or services (`food`, `hotel`, `electronics`, `books`, named as in
knowledge/wording/trades.yaml), talk between people that is about no purchase at all (`talk`: debates and
chatter), or the kind of comment a brand's own section holds (`section`). Trained by
`agent/triage/training_topic.py` on public reviews of those trades, COLD's social-media comments and the
project's labelled training sections; character 1–2-gram tf-idf → multinomial logistic regression, pure numpy
at run time, loaded lazily and cached like the other learned models.

It is read only where the brand's own words are absent (`agent/triage/trade.py`): a comment naming the brand,
what it sells or its trade's goods is the brand's, whatever the model says.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
from pydantic import BaseModel

from agent.text import HAN_RE
from agent.triage.learned import MODEL_DIR, normalize, tfidf
from agent.triage.softmax_model import TextSoftmaxModel

TOPIC_FILE = "topic.npz"
TALK = "talk"
SECTION = "section"


class TopicGuess(BaseModel):
    """The model's reading of one comment: its likeliest topic and how sure it is."""

    topic: str
    p: float


class TopicModel(TextSoftmaxModel):
    def guess(self, text: str) -> TopicGuess:
        topic, p, _ = self.best(text)
        return TopicGuess(topic=topic, p=p)

    def evidence(self, text: str, topic: str) -> float:
        """How much the comment's weightiest word (a Chinese n-gram it holds) tells `topic` from every other class:
        a reading resting on punctuation or on words every class shares weighs little."""
        idx, vals = tfidf(normalize(text), self.ngram, self.vocab, self.idf)
        if topic not in self.classes or len(idx) == 0:
            return 0.0
        i = self.classes.index(topic)
        margin = (self.weight[i, idx] - np.delete(self.weight[:, idx], i, axis=0).max(axis=0)) * vals
        words = [all(HAN_RE.fullmatch(c) for c in str(self.vocab[j])) for j in idx]
        return max((float(m) for m, w in zip(margin, words, strict=True) if w), default=0.0)


@lru_cache(maxsize=4)
def _load(path: Path) -> TopicModel:
    return TopicModel(path)


def load(model_dir: Path | None = None) -> TopicModel:
    """The topic model of model_dir (default: the shipped one), cached; ArtifactError if unusable."""
    return _load(((model_dir or MODEL_DIR) / TOPIC_FILE).resolve())


@lru_cache(maxsize=2048)
def guess(text: str) -> TopicGuess:
    """The shipped model's reading of a comment (one comment is asked about by several steps: read once)."""
    return load().guess(text)


@lru_cache(maxsize=2048)
def evidence(text: str, topic: str) -> float:
    """The shipped model's `TopicModel.evidence` of a comment for a topic."""
    return load().evidence(text, topic)
