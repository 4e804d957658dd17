"""The ladder eval: for labelled cases on later rungs, does RedReply pick the right second report reason
and the right next rung (or refuse, when the evidence checklist is not complete), and does the draft of
that rung, by the configured model or the offline template, hold its hard checks and cite the law it must?

Each line of evals/datasets/ladder.jsonl is
`{"id", "case": {"violations", "cluster", "rung", "tried", "checklist_done"?}, "expected": {"second_reason",
"next_rung", "cites"?}, "note"}`; `next_rung` is a rung, "blocked" (the lawyer's brief waits for the checklist)
or "end" (past the last rung); `cites` are the laws and articles (written as a draft writes them) the next
rung's draft must cite. The second reason is scored on cases whose first report was just rejected. Every next
rung is drafted through the model seam (agent.drafting.ladder_model): `model_draft_rate` is the share of
drafts the model wrote (0 offline), the rest fell back to the template and say why.

    .venv/bin/python -m evals.ladder [--dataset PATH] [--model NAME] [--min next_rung_accuracy=1.0]

or `redreply eval ladder` where the eval command registers it.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from agent.cases.model import Case, plan_escalation
from agent.cases.rules import RUNGS, Rung, checklist_for, second_reason
from agent.config import PROJECT_ROOT, Settings
from agent.drafting.drafter import Drafting
from agent.drafting.ladder import citations, citations_in_knowledge
from agent.drafting.ladder_guard import rung_form_kept
from agent.drafting.ladder_model import draft_rung_checked, must_keep
from agent.drafting.ladder_slots import LadderInput
from agent.drafting.llm import ModelClient, make_client
from agent.errors import UserError
from agent.knowledge.brands import load_brand
from agent.schemas import Violation

DEFAULT_DATASET = PROJECT_ROOT / "evals" / "datasets" / "ladder.jsonl"
NOW = datetime(2026, 1, 1, tzinfo=UTC)


class LadderCaseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    violations: list[Violation]
    cluster: bool = False
    rung: Rung
    tried: list[Violation] = Field(default_factory=list)
    checklist_done: bool = False


class Expected(BaseModel):
    model_config = ConfigDict(extra="forbid")

    second_reason: Violation | None
    next_rung: str
    cites: list[str] = Field(default_factory=list, description="Laws / articles the next rung's draft must cite")


class LadderCase(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    case: LadderCaseIn
    expected: Expected
    note: str = ""


def load(path: Path) -> list[LadderCase]:
    if not path.is_file():
        raise UserError(f"dataset not found: {path}")
    cases = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                cases.append(LadderCase.model_validate_json(line))
            except ValueError as e:
                raise UserError(f"{path}:{n}: not a ladder case ({str(e).splitlines()[0]})") from e
    return cases


def as_case(c: LadderCaseIn, case_id: str) -> Case:
    """The labelled situation as a case whose current rung was just rejected."""
    ticks = {k: "eval" for k in checklist_for(c.cluster)} if c.checklist_done else {}
    return Case(id=case_id, brand="eval", kind="cluster" if c.cluster else "item", members=[case_id], rung=c.rung,
                status="rejected", reason=(c.tried or c.violations)[-1], tried=c.tried, violations=c.violations,
                source="competitor_attack", severity=2, opened_at=NOW.isoformat(), checklist=ticks)


def predict_next(case: Case) -> str:
    try:
        return plan_escalation(case, NOW).rung.value
    except UserError as e:
        return "blocked" if "blocked" in str(e) else "end" if "last rung" in str(e) else f"error: {e}"


class DraftScore(BaseModel):
    hard_ok: bool
    cites_ok: bool | None  # None: no citation label
    by_model: bool
    miss: str | None = None


def score_draft(lc: LadderCase, case: Case, drafting: Drafting, settings: Settings) -> DraftScore:
    """Draft the next rung as `case escalate` would, and check what was offered."""
    step = plan_escalation(case, NOW)
    moved = case.model_copy(update={"rung": step.rung, "reason": step.reason})
    data = LadderInput(case=moved, brand=load_brand(settings.knowledge_dir, settings.brand), items=[], events=[])
    draft = draft_rung_checked(drafting, step.rung, data, settings.knowledge_dir)
    checks = [citations_in_knowledge(draft.text, settings.knowledge_dir),
              rung_form_kept(draft.text, must_keep(step.rung, data, settings.knowledge_dir))]
    failed = [f"{c.name}: {c.detail}" for c in checks if not c.passed]
    laws, pairs = citations(draft.text)
    wanted = [citations(c) for c in lc.expected.cites]
    cites_ok = all(w_laws <= laws and w_pairs <= pairs for w_laws, w_pairs in wanted) if wanted else None
    problems = failed + ([f"cites {', '.join(lc.expected.cites)}: not all in the draft"] if cites_ok is False else [])
    problems += [f"offline template: {draft.fallback}"] if draft.fallback else []
    return DraftScore(hard_ok=not failed, cites_ok=cites_ok, by_model=draft.model != "offline",
                      miss=f"{lc.id} {step.rung.value} draft: {'; '.join(problems)}" if problems else None)


def evaluate(path: Path = DEFAULT_DATASET, settings: Settings | None = None,
             client: ModelClient | None = None) -> tuple[dict[str, float], list[str]]:
    """Accuracy of the second reason and of the next rung, the next rung's drafts, and a line per miss."""
    settings = settings or Settings()
    drafting = Drafting(settings, client if client is not None else make_client(settings))
    cases = load(path)
    reason_hits, reason_n, rung_hits, misses = 0, 0, 0, []
    drafts: list[DraftScore] = []
    for lc in cases:
        case = as_case(lc.case, lc.id)
        nxt = predict_next(case)
        if nxt in RUNGS:
            drafts.append(score_draft(lc, case, drafting, settings))
            misses += [drafts[-1].miss] if drafts[-1].miss else []
        rung_hits += nxt == lc.expected.next_rung
        if nxt != lc.expected.next_rung:
            misses.append(f"{lc.id} next rung: expected {lc.expected.next_rung}, got {nxt} ({lc.note})")
        if lc.case.rung == Rung.platform_report:
            reason_n += 1
            got = second_reason(case.violations, case.cluster, case.tried)
            reason_hits += got == lc.expected.second_reason
            if got != lc.expected.second_reason:
                misses.append(f"{lc.id} second reason: expected {lc.expected.second_reason}, got {got} ({lc.note})")
    n, cited = len(cases), [d.cites_ok for d in drafts if d.cites_ok is not None]
    metrics = {"cases": float(n), "second_reason_accuracy": round(reason_hits / reason_n, 4) if reason_n else 0.0,
               "next_rung_accuracy": round(rung_hits / n, 4) if n else 0.0,
               "drafts": float(len(drafts)), "draft_hard_pass": _share([d.hard_ok for d in drafts]),
               "cites_accuracy": _share(cited), "model_draft_rate": _share([d.by_model for d in drafts])}
    return metrics, misses


def _share(flags: list[bool]) -> float:
    return round(sum(flags) / len(flags), 4) if flags else 0.0


def report(path: Path, floors: dict[str, float], settings: Settings | None = None) -> int:
    metrics, misses = evaluate(path, settings)
    print(f"{'metric':<26}{'value':>9}")
    for key, value in metrics.items():
        print(f"{key:<26}{value:>9.4f}" if key not in ("cases", "drafts") else f"{key:<26}{int(value):>9d}")
    for miss in misses:
        print(f"miss: {miss}")
    low = [f"{k} {metrics[k]:.4f} < {v:.4f}" for k, v in floors.items() if metrics.get(k, 0.0) < v - 1e-12]
    for line in low:
        print(f"threshold missed: {line}", file=sys.stderr)
    return 1 if low else 0


def _floors(items: list[str]) -> dict[str, float]:
    out = {}
    for item in items:
        key, _, value = item.partition("=")
        try:
            out[key.strip()] = float(value)
        except ValueError:
            raise UserError(f"--min {item!r}: expected KEY=VALUE with a number") from None
    return out


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """`redreply eval ladder`, for the eval command to add with one call."""
    p = sub.add_parser("ladder", help="Second report reasons and next rungs on labelled later-rung cases")
    p.add_argument("--dataset", type=Path, default=DEFAULT_DATASET)
    p.add_argument("--model", help="The model that drafts the rungs (default: the configured one, 'offline')")
    p.add_argument("--min", action="append", default=[], metavar="KEY=VALUE")
    p.set_defaults(func=lambda args, settings: report(args.dataset, _floors(args.min),
                                                      settings.with_overrides(model=args.model)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.ladder", description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", type=Path, default=DEFAULT_DATASET)
    parser.add_argument("--model", help="The model that drafts the rungs (default: the configured one)")
    parser.add_argument("--min", action="append", default=[], metavar="KEY=VALUE")
    args = parser.parse_args(argv)
    try:
        return report(args.dataset, _floors(args.min), Settings().with_overrides(model=args.model))
    except UserError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
