"""Reading training files (JSON lines, a malformed one reported as `file:line: reason` and skipped) and
writing the artifacts the runtime reads, checked against the sklearn model they came from."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from agent.triage import softmax_model

# The most the numpy runtime may differ from sklearn on any probability: more means the export is wrong.
PARITY_TOLERANCE = 1e-6


def json_rows(path: Path, warn: Callable[[str], None]) -> Iterator[tuple[int, Any]]:
    """(line number, parsed row) of every non-blank line that is valid JSON; the others are reported."""
    with path.open(encoding="utf-8", errors="replace") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                yield lineno, json.loads(line)
            except json.JSONDecodeError as e:
                warn(f"{path}:{lineno}: bad JSON ({e.msg}), skipped")


def write_npz(path: Path, **arrays: Any) -> None:
    """An artifact written aside, then renamed: never a half-written model where the runtime looks."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial_path = path.with_suffix(".npz.partial")
    with partial_path.open("wb") as f:
        np.savez_compressed(f, **arrays)
    os.replace(partial_path, path)


def write_softmax(path: Path, counter: Any, tfidf: Any, linear: Any, ngram: tuple[int, int], **extra: Any) -> None:
    """A `softmax_model.SoftmaxModel` artifact from a fitted CountVectorizer, TfidfTransformer and multinomial
    LogisticRegression; `extra`: the further arrays the model reads."""
    write_npz(
        path, format_version=np.int64(softmax_model.FORMAT_VERSION),
        vocab=np.array(counter.get_feature_names_out().tolist(), dtype=str),
        idf=tfidf.idf_.astype(np.float64), weight=linear.coef_.astype(np.float64),
        intercept=linear.intercept_.astype(np.float64),
        classes=np.array([str(c) for c in linear.classes_], dtype=str), ngram=np.array(ngram, dtype=np.int64), **extra)


def check_parity(path: Path, ours: np.ndarray, sklearn: np.ndarray) -> float:
    """The largest difference between the runtime's probabilities and sklearn's; RuntimeError past PARITY_TOLERANCE."""
    diff = float(np.max(np.abs(ours - sklearn)))
    if diff >= PARITY_TOLERANCE:
        raise RuntimeError(f"{path.name}: numpy inference differs from sklearn by {diff:.2e}")
    return diff
