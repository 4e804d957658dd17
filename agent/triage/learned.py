"""The learned triage signals: offence and sentiment classifiers trained from public data (`redreply train`).

Each model is a character n-gram linear model exported to a small `.npz` (kept n-grams, idf, weights,
intercept, Platt calibration, operating threshold). Inference is pure numpy so the runtime never imports
scikit-learn or unpickles anything; it reproduces the training pipeline exactly (see `training.py`).
Models load lazily on first use and stay cached, so a cold start that never scores a comment pays nothing.
"""

from __future__ import annotations

import math
import unicodedata
import zipfile
import zlib
from functools import lru_cache
from pathlib import Path

import numpy as np
import opencc
from pydantic import BaseModel, Field

MODEL_DIR = Path(__file__).parent / "models"
OFFENCE_FILE = "offence.npz"
SENTIMENT_FILE = "sentiment.npz"
FORMAT_VERSION = 1
# Every array an artifact must hold; a missing one means a truncated or foreign file.
REQUIRED_KEYS = ("format_version", "vocab", "idf", "weight", "intercept", "platt", "threshold", "ngram")


class ArtifactError(Exception):
    """A model artifact is missing or unreadable: one line naming the file and how to rebuild it."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = " ".join(str(reason).split())  # one line, whatever the underlying error printed
        super().__init__(f"model artifact {self.path}: {self.reason}; rebuild it with `redreply train`")


class Scores(BaseModel):
    """Calibrated probabilities the triage shows the reviewer next to the rule signals."""

    offensive: float = Field(ge=0.0, le=1.0, description="P(offensive to a person or a group)")
    negative: float = Field(ge=0.0, le=1.0, description="P(negative / complaint)")


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def normalize(text: str) -> str:
    """The form both training and inference see: NFKC, Simplified, lower case, single spaces.

    NFKC first so text already folded by `agent.text.normalize_for_match` gives the same n-grams as raw text.
    """
    text = unicodedata.normalize("NFKC", text).replace("\x00", " ")
    return " ".join(str(_t2s().convert(text)).lower().split())


def char_ngrams(text: str, lo: int, hi: int) -> list[str]:
    """All character n-grams of length lo..hi of an already normalised text (the training analyzer too)."""
    grams: list[str] = []
    size = len(text)
    for n in range(lo, hi + 1):
        grams.extend(text[i : i + n] for i in range(size - n + 1))
    return grams


def tfidf(normalized: str, ngram: tuple[int, int], vocab: np.ndarray, idf: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The l2-normalised sublinear tf-idf of a normalised text as (vocabulary indices, values): sklearn's
    CountVectorizer + TfidfTransformer(sublinear_tf=True) over the kept n-grams."""
    grams = char_ngrams(normalized, *ngram)
    if not grams or not vocab.size:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    keys, counts = np.unique(np.array(grams, dtype=str), return_counts=True)
    pos = np.minimum(np.searchsorted(vocab, keys), vocab.size - 1)
    known = vocab[pos] == keys
    idx = pos[known]
    vec = (1.0 + np.log(counts[known])) * idf[idx]
    norm = math.sqrt(float(vec @ vec))
    return (idx, vec / norm) if norm else (idx[:0], vec[:0])


class Classifier:
    """One exported binary model: sublinear tf-idf over kept n-grams → linear score → Platt probability."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        arrays = read_npz(self.path)
        _check_arrays(self.path, arrays)
        self.ngram: tuple[int, int] = (int(arrays["ngram"][0]), int(arrays["ngram"][1]))
        self.idf: np.ndarray = arrays["idf"]
        self.weight: np.ndarray = arrays["weight"]
        self.intercept = float(arrays["intercept"])
        self.platt_a, self.platt_b = (float(x) for x in arrays["platt"])
        self.threshold = float(arrays["threshold"])
        self.vocab: np.ndarray = arrays["vocab"]  # sorted: looked up by binary search, no dict to build on load

    def decision(self, normalized: str) -> float:
        """The linear score of a normalised text, equal to sklearn's `decision_function`."""
        idx, vec = tfidf(normalized, self.ngram, self.vocab, self.idf)
        return float(vec @ self.weight[idx]) + self.intercept

    def proba_normalized(self, normalized: str) -> float:
        """Calibrated probability of an already normalised text (skips normalising twice in `score`)."""
        z = self.platt_a * self.decision(normalized) + self.platt_b
        return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))

    def proba(self, text: str) -> float:
        """Calibrated probability of the positive class (offensive, or negative) for raw text."""
        return self.proba_normalized(normalize(text))

    def flags(self, text: str) -> bool:
        """Whether the probability reaches the operating threshold chosen on the dev set."""
        return self.proba(text) >= self.threshold


def read_npz(path: Path, required: tuple[str, ...] = REQUIRED_KEYS) -> dict[str, np.ndarray]:
    """The `required` arrays of an artifact, or ArtifactError: a half-written file must not score silently."""
    if not path.is_file():
        raise ArtifactError(path, "missing")
    try:
        with path.open("rb") as f:
            if f.read(4) != b"PK\x03\x04":  # np.load would otherwise try other formats, pickle included
                raise ArtifactError(path, "corrupt (not an .npz archive)")
        with np.load(path, allow_pickle=False) as data:
            missing = [k for k in required if k not in data.files]
            if missing:
                raise ArtifactError(path, f"corrupt (no {', '.join(missing)})")
            arrays = {k: data[k] for k in required}
    except ArtifactError:
        raise
    except (OSError, ValueError, EOFError, KeyError, zipfile.BadZipFile, zlib.error) as e:
        raise ArtifactError(path, f"corrupt or truncated ({type(e).__name__}: {e})") from e
    return arrays


def _check_arrays(path: Path, a: dict[str, np.ndarray]) -> None:
    """Shapes, kinds and finiteness agree with what `training.py` writes."""
    if int(a["format_version"]) != FORMAT_VERSION:
        raise ArtifactError(path, f"format {int(a['format_version'])}, expected {FORMAT_VERSION}")
    n = a["vocab"].shape[0] if a["vocab"].ndim == 1 else -1
    problems = [
        a["vocab"].dtype.kind != "U" and "vocab is not text",
        (a["idf"].shape != (n,) or a["weight"].shape != (n,)) and "idf/weight do not match the vocabulary",
        (a["platt"].shape != (2,) or a["ngram"].shape != (2,)) and "bad calibration or n-gram range",
        (a["intercept"].size != 1 or a["threshold"].size != 1) and "bad intercept or threshold",
    ]
    problems = [p for p in problems if p]
    if not problems and n > 1 and not bool(np.all(a["vocab"][1:] > a["vocab"][:-1])):
        problems = ["vocab is not sorted"]
    if not problems and not all(
        np.isfinite(a[k]).all() for k in ("idf", "weight", "intercept", "platt", "threshold")
    ):
        problems = ["non-finite numbers"]
    if problems:
        raise ArtifactError(path, f"corrupt ({'; '.join(str(p) for p in problems)})")


@lru_cache(maxsize=4)
def _models(model_dir: Path) -> tuple[Classifier, Classifier]:
    """Both models of a folder, loaded once; a failed load is not cached, so a rebuilt file is picked up."""
    return Classifier(model_dir / OFFENCE_FILE), Classifier(model_dir / SENTIMENT_FILE)


def load(model_dir: Path | None = None) -> tuple[Classifier, Classifier]:
    """(offence, sentiment) classifiers of model_dir (default: the shipped ones), cached."""
    return _models((model_dir or MODEL_DIR).resolve())


def score(text: str, model_dir: Path | None = None) -> Scores:
    """Offence and sentiment probabilities of one comment, for the triage and the reviewer."""
    offence, sentiment = load(model_dir)
    normalized = normalize(text)
    return Scores(offensive=offence.proba_normalized(normalized), negative=sentiment.proba_normalized(normalized))
