"""`redreply eval real`: the product on real public comments nobody here wrote (`../shared/data`).

Every comment goes through the whole graph as in `redreply batch` (all accepted first, then
drafted). Figures, each a share in 0–1 so floors work as for the other evals:
- real complaints (reviews labelled negative): rebutted, apologised to or educated, appealed,
  called `not_negative`;
- real praise: called `not_negative`. The collectors' "positive" label covers mixed reviews too ("房间
  还可以…浴缸下水很慢"), and praise followed by a complaint must stay a complaint; so a blind reader split
  the positives (`evals/datasets/praise_real.jsonl`): `praise_not_negative` is over the ones that hold no
  complaint, `praise_with_complaint_answered` over the ones that do, `praise_all_not_negative` over all;
- COLD comments (labelled offensive or not): abuse flagged, precision and recall; then the same on a COLD
  sample the rules were not tuned on and the offence model not trained on (`evals/real_unseen.py`), beside
  the offence model's own figures there;
- complaints thanked (the praise scripts) and praise told to stop using (the reaction script), each gated as
  its complement; the sentiment model's own share of praise read as not negative, beside the product's;
- situation: the script situation chosen, against the blind labels of `evals/datasets/situations_real.jsonl`
  (ids into the reviews file: the text stays out of the project); then on the holdouts labelled the same
  way after the rules were tuned (`HOLDOUTS`): the unseen ones are the honest figures. Where a second blind
  labeller labelled a set too (`<set>_second.jsonl` beside it), the report gives how often the two labellers
  agree (the ceiling one labeller's figure can be read against) and `<figure>_either`: the product's choice
  matches one of them.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from agent.config import PROJECT_ROOT, Settings
from agent.errors import UserError
from agent.planning.scripts import THANKS
from agent.review.service import Drafter
from agent.schemas import CommentIn, DraftResult, Source, Strategy, Violation
from evals import real_unseen

DEFAULT_DATA = PROJECT_ROOT.parent / "shared" / "data"
SITUATIONS = PROJECT_ROOT / "evals" / "datasets" / "situations_real.jsonl"
PRAISE = PROJECT_ROOT / "evals" / "datasets" / "praise_real.jsonl"
# Labelled blind like SITUATIONS, after the rules were tuned on those. The first is the rest of the real
# complaints (read once, to find what fails in general); the second, 100 complaints drawn from the
# training corpus (food, electronics, hotels, books), has never been read by whoever writes the rules.
HOLDOUTS: list[tuple[str, Path, str]] = [
    ("situation_holdout_accuracy", PROJECT_ROOT / "evals" / "datasets" / "situations_real_holdout.jsonl",
     "real_reviews_dev.jsonl"),
    ("situation_unseen_accuracy", PROJECT_ROOT / "evals" / "datasets" / "situations_train_holdout.jsonl",
     "train/reviews_train.jsonl"),
    # 600 more drawn the same way (other seed), labelled blind by three more helpers: the larger unseen sample.
    ("situation_unseen_large_accuracy", PROJECT_ROOT / "evals" / "datasets" / "situations_train_holdout_large.jsonl",
     "train/reviews_train.jsonl"),
]


class RealReport(BaseModel):
    metrics: dict[str, float]  # higher is better: what floors gate
    mistakes: dict[str, float]  # lower is better: printed, gated through their complements in `metrics`
    counts: dict[str, int]
    misses: list[str]  # what to read when a figure drops: id, what was expected, what was chosen
    skipped: list[str] = []  # holdouts whose rows are not in the data folder: their floors are not checked
    agreement: dict[str, float] = {}  # per situation figure with a second labeller: how often the two agree


def _rows(path: Path) -> list[dict]:
    if not path.is_file():
        raise UserError(f"not found: {path} (pass --data with the folder holding the real comment files)")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _labels(path: Path) -> list[dict]:
    """The labelled rows of a blind-label file (its first line is the labeller's `_meta`)."""
    return [r for r in _rows(path) if "_meta" not in r]


def _share(n: int, total: int) -> float:
    return round(n / total, 4) if total else 0.0


def _answered(r: DraftResult) -> bool:
    return r.plan.strategy in (Strategy.apologize_resolve, Strategy.educate)


def _reviews(results: list[DraftResult], rows: list[dict],
             praise_labels: dict[str, str]) -> tuple[dict[str, float], dict[str, int]]:
    complaints = [r for r, row in zip(results, rows, strict=True) if row["label"] == 0]
    positives = [r for r, row in zip(results, rows, strict=True) if row["label"] == 1]
    # A positive the blind reader did not label keeps the collectors' label.
    praise = [r for r in positives if praise_labels.get(r.id, "praise") == "praise"]
    mixed = [r for r in positives if praise_labels.get(r.id) == "complaint"]
    n = len(complaints)
    answered = sum(_answered(r) for r in complaints)
    metrics = {
        "complaint_rebutted": _share(sum(r.plan.strategy == Strategy.neutral_rebuttal for r in complaints), n),
        "complaint_answered": _share(answered, n),
        "complaint_appealed": _share(sum(r.appeal is not None for r in complaints), n),
        "complaint_not_negative": _share(sum(r.triage.source == Source.not_negative for r in complaints), n),
        "complaint_thanked": _share(sum(r.plan.situation in THANKS for r in complaints), n),
        "praise_not_negative": _share(sum(r.triage.source == Source.not_negative for r in praise), len(praise)),
        "praise_all_not_negative": _share(sum(r.triage.source == Source.not_negative for r in positives),
                                          len(positives)),
    }
    # Praise told to stop using: the reaction script on a review with no complaint in it.
    # The sentiment model alone (P(negative) < 0.5) on the same praise: what the product is read against.
    metrics["praise_model_not_negative"] = _share(sum(r.triage.scores.get("negative", 1.0) < 0.5 for r in praise),
                                                  len(praise))
    metrics["praise_told_to_stop"] = _share(sum(r.plan.situation == "allergy_reaction" for r in praise), len(praise))
    if mixed:
        metrics["praise_with_complaint_answered"] = _share(
            sum(_answered(r) and r.triage.source != Source.not_negative for r in mixed), len(mixed))
    return metrics, {"complaints": n, "praise": len(praise), "praise_with_complaint": len(mixed)}


def _cold(results: list[DraftResult], rows: list[dict]) -> tuple[dict[str, float], dict[str, int]]:
    flagged = [Violation.abuse in r.triage.violations for r in results]
    truth = [row["offensive"] == 1 for row in rows]
    tp = sum(f and t for f, t in zip(flagged, truth, strict=True))
    metrics = {"abuse_precision": _share(tp, sum(flagged)), "abuse_recall": _share(tp, sum(truth))}
    return metrics, {"cold": len(rows), "cold_offensive": sum(truth), "cold_flagged": sum(flagged)}


class _SetFigures(BaseModel):
    """One labelled situation set: its metrics (`name`, and `name_either` where a second labeller labelled it
    too), the misses to read, how many labels it had, and how often its two labellers agree."""

    metrics: dict[str, float]
    misses: list[str]
    count: int
    agreement: float | None = None


def either_metric(name: str) -> str:
    """The figure of a set with a second labeller: the product's choice matches one of the two."""
    return f"{name}_either"


def holdout_metrics() -> set[str]:
    """Every figure the holdouts can give: their floors are known even where a holdout is skipped."""
    return {m for name, _, _ in HOLDOUTS for m in (name, either_metric(name))} | set(real_unseen.FIGURES) | {
        "unseen_complaint_not_rebutted", "unseen_complaint_not_thanked"}


def second_labels(labels_path: Path) -> Path:
    """Where a second blind labeller's labels of the same set live."""
    return labels_path.with_name(f"{labels_path.stem}_second.jsonl")


def _situation_set(name: str, by_id: dict[str, DraftResult], labelled: list[dict], labels_path: Path,
                   tag: str = "") -> _SetFigures:
    """The chosen situations against the set's labels (`labelled`, read from labels_path) and, where a second
    labeller's file lies beside it, against either labeller. `tag` names the set in its misses."""
    labels = [r for r in labelled if r["id"] in by_id]
    misses = [f"{lab['id']}: labelled {lab['situation']}, chose {by_id[lab['id']].plan.situation}"
              + (f" ({tag})" if tag else "") for lab in labels if by_id[lab["id"]].plan.situation != lab["situation"]]
    figures = _SetFigures(metrics={name: _share(len(labels) - len(misses), len(labels))}, misses=misses,
                          count=len(labels))
    second_path = second_labels(labels_path)
    if labels and second_path.is_file():
        second = {r["id"]: r["situation"] for r in _labels(second_path)}
        both = [(r["situation"], second[r["id"]], by_id[r["id"]].plan.situation) for r in labels if r["id"] in second]
        figures.metrics[either_metric(name)] = _share(sum(c in (a, b) for a, b, c in both), len(both))
        figures.agreement = _share(sum(a == b for a, b, _ in both), len(both))
    return figures


def _holdouts(drafter: Drafter, data: Path, brand: str, by_id: dict[str, DraftResult],
              holdouts: list[tuple[str, Path, str]],
              drafted: dict[str, DraftResult]) -> tuple[list[tuple[str, _SetFigures]], list[str]]:
    """Each holdout whose labels and rows are present, with its figures; and the ones skipped, with why.
    `drafted` collects every holdout complaint drafted (all are reviews their collectors labelled negative)."""
    done: list[tuple[str, _SetFigures]] = []
    skipped: list[str] = []
    for name, labels_path, rows_file in holdouts:
        if not labels_path.is_file() or not (data / rows_file).is_file():
            skipped.append(f"{name}: {data / rows_file if labels_path.is_file() else labels_path} not found")
            continue
        labelled = _labels(labels_path)
        wanted = {r["id"] for r in labelled}
        todo = [CommentIn(id=r["id"], text=r["text"]) for r in _rows(data / rows_file)
                if r["id"] in wanted and r["id"] not in by_id]
        results = by_id | {r.id: r for r in drafter.draft_many(todo, brand)}
        drafted |= {i: results[i] for i in wanted if i in results and i not in by_id}
        figures = _situation_set(name, results, labelled, labels_path,
                                 tag=name.removeprefix("situation_").removesuffix("_accuracy"))
        if figures.count:
            done.append((name, figures))
    return done, skipped


def _unseen_complaints(results: list[DraftResult]) -> dict[str, float]:
    """Rebutted and thanked on the holdouts' complaints, which nobody tuned the rules on (empty without them)."""
    if not results:
        return {}
    n = len(results)
    return {"unseen_complaint_rebutted": _share(sum(r.plan.strategy == Strategy.neutral_rebuttal for r in results), n),
            "unseen_complaint_thanked": _share(sum(r.plan.situation in THANKS for r in results), n)}


def evaluate_real(settings: Settings, data: Path = DEFAULT_DATA, brand: str = "glowskin",
                  labels: Path = SITUATIONS, praise_labels: Path = PRAISE,
                  holdouts: list[tuple[str, Path, str]] = HOLDOUTS) -> RealReport:
    reviews, cold = _rows(data / "real_reviews_dev.jsonl"), _rows(data / "cold_dev.jsonl")
    drafter = Drafter(settings)
    review_results = drafter.draft_many([CommentIn(id=r["id"], text=r["text"]) for r in reviews], brand)
    cold_results = Drafter(settings, store=drafter.store).draft_many(
        [CommentIn(id=r["id"], text=r["text"]) for r in cold], brand)
    blind = {r["id"]: r["label"] for r in _labels(praise_labels)}
    metrics, counts = _reviews(review_results, reviews, blind)
    cold_metrics, cold_counts = _cold(cold_results, cold)
    by_id = {r.id: r for r in review_results}
    dev = _situation_set("situation_accuracy", by_id, _labels(labels), labels)
    unseen_complaints: dict[str, DraftResult] = {}
    held, skipped = _holdouts(drafter, data, brand, by_id, holdouts, unseen_complaints)
    metrics |= _unseen_complaints(list(unseen_complaints.values()))
    unseen = real_unseen.evaluate_unseen_cold(drafter, data, brand)
    if unseen is None:
        skipped.append(f"cold unseen sample: {data / real_unseen.SOURCE} not found")
    else:
        metrics |= unseen.metrics
        cold_counts |= unseen.counts
    sets = [("situation_accuracy", dev), *held]
    metrics |= cold_metrics
    for _, figures in sets:
        metrics |= figures.metrics
    misses = [m for _, figures in sets for m in figures.misses]
    agreement = {name: figures.agreement for name, figures in sets if figures.agreement is not None}
    holdout_counts = {name.removesuffix("_accuracy"): figures.count for name, figures in held}
    mistakes = {k: metrics.pop(k) for k in ("complaint_rebutted", "complaint_thanked", "complaint_appealed",
                                            "complaint_not_negative", "praise_told_to_stop",
                                            "unseen_complaint_rebutted", "unseen_complaint_thanked") if k in metrics}
    # Floors are minimums: the shares that must stay low are gated as their complements.
    metrics |= {"complaint_not_rebutted": round(1 - mistakes["complaint_rebutted"], 4),
                "complaint_not_appealed": round(1 - mistakes["complaint_appealed"], 4),
                "complaint_not_called_praise": round(1 - mistakes["complaint_not_negative"], 4),
                "complaint_not_thanked": round(1 - mistakes["complaint_thanked"], 4),
                "praise_not_told_to_stop": round(1 - mistakes["praise_told_to_stop"], 4)}
    metrics |= {f"unseen_complaint_not_{k.removeprefix('unseen_complaint_')}": round(1 - mistakes[k], 4)
                for k in ("unseen_complaint_rebutted", "unseen_complaint_thanked") if k in mistakes}
    return RealReport(metrics=metrics, mistakes=mistakes, misses=misses, skipped=skipped, agreement=agreement,
                      counts=counts | cold_counts | {"situations_labelled": dev.count} | holdout_counts)
