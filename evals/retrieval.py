"""The retrieval eval: does the knowledge store bring back what an expert would cite for a comment?

Each line of the dataset (evals/datasets/retrieval.jsonl) is
`{"id": "r-001", "query": "…", "brand": "glowskin", "expected": ["<chunk id>", …]}`; a case is a hit at
k when any expected chunk is among the first k results of `KnowledgeStore.search(query, brand, kind=None)`.

    .venv/bin/python -m evals.retrieval [--dataset PATH] [--misses]

`redreply eval retrieval [--min hit@3=0.9]` runs the same function and gates on its metrics.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field, ValidationError, computed_field

from agent.config import PROJECT_ROOT, Settings, configure_offline_libraries
from agent.errors import UserError

if TYPE_CHECKING:
    from agent.knowledge.store import KnowledgeStore

DEFAULT_DATASET = PROJECT_ROOT / "evals" / "datasets" / "retrieval.jsonl"
DEPTH = 10  # results read per query: ranks beyond it count as misses (reciprocal rank 0)


class RetrievalCase(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    query: str = Field(min_length=1)
    brand: str
    expected: list[str] = Field(min_length=1)
    note: str = ""


class CaseResult(BaseModel):
    id: str
    query: str
    brand: str
    expected: list[str]
    rank: int | None = Field(description="1-based rank of the first expected chunk; None when not in the top DEPTH")
    top: list[str] = Field(description="The first three chunk ids that came back")

    @property
    def where(self) -> str:
        return "missing" if self.rank is None else f"rank {self.rank}"


class RetrievalReport(BaseModel):
    n: int
    hit_at_1: float
    hit_at_3: float
    hit_at_5: float
    mrr: float
    seconds: float
    cases: list[CaseResult]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def metrics(self) -> dict[str, float]:
        """The gateable figures, under the names `--min` uses (hit@3=0.9)."""
        return {"hit@1": self.hit_at_1, "hit@3": self.hit_at_3, "hit@5": self.hit_at_5, "mrr": self.mrr}

    @property
    def misses(self) -> list[CaseResult]:
        return [c for c in self.cases if c.rank is None or c.rank > 3]


def load_cases(dataset: Path) -> list[RetrievalCase]:
    try:
        lines = dataset.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as e:
        raise UserError(f"dataset not found: {dataset}") from e
    cases: list[RetrievalCase] = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            cases.append(RetrievalCase.model_validate(json.loads(line)))
        except (json.JSONDecodeError, ValidationError) as e:
            raise UserError(f"{dataset}:{n}: not a retrieval case ({e})") from e
    if not cases:
        raise UserError(f"{dataset}: no cases")
    ids = [c.id for c in cases]
    if len(set(ids)) != len(ids):
        raise UserError(f"{dataset}: duplicate case ids")
    return cases


def evaluate_retrieval(settings: Settings, dataset: Path, store: KnowledgeStore | None = None) -> RetrievalReport:
    """Search every case and score the ranks. Labels naming a chunk the store does not hold are an error."""
    from agent.knowledge.store import KnowledgeStore

    cases = load_cases(dataset)
    ks = store if store is not None else KnowledgeStore(settings)
    ks.ensure_ingested()
    unknown = sorted({cid for c in cases for cid in c.expected if ks.chunk(cid) is None})
    if unknown:
        raise UserError(f"{dataset}: labels name chunks that are not in the knowledge store: {', '.join(unknown)}")
    start = time.perf_counter()
    results: list[CaseResult] = []
    for case in cases:
        ids = [h.chunk_id for h in ks.search(case.query, brand=case.brand, k=DEPTH)]
        rank = next((i + 1 for i, cid in enumerate(ids) if cid in case.expected), None)
        results.append(CaseResult(id=case.id, query=case.query, brand=case.brand, expected=case.expected,
                                  rank=rank, top=ids[:3]))
    n = len(results)

    def hit(k: int) -> float:
        return round(sum(1 for r in results if r.rank is not None and r.rank <= k) / n, 4)

    mrr = round(sum(1.0 / r.rank for r in results if r.rank is not None) / n, 4)
    return RetrievalReport(n=n, hit_at_1=hit(1), hit_at_3=hit(3), hit_at_5=hit(5), mrr=mrr,
                           seconds=round(time.perf_counter() - start, 3), cases=results)


def format_report(report: RetrievalReport, misses: bool = True) -> str:
    lines = [f"retrieval: {report.n} queries in {report.seconds:.2f} s",
             f"{'metric':<8}{'value':>8}"]
    lines += [f"{key:<8}{value:>8.4f}" for key, value in report.metrics.items()]
    if misses and report.misses:
        lines.append(f"not in the top 3 ({len(report.misses)}):")
        for c in report.misses:
            lines.append(f"  {c.id} [{c.brand}] {c.where}: {c.query[:40]}")
            lines.append(f"      expected {', '.join(c.expected)}")
            lines.append(f"      got      {', '.join(c.top)}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Hit@1/3/5 and MRR of the knowledge store on labelled queries")
    parser.add_argument("--dataset", type=Path, default=DEFAULT_DATASET)
    parser.add_argument("--no-misses", action="store_true", help="do not list the cases outside the top 3")
    args = parser.parse_args(argv)
    configure_offline_libraries()
    try:
        report = evaluate_retrieval(Settings(), args.dataset)
    except UserError as e:
        print(f"error: {e}")
        return 2
    print(format_report(report, misses=not args.no_misses))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
