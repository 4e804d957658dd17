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

from pydantic import BaseModel

from agent.triage.learned import MODEL_DIR
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
