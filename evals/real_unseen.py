"""The COLD sample of `redreply eval real` that nobody tuned on.

The rules were tuned on `cold_dev.jsonl` (150 comments); the offence model was trained on
`train/cold_train.jsonl`. This sample is drawn from `train/cold_dev.jsonl` (COLD's dev split, which the
model never trained on: only its operating threshold was read there) with every text of those two files
left out, with a fixed seed, so each run scores the same comments. Beside the product's abuse figures it
gives the offence model's alone (its score ≥ MODEL_AT), so the two can be compared on the same text.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from pydantic import BaseModel

from agent.review.service import Drafter
from agent.schemas import CommentIn, DraftResult, Violation

SOURCE = "train/cold_dev.jsonl"
SIZE = 400
SEED = 20261207
MODEL_AT = 0.5
FIGURES = ("abuse_unseen_precision", "abuse_unseen_recall", "offence_model_unseen_precision",
           "offence_model_unseen_recall")


class UnseenCold(BaseModel):
    metrics: dict[str, float]
    counts: dict[str, int]


def _texts(path: Path) -> set[str]:
    if not path.is_file():
        return set()
    return {json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()}


def sample(data: Path) -> list[dict]:
    """The fixed sample: SIZE rows of COLD's dev split, none of whose text the rules or the model saw."""
    seen = _texts(data / "cold_dev.jsonl") | _texts(data / "train" / "cold_train.jsonl")
    rows = [json.loads(line) for line in (data / SOURCE).read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [r for r in rows if r["text"] not in seen]
    return random.Random(SEED).sample(rows, min(SIZE, len(rows)))


def _precision_recall(flagged: list[bool], truth: list[bool]) -> tuple[float, float]:
    tp = sum(f and t for f, t in zip(flagged, truth, strict=True))
    return (round(tp / sum(flagged), 4) if any(flagged) else 0.0, round(tp / sum(truth), 4) if any(truth) else 0.0)


def evaluate_unseen_cold(drafter: Drafter, data: Path, brand: str) -> UnseenCold | None:
    """The product's and the model's abuse figures on the sample; None where the data folder lacks its source."""
    if not (data / SOURCE).is_file():
        return None
    rows = sample(data)
    results: list[DraftResult] = drafter.draft_many([CommentIn(id=r["id"], text=r["text"]) for r in rows], brand)
    truth = [r["label"] == 1 for r in rows]
    product = [Violation.abuse in r.triage.violations for r in results]
    model = [r.triage.scores.get("offensive", 0.0) >= MODEL_AT for r in results]
    (pp, pr), (mp, mr) = _precision_recall(product, truth), _precision_recall(model, truth)
    return UnseenCold(metrics=dict(zip(FIGURES, (pp, pr, mp, mr), strict=True)),
                      counts={"cold_unseen": len(rows), "cold_unseen_offensive": sum(truth),
                              "cold_unseen_flagged": sum(product)})
