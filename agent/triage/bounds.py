"""What a model may not overrule in the triage, whatever it says.

The rules and learned signals are evidence; a model refines within them: money plus a threat stays
extortion, a first-hand complaint is never praise or an attack, an order on record is never an
attacker, and no violation (hence no report) is added against a customer that the rules do not
support. `rationale` says where the model was overruled, so the reviewer sees it.
"""

from __future__ import annotations

from agent.knowledge.wording import rationales
from agent.schemas import Evidence, Source, Triage, Violation
from agent.triage.rules import REASON_PRIORITY

# What the evidence proves, and so what no model may remove.
_PROVEN = (Violation.flooding, Violation.spam_redirect, Violation.privacy)
_CUSTOMER = (Source.genuine_experience, Source.misunderstanding)


def _bounded_source(model: Source, rules: Triage, evidence: Evidence) -> tuple[Source, str | None]:
    """The model's source unless the evidence contradicts it; the reason when it does."""
    why = rationales().overruled
    if rules.source == Source.extortion and model != Source.extortion:
        return Source.extortion, why.extortion_proven
    if evidence.order_found and model in (Source.competitor_attack, Source.extortion):
        return Source.genuine_experience, why.order_on_record
    if rules.source in _CUSTOMER and model in (Source.not_negative, Source.competitor_attack, Source.extortion):
        return rules.source, why.first_hand_complaint
    if rules.source != Source.not_negative and model == Source.not_negative:
        return rules.source, why.complaint_signals
    if rules.source == Source.not_negative and not rules.violations and model in (
            Source.competitor_attack, Source.extortion):
        return rules.source, why.no_attack_evidence
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
    words = rationales()
    notes: list[str] = []
    if overruled:
        notes.append(words.source_overruled.format(model=model_triage.source.value, source=source.value, why=overruled))
    dropped = sorted(v.value for v in set(model_triage.violations) - violations)
    if dropped:
        notes.append(words.violations_dropped.format(dropped=", ".join(dropped)))
    severity = max(model_triage.severity, 3 if any(s.startswith("safety") for s in rules.signals) else 1)
    if source != model_triage.source or source in (Source.competitor_attack, Source.extortion):
        severity = max(severity, rules.severity)
    return model_triage.model_copy(update={
        "source": source, "severity": severity,
        "violations": sorted(violations, key=REASON_PRIORITY.index),
        "signals": rules.signals, "scores": rules.scores, "pii": rules.pii,
        "rationale": "；".join([model_triage.rationale, *notes]).strip("；"),
    })
