"""Scoring an eval case, and a whole run: every metric of one case (`score_case`), then the dataset-level
figures (`summarize`) that the CI floors in thresholds.toml name."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from agent.knowledge.brands import Brand, StatedFact
from agent.schemas import Action, DraftResult, Source, Strategy, Violation
from agent.text import detect_script
from evals.metrics.classification import appeal_scores, confusion, guardrail_pass_rate, multilabel_f1
from evals.metrics.groundedness import Groundedness, brand_fact_texts, groundedness
from evals.metrics.policy import offers_against, policy_against_facts
from evals.metrics.reply_text import RubricScore, must_not_say_hits, must_use_coverage, rubric, script_match

NO_PUBLIC_REPLY = frozenset({Action.report, Action.leave})


class Expected(BaseModel):
    """The labels of one eval case (the `expected` object of a dataset line)."""

    model_config = ConfigDict(extra="forbid")

    source: Source
    severity: int = Field(ge=1, le=3)
    violations: list[Violation] = Field(default_factory=list)
    strategy: Strategy
    appeal: bool
    appeal_reason: Violation | None = None
    action: Action = Field(Action.reply, description="What the comment needs: report and leave get no public reply")
    must_use: list[str] = Field(default_factory=list)
    must_not_say: list[str] = Field(default_factory=list)
    stated_facts: list[StatedFact] = Field(default_factory=list,
                                           description="What the customer states: used, refunded, not received…")
    must_not_offer: list[str] = Field(default_factory=list, description="Policy offers those facts rule out")


@dataclass
class CaseScore:
    """Every metric of one case; `overall` is their mean, used to rank the worst cases."""

    id: str
    source_ok: bool
    severity_ok: bool
    violations_expected: list[str]
    violations_got: list[str]
    strategy_ok: bool
    appeal_expected: bool
    appeal_got: bool
    appeal_reason_ok: bool | None
    checks_passed: int
    checks_total: int
    rubric: RubricScore
    grounded: Groundedness
    must_use: float
    must_use_missing: list[str]
    must_not_say: list[str]
    script_ok: bool
    action_ok: bool = True
    reply_expected: bool = True  # a reported or left comment gets no public reply: its reply metrics don't apply
    policy_against: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    @property
    def violations_jaccard(self) -> float:
        e, g = set(self.violations_expected), set(self.violations_got)
        return len(e & g) / len(e | g) if e | g else 1.0

    @property
    def overall(self) -> float:
        parts = [self.source_ok, self.severity_ok, self.violations_jaccard, self.strategy_ok,
                 self.appeal_expected == self.appeal_got, self.action_ok,
                 self.checks_passed / self.checks_total if self.checks_total else 1.0]
        if self.reply_expected:
            parts += [self.rubric.score, self.grounded.score, self.must_use, not self.must_not_say, self.script_ok]
        return round(sum(float(p) for p in parts) / len(parts), 4)

    def as_dict(self) -> dict[str, Any]:
        return {
            "overall": self.overall, "source_ok": self.source_ok, "severity_ok": self.severity_ok,
            "violations_jaccard": round(self.violations_jaccard, 4), "strategy_ok": self.strategy_ok,
            "appeal_ok": self.appeal_expected == self.appeal_got, "appeal_reason_ok": self.appeal_reason_ok,
            "guardrails": f"{self.checks_passed}/{self.checks_total}",
            "rubric": self.rubric.score, "rubric_items": self.rubric.items,
            "groundedness": self.grounded.score, "unsupported_claims": self.grounded.unsupported,
            "must_use": round(self.must_use, 4), "must_use_missing": self.must_use_missing,
            "must_not_say_hits": self.must_not_say, "script_ok": self.script_ok, "failures": self.failures,
        }


def score_case(case_id: str, comment: str, expected: Expected, got: DraftResult, brand: Brand | None) -> CaseScore:
    facts = [*(brand_fact_texts(brand) if brand else []), *(s.passage for s in got.sources if s.passage)]
    brand_names = [brand.name, brand.id, *brand.aliases,
                   *(n for p in brand.products for n in (p.name, *p.aliases))] if brand else []
    reply = got.reply_text
    exp_v = sorted(str(v) for v in expected.violations)
    got_v = sorted(str(v) for v in got.triage.violations)
    got_reason = str(got.appeal.reason) if got.appeal else None
    rub = rubric(expected.strategy, reply, brand, got.plan.product, comment)
    grounded = groundedness(reply, facts, ignore=brand_names, comment=comment)
    use, missing = must_use_coverage(reply, expected.must_use)
    score = CaseScore(
        id=case_id,
        source_ok=got.triage.source == expected.source,
        severity_ok=got.triage.severity == expected.severity,
        violations_expected=exp_v, violations_got=got_v,
        strategy_ok=got.plan.strategy == expected.strategy,
        appeal_expected=expected.appeal, appeal_got=got.plan.appeal,
        appeal_reason_ok=(str(expected.appeal_reason) == got_reason) if expected.appeal and got.plan.appeal else None,
        checks_passed=sum(c.passed for c in got.checks), checks_total=len(got.checks),
        rubric=rub, grounded=grounded, must_use=use, must_use_missing=missing,
        must_not_say=must_not_say_hits(reply, expected.must_not_say),
        script_ok=script_match(comment, reply),
        action_ok=got.plan.action == expected.action,
        reply_expected=expected.action not in NO_PUBLIC_REPLY,
        policy_against=offers_against(reply, expected.must_not_offer),
    )
    score.failures = _failures(score, expected, got)
    return score


def _failures(s: CaseScore, expected: Expected, got: DraftResult) -> list[str]:
    out = []
    if not s.source_ok:
        out.append(f"source {got.triage.source} ≠ {expected.source}")
    if not s.severity_ok:
        out.append(f"severity {got.triage.severity} ≠ {expected.severity}")
    if s.violations_expected != s.violations_got:
        out.append(f"violations {s.violations_got} ≠ {s.violations_expected}")
    if not s.strategy_ok:
        out.append(f"strategy {got.plan.strategy} ≠ {expected.strategy}")
    if s.appeal_expected != s.appeal_got:
        out.append(f"appeal {s.appeal_got} ≠ {s.appeal_expected}")
    elif s.appeal_reason_ok is False:
        out.append(f"appeal reason {got.appeal.reason if got.appeal else None} ≠ {expected.appeal_reason}")
    if not s.action_ok:
        out.append(f"action {got.plan.action} ≠ {expected.action}")
    out += [f"check {c.name}: {c.detail}".rstrip(": ") for c in got.failed_checks]
    if s.reply_expected:
        out += _reply_failures(s, expected, got)
    if s.policy_against:
        out.append(f"offers against the stated facts: {', '.join(s.policy_against)}")
    return out


def _reply_failures(s: CaseScore, expected: Expected, got: DraftResult) -> list[str]:
    """What a public reply missed, for a comment that needs one."""
    out = []
    if s.rubric.failed:
        out.append(f"rubric ({expected.strategy}) misses {', '.join(s.rubric.failed)}")
    if s.grounded.unsupported:
        out.append(f"unsupported claims: {', '.join(s.grounded.unsupported)}")
    if s.must_use_missing:
        out.append(f"missing facts: {', '.join(s.must_use_missing)}")
    if s.must_not_say:
        out.append(f"says: {', '.join(s.must_not_say)}")
    if not s.script_ok:
        out.append(f"reply script {detect_script(got.reply_text)} ≠ comment script")
    return out


# The keys of `summarize` (the CI floors in thresholds.toml name these).
METRIC_KEYS = (
    "source_accuracy", "severity_accuracy", "violation_micro_f1", "violation_macro_f1", "strategy_accuracy",
    "action_accuracy",
    "appeal_precision", "appeal_recall", "appeal_reason_accuracy", "guardrail_pass_rate",
    "guardrail_case_pass_rate", "rubric_mean", "groundedness_mean", "must_use_coverage",
    "must_not_say_clean_rate", "script_match_rate", "overall_mean",
)


def _reply_metrics(scores: Sequence[CaseScore], errors: int) -> dict[str, float]:
    """The public reply's metrics, over the cases whose comment needs one (and the cases that errored)."""
    replied = [s for s in scores if s.reply_expected]
    n = len(replied) + errors

    def mean(values: Iterable[float]) -> float:
        return round(sum(values) / n, 4) if n else 0.0

    return {
        "rubric_mean": mean(s.rubric.score for s in replied),
        "groundedness_mean": mean(s.grounded.score for s in replied),
        "must_use_coverage": mean(s.must_use for s in replied),
        "must_not_say_clean_rate": mean(not s.must_not_say for s in replied),
        "script_match_rate": mean(s.script_ok for s in replied),
    }


def summarize(scores: Sequence[CaseScore], results: Sequence[DraftResult], expected: Sequence[Expected],
              errors: int = 0) -> dict[str, Any]:
    """All dataset-level metrics. `scores`, `results` and `expected` are aligned; `errors` counts the
    cases that produced no draft (they score zero on every per-case mean)."""
    n = len(scores) + errors

    def mean(values: Iterable[float]) -> float:
        return round(sum(values) / n, 4) if n else 0.0

    violations = multilabel_f1(((e.violations, r.triage.violations) for e, r in zip(expected, results, strict=True)),
                               labels=list(Violation))
    appeals = appeal_scores((e.appeal, e.appeal_reason, r.plan.appeal, r.appeal.reason if r.appeal else None)
                            for e, r in zip(expected, results, strict=True))
    guard, per_check = guardrail_pass_rate(results)
    metrics = {
        "source_accuracy": mean(s.source_ok for s in scores),
        "severity_accuracy": mean(s.severity_ok for s in scores),
        "violation_micro_f1": round(violations.micro_f1, 4),
        "violation_macro_f1": round(violations.macro_f1, 4),
        "strategy_accuracy": mean(s.strategy_ok for s in scores),
        "action_accuracy": mean(s.action_ok for s in scores),
        "appeal_precision": round(appeals.precision, 4),
        "appeal_recall": round(appeals.recall, 4),
        "appeal_reason_accuracy": round(appeals.reason_accuracy, 4),
        "guardrail_pass_rate": round(guard, 4),
        "guardrail_case_pass_rate": mean(s.checks_passed == s.checks_total for s in scores),
        **_reply_metrics(scores, errors),
        "overall_mean": mean(s.overall for s in scores),
    }
    return {
        "metrics": metrics,
        # Counts, lower is better: printed beside the metrics, never a floor.
        "mistakes": {"policy_against_facts": policy_against_facts(s.policy_against for s in scores)},
        "cases": n,
        "errors": errors,
        "violations_per_label": {k: round(v, 4) for k, v in violations.per_label.items()},
        "guardrails_per_check": {k: round(v, 4) for k, v in per_check.items()},
        "confusion": {
            "source": confusion(((e.source, r.triage.source) for e, r in zip(expected, results, strict=True)),
                                list(Source)),
            "severity": confusion(((e.severity, r.triage.severity) for e, r in zip(expected, results, strict=True)),
                                  [1, 2, 3]),
            "strategy": confusion(((e.strategy, r.plan.strategy) for e, r in zip(expected, results, strict=True)),
                                  list(Strategy)),
        },
    }
