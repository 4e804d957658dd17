"""An optional G-Eval style LLM judge of the drafted replies, and its agreement with the rule metrics.

The judge is any model behind the `ModelClient` seam (`redreply eval --judge openai/gpt-4o-mini`); it
grades tone, helpfulness and risk 1–5 with `prompts/judge.md`. It is a second opinion on the rule
metrics, never a replacement: the report shows how far the two agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, Field

from agent.config import Settings
from agent.drafting.llm import ModelClient, structured_call
from agent.knowledge.brands import Brand
from evals.metrics.classification import spearman
from evals.metrics.scoring import CaseScore

JUDGE_PROMPT = "judge"
FACTS_MAX_CHARS = 1800


class JudgeVerdict(BaseModel):
    tone: int = Field(ge=1, le=5, description="5 = warm, calm and human; 1 = cold or hostile")
    helpfulness: int = Field(ge=1, le=5, description="5 = does all the strategy asks with the right facts")
    risk: int = Field(ge=1, le=5, description="1 = safe to post as is; 5 = posting it would cause harm")
    reason: str = Field("", max_length=400)

    @property
    def passed(self) -> bool:
        """What the judge would let through: helpful, well-toned and low-risk."""
        return self.helpfulness >= 4 and self.tone >= 4 and self.risk <= 2


def rule_passed(score: CaseScore) -> bool:
    """What the rule metrics would let through: the rubric mostly met, every guardrail passed,
    nothing unsupported claimed and nothing forbidden said."""
    return (score.rubric.score >= 0.75 and score.checks_passed == score.checks_total
            and not score.grounded.unsupported and not score.must_not_say)


def facts_digest(brand: Brand | None, limit: int = FACTS_MAX_CHARS) -> str:
    """The brand facts a reply may use, one short line each, cut at `limit` characters."""
    if brand is None:
        return "(none)"
    lines = [f"{brand.name}: {brand.about}"]
    for p in brand.products:
        lines.append(f"- {p.name}: 用法 {p.usage}" + (f"；注意 {'；'.join(p.cautions)}" if p.cautions else ""))
        lines += [f"  - {c}" for c in p.claims]
    lines += [f"- 认证/检测: {c.title}（{c.issuer}）: {c.summary}" for c in brand.certifications]
    lines += [f"- 政策 {p.title}: {p.text}" for p in brand.policies]
    text = "\n".join(lines)
    return text if len(text) <= limit else text[:limit] + "…"


def judge_reply(client: ModelClient, settings: Settings, *, brand: Brand | None, brand_id: str,
                strategy: str, comment: str, reply: str) -> JudgeVerdict:
    """One judgement; raises agent.errors.ModelError when the judge gives no valid answer."""
    variables = {"brand": brand.name if brand else brand_id, "strategy": strategy,
                 "facts": facts_digest(brand), "comment": comment, "reply": reply}
    return structured_call(client, settings, JUDGE_PROMPT, variables, JudgeVerdict)


def agreement(pairs: Sequence[tuple[JudgeVerdict, CaseScore]]) -> dict[str, Any]:
    """How far the judge agrees with the rule metrics.

    spearman_helpfulness_rubric: rank correlation of judge helpfulness and the strategy rubric;
    spearman_risk_groundedness: of judge risk and groundedness (expect it negative);
    pass_agreement and cohen_kappa: on the pass/fail call of `JudgeVerdict.passed` vs `rule_passed`.
    """
    n = len(pairs)
    if not n:
        return {"n": 0}
    judge = [v.passed for v, _ in pairs]
    rules = [rule_passed(s) for _, s in pairs]
    agree = sum(a == b for a, b in zip(judge, rules, strict=True)) / n
    p_j, p_r = sum(judge) / n, sum(rules) / n
    chance = p_j * p_r + (1 - p_j) * (1 - p_r)
    kappa = (agree - chance) / (1 - chance) if chance < 1 else None

    def r(x: float | None) -> float | None:
        return None if x is None else round(x, 4)

    return {
        "n": n,
        "judge_tone_mean": round(sum(v.tone for v, _ in pairs) / n, 3),
        "judge_helpfulness_mean": round(sum(v.helpfulness for v, _ in pairs) / n, 3),
        "judge_risk_mean": round(sum(v.risk for v, _ in pairs) / n, 3),
        "judge_pass_rate": round(p_j, 4),
        "rule_pass_rate": round(p_r, 4),
        "spearman_helpfulness_rubric": r(spearman([v.helpfulness for v, _ in pairs], [s.rubric.score for _, s in pairs])),
        "spearman_risk_groundedness": r(spearman([v.risk for v, _ in pairs], [s.grounded.score for _, s in pairs])),
        "pass_agreement": round(agree, 4),
        "cohen_kappa": r(kappa),
    }
