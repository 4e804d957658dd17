"""What a model may not overrule in the triage, whatever it says.

The rules and learned signals are evidence; a model refines within them: money plus a threat stays
extortion, a first-hand complaint is never praise or an attack, an order on record is never an
attacker, and no violation (hence no report) is added against a customer that the rules do not
support. `rationale` says where the model was overruled, so the reviewer sees it.
"""

from __future__ import annotations

from agent.schemas import Evidence, Source, Triage, Violation
from agent.triage.rules import REASON_PRIORITY

# What the evidence proves, and so what no model may remove.
_PROVEN = (Violation.flooding, Violation.spam_redirect, Violation.privacy)
_CUSTOMER = (Source.genuine_experience, Source.misunderstanding)


def _bounded_source(model: Source, rules: Triage, evidence: Evidence) -> tuple[Source, str | None]:
    """The model's source unless the evidence contradicts it; the reason when it does."""
    if rules.source == Source.extortion and model != Source.extortion:
        return Source.extortion, "以删评或停止发帖为条件要钱的证据成立"
    if evidence.order_found and model in (Source.competitor_attack, Source.extortion):
        return Source.genuine_experience, "后台有订单：真实顾客不会被判为攻击"
    if rules.source in _CUSTOMER and model in (Source.not_negative, Source.competitor_attack, Source.extortion):
        return rules.source, "规则判断这是亲身经历的投诉：不能当作好评或攻击"
    if rules.source != Source.not_negative and model == Source.not_negative:
        return rules.source, "评论里有投诉、攻击或传言的信号：不能当作好评"
    if rules.source == Source.not_negative and not rules.violations and model in (
            Source.competitor_attack, Source.extortion):
        return rules.source, "没有攻击或勒索的证据"
    return model, None


def enforce_rules(model_triage: Triage, rules: Triage, evidence: Evidence) -> Triage:
    source, overruled = _bounded_source(model_triage.source, rules, evidence)
    proven = {v for v in rules.violations if v in _PROVEN}
    violations = set(model_triage.violations) | proven
    if source in _CUSTOMER or source == Source.not_negative or evidence.order_found:
        # Against a customer (or a harmless comment) only what the rules found: no report the evidence lacks.
        violations &= set(rules.violations)
    if evidence.order_found:
        violations.discard(Violation.rumor)
    notes = [f"模型判断为 {model_triage.source.value}，已按证据改为 {source.value}：{overruled}"] if overruled else []
    dropped = sorted(v.value for v in set(model_triage.violations) - violations)
    if dropped:
        notes.append(f"模型提出的违规 {', '.join(dropped)} 没有证据支持，未采纳")
    severity = max(model_triage.severity, 3 if any(s.startswith("safety") for s in rules.signals) else 1)
    if source != model_triage.source or source in (Source.competitor_attack, Source.extortion):
        severity = max(severity, rules.severity)
    return model_triage.model_copy(update={
        "source": source, "severity": severity,
        "violations": sorted(violations, key=REASON_PRIORITY.index),
        "signals": rules.signals, "scores": rules.scores, "pii": rules.pii,
        "rationale": "；".join([model_triage.rationale, *notes]).strip("；"),
    })
