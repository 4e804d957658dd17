"""The eval runner: drafts every case of a labelled dataset, scores it and writes the run's files.

`run_eval` writes into `out_dir`:
- summary.json: all metrics, the model, the dataset's hash, timings (what `compare` and CI read);
- cases.jsonl: per case the expectation, what came back, every score and the draft, personal data masked;
- report.html: one self-contained page (inline CSS and SVG, no scripts or fonts) for people.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from agent.config import Settings
from agent.drafting.llm import ModelClient
from agent.errors import ModelError, UserError
from agent.knowledge.brands import Brand, load_brand
from agent.knowledge.loading import KnowledgeError
from agent.progress import Progress
from agent.schemas import CommentIn, DraftResult
from agent.triage.pii import redact
from evals import judge as judging
from evals.metrics.scoring import CaseScore, Expected, score_case, summarize

DEFAULT_DATASET = Path(__file__).resolve().parent / "datasets" / "cases.jsonl"


class EvalCase(BaseModel):
    """One line of an eval dataset."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    brand: str
    comment: CommentIn
    group: str | None = None
    expected: Expected
    tags: list[str] = Field(default_factory=list)


def load_dataset(path: Path) -> list[EvalCase]:
    """The cases of a JSONL dataset; a bad line raises UserError naming the file and the line."""
    if not path.is_file():
        raise UserError(f"dataset not found: {path}")
    cases: list[EvalCase] = []
    seen: set[str] = set()
    for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            case = EvalCase.model_validate_json(line)
        except ValidationError as e:
            err = e.errors()[0]
            where = ".".join(str(p) for p in err["loc"]) or "(line)"
            raise UserError(f"{path}:{no}: {where}: {err['msg']}") from e
        if case.id in seen:
            raise UserError(f"{path}:{no}: duplicate case id '{case.id}'")
        seen.add(case.id)
        cases.append(case)
    if not cases:
        raise UserError(f"{path}: the dataset has no cases")
    return cases


def dataset_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass
class CaseRun:
    case: EvalCase
    result: DraftResult | None = None
    error: str | None = None
    elapsed_ms: int = 0
    score: CaseScore | None = None
    verdict: judging.JudgeVerdict | None = None
    judge_error: str | None = None


@dataclass
class EvalSummary:
    out_dir: Path
    model: str
    dataset: str
    dataset_sha256: str
    cases: int
    errors: int
    metrics: dict[str, float]
    judge: dict[str, Any] | None = None
    timings: dict[str, float] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["out_dir"] = str(self.out_dir)
        return data


def _units(cases: list[EvalCase]) -> list[list[CaseRun]]:
    """Work units: a flood group's cases together, in dataset order; every other case alone."""
    units: list[list[CaseRun]] = []
    groups: dict[tuple[str, str], list[CaseRun]] = {}
    for case in cases:
        run = CaseRun(case)
        if case.group:
            key = (case.brand, case.group)
            if key not in groups:
                groups[key] = []
                units.append(groups[key])
            groups[key].append(run)
        else:
            units.append([run])
    return units


def _draft_unit(drafter: Any, unit: list[CaseRun]) -> None:
    start = time.perf_counter()
    brand = unit[0].case.brand
    try:
        if len(unit) > 1:
            results = drafter.draft_many([r.case.comment for r in unit], brand)
            for run, result in zip(unit, results, strict=True):
                run.result = result
        else:
            for run in unit:
                run.result = drafter.draft(run.case.comment, brand)
    except Exception as e:  # one broken case must not stop the run; it is reported and scored zero
        for run in unit:
            if run.result is None:
                run.error = f"{type(e).__name__}: {e}"
    per_case = int((time.perf_counter() - start) * 1000 / len(unit))
    for run in unit:
        run.elapsed_ms = per_case


def _parallel(fn: Callable[[Any], None], items: list[Any], concurrency: int, bar: Progress,
              weight: Callable[[Any], int]) -> None:
    def task(item: Any) -> None:
        try:
            fn(item)
        finally:
            bar.advance(weight(item))

    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        list(pool.map(task, items))


def run_eval(settings: Settings, dataset: Path, out_dir: Path, judge: ModelClient | None = None,
             concurrency: int = 4, progress: bool = True) -> EvalSummary:
    """Draft, score (and optionally judge) every case of `dataset`; write the run into `out_dir`."""
    from agent.review.service import Drafter  # the drafting graph: imported when a run starts

    cases = load_dataset(dataset)
    brands = _brands(settings, {c.brand for c in cases})
    started = datetime.now(UTC)
    t0 = time.perf_counter()
    drafter = Drafter(settings)
    setup_s = time.perf_counter() - t0

    units = _units(cases)
    runs = [r for u in units for r in u]
    t1 = time.perf_counter()
    _parallel(lambda u: _draft_unit(drafter, u), units, concurrency,
              Progress(len(runs), f"eval {settings.model}", progress), weight=len)
    draft_s = time.perf_counter() - t1

    for run in runs:
        if run.result is not None:
            run.score = score_case(run.case.id, run.case.comment.text, run.case.expected, run.result,
                                   brands.get(run.case.brand))
    judge_report = None
    if judge is not None:
        judge_report = _judge_all(judge, settings, runs, brands, concurrency, progress)

    ok = [r for r in runs if r.score is not None and r.result is not None]
    data = summarize([r.score for r in ok], [r.result for r in ok], [r.case.expected for r in ok],  # type: ignore[misc]
                     errors=len(runs) - len(ok))
    timings = _timings([r.elapsed_ms for r in ok], time.perf_counter() - t0, setup_s, draft_s, concurrency)
    summary = EvalSummary(
        out_dir=out_dir, model=settings.model, dataset=str(dataset), dataset_sha256=dataset_hash(dataset),
        cases=len(runs), errors=data["errors"], metrics=data["metrics"], judge=judge_report, timings=timings,
        details={
            "started_at": started.isoformat(timespec="seconds"),
            "judge_model": getattr(judge, "name", None) if judge else None,
            "per_category": per_category(runs), "mistakes": data["mistakes"],
            "violations_per_label": data["violations_per_label"],
            "guardrails_per_check": data["guardrails_per_check"],
            "confusion": data["confusion"],
            "failed_cases": [{"id": r.case.id, "error": r.error} for r in runs if r.error],
        },
    )
    write_run(out_dir, summary, runs)
    return summary


def _timings(case_ms: list[int], total_s: float, setup_s: float, draft_s: float, concurrency: int
             ) -> dict[str, Any]:
    elapsed = sorted(case_ms) or [0]
    return {
        "total_s": round(total_s, 3), "setup_s": round(setup_s, 3),
        "drafting_s": round(draft_s, 3),
        "case_ms_mean": round(sum(elapsed) / len(elapsed), 1),
        "case_ms_p50": float(elapsed[len(elapsed) // 2]),
        "case_ms_p95": float(elapsed[min(len(elapsed) - 1, int(len(elapsed) * 0.95))]),
        "concurrency": concurrency,
    }


def _brands(settings: Settings, ids: Iterable[str]) -> dict[str, Brand]:
    try:
        return {b: load_brand(settings.knowledge_dir, b) for b in sorted(ids)}
    except KnowledgeError as e:
        raise UserError(f"the dataset names a brand the knowledge base lacks: {e}") from e


def _judge_all(judge: ModelClient, settings: Settings, runs: list[CaseRun], brands: dict[str, Brand],
               concurrency: int, progress: bool) -> dict[str, Any]:
    todo = [r for r in runs if r.result is not None]

    def one(run: CaseRun) -> None:
        assert run.result is not None
        try:
            run.verdict = judging.judge_reply(
                judge, settings, brand=brands.get(run.case.brand), brand_id=run.case.brand,
                strategy=str(run.case.expected.strategy), comment=run.case.comment.text, reply=run.result.reply_text)
        except ModelError as e:
            run.judge_error = str(e)[:300]

    _parallel(one, todo, concurrency, Progress(len(todo), f"judge {judge.name}", progress), weight=lambda _: 1)
    pairs = [(r.verdict, r.score) for r in todo if r.verdict is not None and r.score is not None]
    report = judging.agreement(pairs)
    report["judge_errors"] = sum(r.judge_error is not None for r in todo)
    return report


def per_category(runs: list[CaseRun]) -> dict[str, dict[str, float]]:
    """Mean overall score by expected source, strategy, severity, brand and tag (errors score 0)."""
    buckets: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for r in runs:
        value = r.score.overall if r.score else 0.0
        e = r.case.expected
        buckets["source"][str(e.source)].append(value)
        buckets["strategy"][str(e.strategy)].append(value)
        buckets["severity"][str(e.severity)].append(value)
        buckets["brand"][r.case.brand].append(value)
        for name in [str(v) for v in e.violations] or ["none"]:
            buckets["violation"][name].append(value)
        for t in r.case.tags:
            buckets["tag"][t].append(value)
    return {k: {name: round(sum(v) / len(v), 4) for name, v in sorted(b.items())} for k, b in buckets.items()}


def _masked(value: Any) -> Any:
    """Personal data (phones, WeChat/QQ ids, e-mails…) masked in every string of a record."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {k: _masked(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_masked(v) for v in value]
    return value


def case_record(run: CaseRun) -> dict[str, Any]:
    r = run.result
    record: dict[str, Any] = {
        "id": run.case.id, "brand": run.case.brand, "group": run.case.group, "tags": run.case.tags,
        "comment": run.case.comment.text, "expected": run.case.expected.model_dump(mode="json"),
        "got": None if r is None else {
            "source": r.triage.source, "severity": r.triage.severity, "violations": r.triage.violations,
            "strategy": r.plan.strategy, "appeal": r.plan.appeal,
            "appeal_reason": r.appeal.reason if r.appeal else None},
        "scores": run.score.as_dict() if run.score else {"overall": 0.0, "failures": [f"error: {run.error}"]},
        "judge": run.verdict.model_dump() if run.verdict else ({"error": run.judge_error} if run.judge_error else None),
        "elapsed_ms": run.elapsed_ms, "error": run.error,
        "draft": r.model_dump(mode="json") if r else None,
    }
    return _masked(json.loads(json.dumps(record, ensure_ascii=False, default=str)))


def write_run(out_dir: Path, summary: EvalSummary, runs: list[CaseRun]) -> None:
    from evals.report import render_report

    out_dir.mkdir(parents=True, exist_ok=True)
    records = [case_record(r) for r in runs]
    (out_dir / "summary.json").write_text(json.dumps(summary.to_dict(), ensure_ascii=False, indent=2), encoding="utf-8")
    with (out_dir / "cases.jsonl").open("w", encoding="utf-8") as f:
        for rec in records:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    (out_dir / "report.html").write_text(render_report(summary.to_dict(), records), encoding="utf-8")
