"""The triage rules: from signals, evidence and the learned scores to source, severity and violations.

Three steps, each in one place: `features` (agent.triage.features) derives what the comment is (a
first-hand account, a question, praise, an insult aimed at people…); `SOURCE_RULES` is the ordered table
that picks the source, first match wins; `_severity` and `_confidence` follow. The rules decide alone on the
offline path; a model may refine the result within `agent.triage.bounds.enforce_rules`. The words the
rules look for are in knowledge/wording/ (`agent.knowledge.wording`); the code keeps the logic.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from agent.errors import UserError
from agent.knowledge.script_library import ScriptLibrary, load_script_library, mask_compounds
from agent.knowledge.wording import rationales
from agent.schemas import Evidence, PiiHit, Source, Triage, Violation
from agent.triage import learned
from agent.triage.features import Features, features
from agent.triage.safety import RESOLVED_MEANS, set_aside_resolved
from agent.triage.signals import Signals, lexicons_for, scan

# The strictest report reason the comment supports comes first (the playbook: pick the closest, strictest).
REASON_PRIORITY = [
    Violation.porn, Violation.political, Violation.privacy, Violation.rumor, Violation.abuse,
    Violation.ip_infringement, Violation.spam_redirect, Violation.flooding,
]


# (name, test, source): the name keys the rationale the reviewer reads (knowledge/wording/rationales.yaml).
Rule = tuple[str, Callable[[Features], bool], Source]
# The source table: the first rule that matches decides. Order matters: evidence first, then intent.
SOURCE_RULES: list[Rule] = [
    ("extortion", lambda f: f.extortion, Source.extortion),
    ("question", lambda f: f.question and not f.violations, Source.not_negative),
    ("impersonation", lambda f: f.impersonation, Source.not_negative),
    ("doxxing_staff", lambda f: f.doxxing_staff and not (f.order or f.first_hand), Source.competitor_attack),
    ("misunderstanding", lambda f: f.misuse or (
        f.expectation and not (f.violations & {Violation.flooding, Violation.rumor}) and not f.steer),
     Source.misunderstanding),
    ("competing_sale", lambda f: Violation.spam_redirect in f.violations and f.competing_sale, Source.competitor_attack),
    ("spam_only", lambda f: f.spam_only and not f.order, Source.not_negative),
    ("order_on_record", lambda f: f.order and (f.complaint or bool(f.violations) or not f.praise),
     Source.genuine_experience),
    ("empty_attack", lambda f: f.attack and not f.order and (
        Violation.flooding in f.violations or Violation.rumor in f.violations
        or (f.backed_attack and not (f.safety or f.quality or f.first_hand))), Source.competitor_attack),
    ("praise", lambda f: f.praise and not f.violations, Source.not_negative),
    ("complaint", lambda f: f.complaint or f.first_hand, Source.genuine_experience),
    ("insult_only", lambda f: bool(f.violations & {Violation.abuse, Violation.political}), Source.competitor_attack),
    ("platform_rule", lambda f: bool(f.violations), Source.not_negative),
    ("question_only", lambda f: f.question, Source.not_negative),
    # Nothing the rules know, and the sentiment model reads no complaint: on unseen praise it is right more often.
    ("model_calm", lambda f: f.calm and not (f.safety or f.quality or f.first_hand), Source.not_negative),
]
# What reaches RedReply is mostly negative: an unrecognised comment is treated as a real customer's
# complaint (an apology never hurts; a rebuttal of a real customer does).
FALLBACK = Source.genuine_experience


def _severity(f: Features, source: Source, violations: set[Violation]) -> int:
    hostile = violations & {Violation.porn, Violation.political, Violation.rumor}
    if Violation.abuse in violations and source not in (Source.genuine_experience, Source.misunderstanding):
        hostile.add(Violation.abuse)  # a real customer swearing is still a complaint, not an attack
    if source == Source.not_negative and not f.safety:
        return 1
    if f.safety or source in (Source.competitor_attack, Source.extortion) or hostile:
        return 3
    # A reaction told without the words of one used ("同款泛红 脖子都红了") is still someone's skin.
    return 2 if f.quality or f.reaction else 1


def _confidence(sig: Signals, f: Features, source: Source, scores: learned.Scores | None) -> float:
    confidence = 0.55 + 0.1 * min(3, len(sig.describe()))
    if source == Source.genuine_experience and f.order:
        confidence += 0.1
    if scores is not None and source == Source.not_negative and f.praise:
        confidence = max(confidence, 1 - scores.negative)
    return round(min(confidence, 0.95), 2)


def _customer_violations(f: Features, source: Source) -> set[Violation]:
    """A first-hand complaint resembling others is not reported as flooding: the cluster stays as evidence."""
    if source in (Source.genuine_experience, Source.misunderstanding) and not f.attack:
        return f.violations - {Violation.flooding}
    return f.violations


def decide(sig: Signals, evidence: Evidence, folded: str, scores: learned.Scores | None = None) -> Triage:
    """Source, severity and violations from the signals, the evidence and the learned scores."""
    f = features(sig, evidence, folded, scores)
    why = rationales()
    name, source = next(((n, s) for n, match, s in SOURCE_RULES if match(f)), ("fallback", FALLBACK))
    violations = _customer_violations(f, source)
    rationale = [why.sources[name] + (why.flooding_note if source == Source.competitor_attack
                                      and Violation.flooding in violations else "")]
    if f.safety:
        rationale.append(why.safety_note)
    signals = sig.describe() + _score_signals(scores)
    return Triage(source=source, severity=_severity(f, source, violations),
                  violations=sorted(violations, key=REASON_PRIORITY.index),
                  confidence=_confidence(sig, f, source, scores), rationale="；".join(rationale), signals=signals,
                  scores=scores.model_dump() if scores else {})


def _score_signals(scores: learned.Scores | None) -> list[str]:
    if scores is None:
        return []
    return [f"learned: offensive {scores.offensive:.2f}, negative {scores.negative:.2f}"]


def rule_triage(folded: str, pii: list[PiiHit], evidence: Evidence, knowledge_dir: Path) -> Triage:
    """The offline triage of one comment folded to Simplified lower case."""
    # A reaction told as gone ("红肿消下去了") is praise of the result: the classifiers and the rules read the
    # comment without it.
    folded = set_aside_resolved(folded, RESOLVED_MEANS)
    try:
        scores = learned.score(folded)
    except learned.ArtifactError as e:
        raise UserError(str(e)) from e
    sig = scan(folded, pii, evidence, lexicons_for(knowledge_dir))
    issue = issue_words(sig.unpraised, load_script_library(knowledge_dir))
    if issue:
        sig.markers["issue"] = issue
    return decide(sig, evidence, folded, scores)


def issue_words(text: str, library: ScriptLibrary) -> list[str]:
    """Words of a product or service problem the script library answers (a late parcel, a small portion,
    a rude clerk): a comment naming one is a complaint about the product, whatever else it says."""
    text = mask_compounds(text)
    return sorted(w for w in library.issue_triggers if w in text)


def never_quote(knowledge_dir: Path) -> list[str]:
    """Words a reply must never quote back: insults, rumors, redirects, attacks."""
    lex = lexicons_for(knowledge_dir)
    words = [w for terms in lex.violations.values() for w in terms]
    return words + [w for m in ("attack", "counterfeit_claim", "origin_claim", "extortion", "injection") for w in lex.markers.get(m, [])]


def appeal_reason(violations: list[Violation]) -> Violation | None:
    return min(violations, key=REASON_PRIORITY.index) if violations else None
