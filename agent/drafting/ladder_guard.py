"""The hard checks on a model's draft of a later appeal rung, held against the offline draft of that rung.

A rung's text is not a public reply: it quotes the comments as evidence, lists the demands a lawyer is to
confirm (赔偿 in a brief) and carries the case's own ids, and the reply guardrails read some of that as a
failure. So each reply guardrail runs on both texts and the model fails only on what its own text adds
(a new amount of money, a link, an insult, a label…). The ladder's own checks are absolute: every citation
from the knowledge base, every 【待确认】 blank of the template kept (a blank is a fact nobody has: a model
that fills it invented it), and the phrases that say what the rung is (a brief stays a brief).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from agent.drafting import guardrails
from agent.drafting.check_input import CheckInput
from agent.drafting.ladder import ladder_checks
from agent.knowledge.brands import Brand
from agent.placeholders import placeholder_slots
from agent.schemas import CheckResult, Source, Violation, checked, found
from agent.text import detect_script
from agent.triage.pii import find_pii
from agent.triage.signals import lexicons_for

# The reply guardrails that hold for any text a person sends on the brand's behalf.
GUARDRAILS: tuple[Callable[[CheckInput], CheckResult], ...] = (
    guardrails.within_policy, guardrails.no_contact_redirect, guardrails.no_pii_echo, guardrails.no_blame,
    guardrails.no_concession, guardrails.no_injection, guardrails.no_rumor_concession, guardrails.no_label_leak,
)
_QUOTE = re.compile(r"“[^”]*”")


def _without_known_quotes(text: str, template: str) -> str:
    """The text without the comment excerpts the template quotes as evidence; a quote the model made up
    itself stays and is checked like the rest."""
    known = set(_QUOTE.findall(template))
    return _QUOTE.sub(lambda m: "" if m.group(0) in known else m.group(0), text)


def _beyond(model: CheckResult, template: CheckResult) -> CheckResult:
    """The model's result, counting only the problems the template's text does not have too."""
    if model.passed:
        return model
    known = {f.worded() for f in template.findings} if not template.passed else set()
    added = [f for f in model.findings if f.worded() not in known]
    return model.model_copy(update={"passed": not added, "detail": "; ".join(f.worded() for f in added),
                                    "findings": added})


def placeholders_kept(text: str, template: str) -> CheckResult:
    lost = [p for p in dict.fromkeys(placeholder_slots(template)) if p not in text]
    return checked("placeholders_kept", [found("filled or dropped {words}: a fact nobody has on record", words=p)
                                         for p in lost], hard=True)


def rung_form_kept(text: str, phrases: list[str]) -> CheckResult:
    missing = [p for p in phrases if p not in text]
    return checked("rung_form_kept", [found("lost '{words}'", words=p) for p in missing], hard=True)


def model_rung_checks(text: str, template: str, *, brand: Brand, comments: list[str], source: str,
                      violations: list[Violation], must_keep: list[str], knowledge_dir: Path) -> list[CheckResult]:
    """Every check of a model's rung draft; `hard_failures` of them decide whether the template stands in."""
    comment = "\n".join(comments)
    lexicons = lexicons_for(knowledge_dir)

    def guard_input(body: str) -> CheckInput:
        return CheckInput(reply=_without_known_quotes(body, template), comment=comment,
                          comment_script=detect_script(comment), source=Source(source), pii=find_pii(comment),
                          brand=brand, violations=violations, lexicons=lexicons)

    mine, theirs = guard_input(text), guard_input(template)
    return [*ladder_checks(text, knowledge_dir), placeholders_kept(text, template), rung_form_kept(text, must_keep),
            *(_beyond(check(mine), check(theirs)) for check in GUARDRAILS)]
