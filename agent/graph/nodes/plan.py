"""plan: the reply strategy, whether to appeal, the escalation step, the script-library situation."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from agent.drafting.offline import DEFECT_SITUATIONS, choose_template, detect_product
from agent.errors import UserError
from agent.graph.nodes.retrieve import retrieval_query
from agent.graph.state import Deps, DraftState
from agent.knowledge.files import ScriptTemplate, load_brand, load_script_library
from agent.schemas import Escalation, Plan, Source, Strategy, Triage, Violation
from agent.triage import situation_model
from agent.triage.learned import ArtifactError
from agent.triage.rules import PRAISE_BELOW, asks_question, targets_group
from agent.triage.safety import describes_reaction
from agent.triage.signals import lexicons_for, unpraised
from agent.triage.situation_model import SituationGuess

STRATEGY = {
    Source.genuine_experience: Strategy.apologize_resolve,
    Source.misunderstanding: Strategy.educate,
    Source.competitor_attack: Strategy.neutral_rebuttal,
    Source.extortion: Strategy.neutral_rebuttal,
    Source.not_negative: Strategy.educate,
}
# Rules worth reporting even under a real customer's comment: they harm third parties.
ALWAYS_REPORT = {Violation.privacy, Violation.porn, Violation.political, Violation.spam_redirect}


def should_appeal(t: Triage) -> bool:
    if not t.violations:
        return False
    if t.source in (Source.genuine_experience, Source.misunderstanding, Source.not_negative):
        return bool(set(t.violations) & ALWAYS_REPORT)
    return True


def escalation(t: Triage, appeal: bool, cluster_size: int) -> Escalation:
    if t.source == Source.extortion:
        return Escalation.legal_letter
    if not appeal:
        return Escalation.none
    if cluster_size >= 5:
        return Escalation.account_manager  # organised brigading: the platform's people, not the report form
    return Escalation.platform_report


def _preferred_situation(state: DraftState, strategy: Strategy, about: str) -> str | None:
    """A complaint after the brand already answered in its thread is a follow-up: the earlier promise was
    not kept, and a second identical apology would make it worse. A described reaction otherwise always
    takes the reaction script (it advises pausing use and offers help; the offline drafter adds that care
    to a follow-up too)."""
    t = state.triage
    if strategy == Strategy.neutral_rebuttal and t is not None and Violation.abuse in t.violations \
            and targets_group(state.text_simplified) and not state.evidence.duplicate_cluster:
        # An insult at a race, a region or a gender: no discussion, no invitation to talk, no order lookup.
        return "group_attack"
    if strategy != Strategy.apologize_resolve:
        return None
    if state.comment.context is not None and state.comment.context.has_brand_reply:
        return "follow_up"
    return "allergy_reaction" if describes_reaction(about) else None


def _mostly_praise(state: DraftState, about: str) -> bool:
    """Praise was set aside (`about` is the comment without it) and the sentiment model reads the whole
    comment as praise."""
    t = state.triage
    negative = t.scores.get("negative") if t is not None else None
    return (t is not None and t.source == Source.genuine_experience and negative is not None
            and negative < PRAISE_BELOW and about != state.text_simplified)


def _situation_guess(state: DraftState, deps: Deps) -> SituationGuess:
    """The learned situation model's reading of the whole comment, with the embedding retrieval computed."""
    try:
        model = situation_model.load()
    except ArtifactError as e:
        raise UserError(str(e)) from e
    return model.guess(state.comment.text, deps.store.query_vector(retrieval_query(state.comment)))


def _model_decides(guess: SituationGuess, rules_situation: str, scripts: list[ScriptTemplate]) -> bool:
    """The model's situation replaces the triggers' where it is confident, where the triggers chose one of the
    situations it knows (not praise, a counterfeit worry…), and where there is a script for it. A reaction is
    never its call: the safety rules decide that (`describes_reaction`), before it is asked. Nor is moving a
    named kind of defect (a smell, a colour) to the generic defect script, which asks for less ("这瓶一股哈喇味…
    是不是这批有问题" keeps the smell script, which asks for the batch number)."""
    generic = guess.situation == "quality_defect" and rules_situation in DEFECT_SITUATIONS
    return (guess.confident and guess.situation != "allergy_reaction" and not generic
            and rules_situation in guess.known and any(t.situation == guess.situation for t in scripts))


def plan(state: DraftState, runtime: Runtime[Deps]) -> dict[str, Any]:
    t = state.triage
    assert t is not None
    settings = runtime.context.settings
    brand = load_brand(settings.knowledge_dir, state.brand)
    # Spam, lewd or doxxing comments are not complaints, but they get a calm reply that hands them to the platform.
    strategy = Strategy.neutral_rebuttal if t.source == Source.not_negative and t.violations else STRATEGY[t.source]
    library = load_script_library(settings.knowledge_dir)
    # What the complaint is about, read with its praise set aside ("快递很快，就是坏了" is about the damage).
    about = unpraised(state.text_simplified, lexicons_for(settings.knowledge_dir)) \
        if strategy == Strategy.apologize_resolve else state.text_simplified
    prefer = _preferred_situation(state, strategy, about)
    cluster = bool(state.evidence.duplicate_cluster)
    if t.source == Source.not_negative and not t.violations and not asks_question(state.text_simplified):
        prefer = "praise"  # praise is thanked, whatever topic word it names ("快递很给力")
    template = choose_template(library, strategy, about, brand.category, prefer=prefer, cluster=cluster)
    product = detect_product(brand, state.text_simplified)
    if template.situation == "praise" and product is None:
        # Thanks with no product named: a usage tip would be a blank the reviewer has to fill.
        template = choose_template(library, strategy, about, brand.category, prefer="praise_thanks", cluster=cluster)
    if template.situation == "general" and _mostly_praise(state, about):
        # A glowing review naming a small drawback ("…物超所值…缺点是床有点短"): thanks first, then sorry for
        # the drawback, not "让你不满意了".
        template = choose_template(library, strategy, about, brand.category, prefer="mixed_praise", cluster=cluster)
    rules_situation, situation = template.situation, template.situation
    guess = _situation_guess(state, runtime.context) if strategy == Strategy.apologize_resolve and prefer is None \
        else None
    if guess is not None and _model_decides(guess, rules_situation, library.candidates(strategy, brand.category)):
        situation = guess.situation
    # The situation is the decision; its entry is the one that fits the comment best (the first on a tie).
    template = choose_template(library, strategy, about, brand.category, prefer=situation, cluster=cluster)
    appeal = should_appeal(t)
    return {"plan": Plan(strategy=strategy, appeal=appeal,
                         escalation=escalation(t, appeal, len(state.evidence.duplicate_cluster) + 1),
                         situation=template.situation, template=template.id, product=product.id if product else None,
                         situation_by="model" if template.situation != rules_situation else "rules",
                         situation_scores=guess.top if guess is not None else {})}
