"""`redreply train`: fit the offence and sentiment classifiers (and the situation model) and export them.

Character 1–4-gram counts → sublinear tf-idf → logistic regression (NB log-count-ratio scaling for offence),
features pruned by |weight| and the model refitted on the kept n-grams, Platt calibration on out-of-fold
scores. scikit-learn is used here only; the export holds plain arrays the numpy runtime reads, and every run
checks that the runtime reproduces sklearn's probabilities. Fixed seeds: the same data gives the same files.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np
from scipy.sparse import diags
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, train_test_split

from agent.errors import UserError
from agent.knowledge.wording import people
from agent.triage import kind_model, learned, situation_model
from agent.triage.training_data import check_parity, json_rows, write_npz
from agent.triage.training_kind import train_kind
from agent.triage.training_report import (
    OFFENCE,
    SENTIMENT,
    Recipe,
    TrainReport,
    best_f1_threshold,
    figures,
    model_card,
    recall_at_precision,
    split_half,
)
from agent.triage.training_situation import train_situation
from agent.triage.training_topic import train_topic, write_card


@dataclass
class Fitted:
    """A fitted model: the sklearn pieces (to measure) and what the export needs."""

    recipe: Recipe
    vectorizer: CountVectorizer
    tfidf: TfidfTransformer
    ratio: np.ndarray
    linear: LogisticRegression
    platt: LogisticRegression
    threshold: float = 0.5

    def proba(self, texts: list[str]) -> np.ndarray:
        """sklearn's calibrated probabilities for normalised texts (the reference the runtime must match)."""
        x = self.tfidf.transform(self.vectorizer.transform(texts)) @ diags(self.ratio)
        return self.platt.predict_proba(self.linear.decision_function(x).reshape(-1, 1))[:, 1]

    def export(self, path: Path) -> None:
        """The arrays `learned.Classifier` reads; NB ratios are folded into the weights."""
        write_npz(
            path, format_version=np.int64(learned.FORMAT_VERSION),
            vocab=np.array(self.vectorizer.get_feature_names_out().tolist(), dtype=str),
            idf=self.tfidf.idf_.astype(np.float64), weight=self.linear.coef_[0] * self.ratio,
            intercept=np.float64(self.linear.intercept_[0]),
            platt=np.array([self.platt.coef_[0, 0], self.platt.intercept_[0]]),
            threshold=np.float64(self.threshold), ngram=np.array(self.recipe.ngram, dtype=np.int64))


def read_jsonl(path: Path, label_key: str, warn: Callable[[str], None], flip: bool = False) -> tuple[list[str], np.ndarray]:
    """Normalised texts and 0/1 labels; a malformed line is reported as `file:line: reason` and skipped."""
    if not path.is_file():
        raise UserError(f"training data file not found: {path}")
    texts: list[str] = []
    labels: list[int] = []
    for lineno, row in json_rows(path, warn):
        text = row.get("text") if isinstance(row, dict) else None
        label = row.get(label_key) if isinstance(row, dict) else None
        if not isinstance(text, str) or not text.strip():
            warn(f"{path}:{lineno}: no text, skipped")
        elif label not in (0, 1) or isinstance(label, float):
            warn(f"{path}:{lineno}: `{label_key}` must be 0 or 1 (got {label!r}), skipped")
        else:
            texts.append(learned.normalize(text))
            labels.append(1 - int(label) if flip else int(label))
    return texts, np.array(labels, dtype=np.int64)


def _nb_ratio(x, y: np.ndarray) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Naive-Bayes log-count ratio per feature (Wang & Manning 2012): scales features by how one-sided they are."""
    p = np.asarray(x[y == 1].sum(axis=0)).ravel() + 1.0
    q = np.asarray(x[y == 0].sum(axis=0)).ravel() + 1.0
    return np.log((p / p.sum()) / (q / q.sum()))


def _linear(recipe: Recipe, seed: int) -> LogisticRegression:
    return LogisticRegression(C=recipe.C, solver="liblinear", random_state=seed,
                              class_weight="balanced" if recipe.balanced else None)


def fit(recipe: Recipe, texts: list[str], y: np.ndarray, seed: int, say: Callable[[str], None]) -> Fitted:
    """Fit on all n-grams, keep the strongest, refit on them, calibrate on out-of-fold scores."""
    if min(int((y == 1).sum()), int((y == 0).sum())) < 5:
        raise UserError(f"{recipe.name}: need at least 5 rows of each label to train")
    analyzer = partial(learned.char_ngrams, lo=recipe.ngram[0], hi=recipe.ngram[1])
    counter = CountVectorizer(analyzer=analyzer, min_df=recipe.min_df if len(texts) >= 1000 else 1)
    counts = counter.fit_transform(texts)
    x = TfidfTransformer(sublinear_tf=True).fit_transform(counts)
    ratio = _nb_ratio(x, y) if recipe.nb else np.ones(x.shape[1])
    first = _linear(recipe, seed).fit(x @ diags(ratio), y)
    strength = np.abs(first.coef_[0] * ratio)
    keep = np.sort(np.argsort(-strength, kind="stable")[: recipe.keep])
    say(f"{recipe.name}: {len(texts)} rows, {counts.shape[1]} n-grams, keeping {len(keep)}")
    vocab = counter.get_feature_names_out()[keep].tolist()
    kept_counts = counts[:, keep]
    tfidf = TfidfTransformer(sublinear_tf=True).fit(kept_counts)
    x = tfidf.transform(kept_counts)
    ratio = _nb_ratio(x, y) if recipe.nb else np.ones(x.shape[1])
    xr = x @ diags(ratio)
    linear = _linear(recipe, seed).fit(xr, y)
    folds = StratifiedKFold(n_splits=min(3, int((y == 1).sum()), int((y == 0).sum())), shuffle=True, random_state=seed)
    oof = np.zeros(len(y))
    for tr, te in folds.split(xr, y):
        oof[te] = _linear(recipe, seed).fit(xr[tr], y[tr]).decision_function(xr[te])
    platt = LogisticRegression(C=1e6).fit(oof.reshape(-1, 1), y)
    vectorizer = CountVectorizer(analyzer=analyzer, vocabulary=vocab)
    return Fitted(recipe, vectorizer, tfidf, ratio, linear, platt)


def parity(model: Fitted, path: Path, texts: list[str]) -> float:
    """Max |numpy runtime − sklearn| probability on texts; a mismatch means the export is wrong, so it fails."""
    runtime = learned.Classifier(path)
    if not texts:
        return 0.0
    return check_parity(path, np.array([runtime.proba_normalized(t) for t in texts]), model.proba(texts))


def train(data_dir: Path, out_dir: Path, seed: int = 13, progress: Callable[[str], None] | None = None,
          product_negatives: int = 0) -> TrainReport:
    """Train the three models from data_dir, write offence.npz, sentiment.npz, situation.npz, metrics.json and
    MODEL_CARD.md (the situation labels are the project's own, `training_situation.LABELS`).

    product_negatives > 0 adds that many review complaints that name no person to the offence training as
    not offensive (teaches "垃圾产品" ≠ abuse); off by default, see the model card.
    """
    started, warnings = time.monotonic(), []
    say = progress or (lambda _line: None)

    def warn(line: str) -> None:
        warnings.append(line)
        say(f"warning: {line}")

    cold_x, cold_y = read_jsonl(data_dir / "cold_train.jsonl", "label", warn)
    dev_x, dev_y = read_jsonl(data_dir / "cold_dev.jsonl", "label", warn)
    rev_x, rev_y = read_jsonl(data_dir / "reviews_train.jsonl", "label", warn, flip=True)
    if min(int((rev_y == 1).sum()), int((rev_y == 0).sum())) < 10:
        raise UserError("reviews_train.jsonl: need at least 10 rows of each label (10 % are held out)")
    tr, te = train_test_split(np.arange(len(rev_y)), test_size=0.1, random_state=seed, stratify=rev_y)
    extra = _product_complaints([rev_x[i] for i in tr if rev_y[i] == 1], product_negatives, seed)
    offence = fit(OFFENCE, cold_x + extra, np.concatenate([cold_y, np.zeros(len(extra), np.int64)]), seed, say)
    dev_p = offence.proba(dev_x)
    offence.threshold = best_f1_threshold(dev_y, dev_p)
    sentiment = fit(SENTIMENT, [rev_x[i] for i in tr], rev_y[tr], seed, say)
    held_p = sentiment.proba([rev_x[i] for i in te])
    paths = {"offence": out_dir / learned.OFFENCE_FILE, "sentiment": out_dir / learned.SENTIMENT_FILE}
    offence.export(paths["offence"])
    sentiment.export(paths["sentiment"])
    sample = dev_x[:300] + [rev_x[i] for i in te[:300]]
    diff = max(parity(offence, paths["offence"], sample), parity(sentiment, paths["sentiment"], sample))
    report = TrainReport(
        date=dt.date.today().isoformat(), seed=seed, seconds=0.0, offence_product_negatives=len(extra),
        rows={"cold_train": len(cold_y), "cold_dev": len(dev_y), "reviews_train": len(tr), "reviews_heldout": len(te)},
        vocabulary={k: len(m.vectorizer.vocabulary) for k, m in (("offence", offence), ("sentiment", sentiment))},
        artifact_bytes={p.name: p.stat().st_size for p in paths.values()},
        offence_dev=figures("COLD dev", dev_y, dev_p, offence.threshold),
        offence_dev_recall_at_precision_90=recall_at_precision(dev_y, dev_p), offence_dev_split_half=split_half(dev_y, dev_p),
        sentiment_heldout=figures("reviews held-out 10%", rev_y[te], held_p, sentiment.threshold),
        parity_max_abs_diff=diff, warnings=warnings)
    _add_situation(report, data_dir, out_dir, seed, warn, say)
    _add_kind(report, out_dir, seed, warn, say)
    write_card(out_dir, train_topic(data_dir, out_dir, seed, warn, say))
    _measure_product(report, data_dir.parent, warn, offence, sentiment)
    report.seconds = round(time.monotonic() - started, 1)
    (out_dir / "metrics.json").write_text(report.model_dump_json(indent=2) + "\n", encoding="utf-8")
    (out_dir / "MODEL_CARD.md").write_text(model_card(report), encoding="utf-8")
    say(f"done in {report.seconds}s: {', '.join(str(p) for p in paths.values())}")
    return report


def _add_situation(report: TrainReport, data_dir: Path, out_dir: Path, seed: int, warn: Callable[[str], None],
                   say: Callable[[str], None]) -> None:
    """The situation model, trained beside the classifiers and added to the report."""
    try:
        report.situation = train_situation(data_dir / "reviews_train.jsonl", out_dir, seed, warn, say)
        report.artifact_bytes[situation_model.SITUATION_FILE] = report.situation.artifact_bytes
    except UserError as e:  # labels for other data: the classifiers are still worth having
        warn(f"situation model not trained: {e}")


def _add_kind(report: TrainReport, out_dir: Path, seed: int, warn: Callable[[str], None],
              say: Callable[[str], None]) -> None:
    """The comment-kind model, trained on the project's labelled training sections and added to the report."""
    try:
        report.kind = train_kind(out_dir, seed, warn, say)
        report.artifact_bytes[kind_model.KIND_FILE] = report.kind.artifact_bytes
    except UserError as e:  # no labelled sections beside the project: the other models still stand
        warn(f"kind model not trained: {e}")


def _product_complaints(complaints: list[str], n: int, seed: int) -> list[str]:
    """n complaints that name no person (staff, users, groups): harsh words about a product, not abuse."""
    named_people = people().named_people  # a complaint naming people may be aimed at them: never "not offensive"
    about_things = [t for t in complaints if not named_people.search(t)]
    if n <= 0 or not about_things:
        return []
    pick = np.random.default_rng(seed).choice(len(about_things), min(n, len(about_things)), replace=False)
    return [about_things[i] for i in sorted(pick)]


def _measure_product(report: TrainReport, folder: Path, warn: Callable[[str], None], offence: Fitted,
                     sentiment: Fitted) -> None:
    """The product-level dev sets one level above the training data, when present (never trained on)."""
    if (folder / "cold_dev.jsonl").is_file():
        x, y = read_jsonl(folder / "cold_dev.jsonl", "offensive", warn)
        report.offence_product = figures("product cold_dev.jsonl", y, offence.proba(x), offence.threshold)
    if (folder / "real_reviews_dev.jsonl").is_file():
        x, y = read_jsonl(folder / "real_reviews_dev.jsonl", "label", warn, flip=True)
        report.sentiment_product = figures("product real_reviews_dev.jsonl", y, sentiment.proba(x), sentiment.threshold)
        report.offence_flag_rate_on_real_reviews = round(float(np.mean(offence.proba(x) >= offence.threshold)), 4)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, required=True, help="folder with cold_train/cold_dev/reviews_train.jsonl")
    parser.add_argument("--out", type=Path, default=learned.MODEL_DIR, help="where the artifacts go")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--product-negatives", type=int, default=0,
                        help="add N review complaints naming no person to the offence data as not offensive")
    args = parser.parse_args(argv)
    try:
        report = train(args.data, args.out, seed=args.seed, progress=lambda line: print(line, file=sys.stderr),
                       product_negatives=args.product_negatives)
    except UserError as e:
        print(f"error: {e}", file=sys.stderr)
        return UserError.exit_code
    print(report.model_dump_json(indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
