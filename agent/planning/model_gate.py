"""When the learned situation model is asked, and when its answer replaces the rules' situation."""

from __future__ import annotations

from agent.drafting.offline import DEFECT_SITUATIONS
from agent.knowledge.script_library import ScriptTemplate
from agent.planning.inputs import PlanInput
from agent.planning.scripts import ScriptChoice
from agent.schemas import Strategy
from agent.triage.situation_model import SituationGuess
from agent.triage.trade import names_own_trade


def asks_model(choice: ScriptChoice) -> bool:
    """Only an apology the rules insist on no situation for: a follow-up, a reaction or praise is theirs."""
    return choice.strategy == Strategy.apologize_resolve and choice.prefer is None


# The model's answer replaces a situation the triggers named only where it leads that situation's own probability by
# this margin; where they named none ("general") its threshold (0.3) is enough. Chosen by 5-fold cross-validation
# of the product (`redreply eval cv`: triggers and the model of each fold) on the 2,800 training labels: 0.672 with
# margin 0.3, 0.671 / 0.670 / 0.666 with 0.1 / 0.2 / 0.4; thresholds 0–0.3 are alike, 0.4 and 0.5 fall to 0.661 and
# 0.648 (docs/evals.md, "Situation cross-validation"). The triggers keep what the model finds nearly as likely as its own answer
# ("…结果瓶子碎了": the outcome), and where the comment names the brand's own goods (`decided_situation`).
NAMED_MARGIN = 0.3


def model_decides(guess: SituationGuess, rules_situation: str, scripts: list[ScriptTemplate]) -> bool:
    """The model's situation replaces the triggers' where it is confident (and leads the one they named by
    NAMED_MARGIN), where the triggers chose one of the
    situations it knows (not praise, a counterfeit worry…), and where there is a script for it. A reaction is
    never its call: the safety rules decide that (`describes_reaction`), before it is asked. Nor is moving a
    named kind of defect (a smell, a colour) to the generic defect script, which asks for less ("这瓶一股哈喇味…
    是不是这批有问题" keeps the smell script, which asks for the batch number)."""
    generic = guess.situation == "quality_defect" and rules_situation in DEFECT_SITUATIONS
    lead = guess.p - guess.probs.get(rules_situation, 0.0)
    sure = guess.confident and (rules_situation == "general" or lead >= NAMED_MARGIN)
    return (sure and guess.situation != "allergy_reaction" and not generic
            and rules_situation in guess.known and any(t.situation == guess.situation for t in scripts))


def decided_situation(inp: PlanInput, choice: ScriptChoice, guess: SituationGuess | None) -> str:
    """The model's situation where it was asked and decides, the rules' otherwise. The model learned from reviews
    of takeaways, hotels, electronics and books; the triggers were written for the brand's own goods: on a
    comment that names them ("精华用完一整瓶了，一点效果都没有") a situation the triggers name stands."""
    if guess is None or not asks_model(choice):
        return choice.situation
    if choice.situation != "general" and names_own_trade(inp.text, inp.brand):
        return choice.situation
    scripts = inp.library.candidates(choice.strategy, inp.brand.category)
    return guess.situation if model_decides(guess, choice.situation, scripts) else choice.situation
