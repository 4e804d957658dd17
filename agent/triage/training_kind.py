"""The comment-kind model's part of `redreply train` (see `kind_model.py` for what it is).

Data: the training sections (`evals/datasets/sections/train`: MediaCrawler comment files and `labels.jsonl`,
one blind label per comment). The model learns a comment's kind as the brand's action reads it (`target`):
a question, complaint or praise the labeller left (asked of the note's author, about another brand, between
users) is chatter to it, since only the brand's own questions, complaints and praise get an answer, a reply or
a thank-you; the labellers' `attack` kind (abuse, extortion) is a complaint: the offence model and the rules
decide what is reported. Its accuracy is measured by 5-fold cross-validation
on the training sections and, as a whole with the rules, by `redreply eval sections` on sets it never saw.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from functools import partial
from pathlib import Path

import numpy as np
from pydantic import BaseModel
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from agent.config import PROJECT_ROOT
from agent.errors import UserError
from agent.triage import kind_model, learned
from agent.triage.training_data import check_parity, json_rows, write_softmax

SECTIONS = PROJECT_ROOT / "evals" / "datasets" / "sections" / "train"
NGRAM = (1, 2)
C = 10.0  # chosen on the tuned dev sections (0.77–0.80 kind accuracy for C in 1–30)
# The kind each of the brand's actions answers; `leave` is chatter, `report` a complaint (spam stays spam).
ACTION_KIND = {"answer": "question", "thank": "praise", "reply": "complaint", "report": "complaint",
               "leave": "chatter"}


def target(row: dict[str, object]) -> str | None:
    """What the model learns of one label: spam as spam, anything else as the kind its action answers."""
    kind, action = row.get("kind"), row.get("action")
    if kind == "spam":
        return "spam"
    return ACTION_KIND.get(action) if isinstance(action, str) else None


class KindFigures(BaseModel):
    rows: int
    classes: dict[str, int]
    vocabulary: int
    cv_accuracy: float  # the model alone, 5-fold on the training sections
    artifact_bytes: int
    parity_max_abs_diff: float


def read_sections(folder: Path, warn: Callable[[str], None]) -> tuple[list[str], list[str]]:
    """(texts, kinds) of every labelled comment of the folder's sections; unknown ids are reported."""
    texts: dict[str, str] = {}
    for path in sorted(folder.glob("*_comments_*.jsonl")):
        for _, row in json_rows(path, warn):
            if isinstance(row, dict) and isinstance(row.get("content"), str):
                texts[str(row.get("comment_id"))] = row["content"]
    labels = folder / "labels.jsonl"
    if not labels.is_file():
        raise UserError(f"section labels not found: {labels}")
    out_x, out_y = [], []
    for lineno, row in json_rows(labels, warn):
        y = target(row) if isinstance(row, dict) else None
        if y is None or row.get("id") not in texts:
            warn(f"{labels}:{lineno}: no `kind` and `action`, or an id not in the sections, skipped")
            continue
        out_x.append(texts[row["id"]])
        out_y.append(y)
    return out_x, out_y


class _Fitted:
    def __init__(self, texts: list[str], y: list[str], seed: int) -> None:
        self.counter = CountVectorizer(analyzer=partial(learned.char_ngrams, lo=NGRAM[0], hi=NGRAM[1]))
        counts = self.counter.fit_transform(texts)
        self.tfidf = TfidfTransformer(sublinear_tf=True).fit(counts)
        self.linear = LogisticRegression(C=C, max_iter=5000, class_weight="balanced",
                                         random_state=seed).fit(self.tfidf.transform(counts), y)

    def proba(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self.linear.predict_proba(self.tfidf.transform(self.counter.transform(texts))))


def train_kind(out_dir: Path, seed: int, warn: Callable[[str], None], say: Callable[[str], None],
               folder: Path = SECTIONS) -> KindFigures:
    raw, y = read_sections(folder, warn)
    counts = Counter(y)
    if len(raw) < 50 or len(counts) < 2:
        raise UserError(f"{folder}: need at least 50 labelled comments of 2+ kinds to train (found {len(raw)})")
    texts = [learned.normalize(t) for t in raw]
    say(f"kind: {len(texts)} labelled section comments, {len(counts)} kinds")
    labels = np.array(y)
    predicted = np.empty(len(y), dtype=object)
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=seed)
    for tr, te in folds.split(texts, labels):
        fold = _Fitted([texts[i] for i in tr], [y[i] for i in tr], seed)
        predicted[te] = fold.linear.classes_[fold.proba([texts[i] for i in te]).argmax(axis=1)]
    model = _Fitted(texts, y, seed)
    path = out_dir / kind_model.KIND_FILE
    write_softmax(path, model.counter, model.tfidf, model.linear, NGRAM)
    runtime = kind_model.KindModel(path)
    diff = check_parity(path, np.array([runtime.proba(t) for t in texts]), model.proba(texts))
    return KindFigures(rows=len(texts), classes=dict(sorted(counts.items())), vocabulary=len(runtime.vocab),
                       cv_accuracy=round(float(np.mean(predicted == labels)), 4),
                       artifact_bytes=path.stat().st_size, parity_max_abs_diff=diff)
