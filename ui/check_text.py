"""What a failed check found, in the desk's language: each finding's wording (agent.schemas.Finding) is a
msgid with {placeholders}, its values worded too (names translated, the draft's own words as a 繁體 reader
reads them); a check saved before checks kept their findings is read back from its detail.
"""

from __future__ import annotations

import re
from functools import lru_cache

from agent.schemas import CheckResult, Finding
from ui.i18n import N_, language, translate
from ui.plan_text import own_words
from ui.service_text import msgid_pattern

# What a failed check found (agent.schemas.Finding), each wording as its msgid: tests/ui/test_plan_text.py holds
# the list to every `found("…")` of the layers below and each one to a translation in 简体 and 繁體.
FINDINGS = [
    N_("a complaint's script in a draft whose action is {action}: {words}"),
    N_("an apology in a draft whose action is {action}: {words}"),
    N_("thanks a comment flagged as an offence: {words}"),
    N_("the appeal says the brand does not answer in public, but the reply does"),
    N_("the appeal calls the comment's claim unproven, but the reply apologises for it (「{words}」)"),
    N_("the reply speaks of a reaction (「{words}」) the comment does not describe"),
    N_("statements with no evidence behind them: {words}"),
    N_("argues with or blames the commenter: {words}"),
    N_("insulting or sensitive word: {words}"),
    N_("promises '{words}', which the brand's written policy does not offer"),
    N_("names an amount of money: {words}"),
    N_("offers a discount: {words}"),
    N_("concedes an unproven counterfeit or safety claim: {words}"),
    N_("states a rumor as fact: {words}"),
    N_("leaks or follows prompt text: {words}"),
    N_("contains a code the brand did not issue: {words}"),
    N_("internal note: {words}"),
    N_("external contact or link in a public reply (导流): {words}"),
    N_("cold officialese: {words}"),
    N_("repeats the comment's own words: {words}"),
    N_("{n} characters; the limit is {limit}"),
    N_("the reply is empty"),
    N_("fill {words} before approving"),
    N_("near-identical ({score}) to a reply already given under this note: {words}…"),
    N_("near-identical ({score}) to a reply the brand gave today: {words}…"),
    N_("repeats the commenter's {kind}"),
    N_("contains a {kind}"),
    N_("number not in the brand facts: {words}"),
    N_("claim not found in the brand facts: {words}"),
    N_("reply is {got}, comment is {expected}"),
    N_("《{law}》 is not in {file}"),
    N_("第{article}条 of 《{law}》 is not in {file}"),
    N_("第{article}条 cited without its law"),
    N_("the comments do not concern the brand (they name no brand, product, shop or customer service): the brand is not the injured party, so the case goes no further than the platform's report"),
    N_("{figure} {value}, below the threshold the brand set for this rung (needs ≥ {needed})"),
    N_("filled or dropped {words}: a fact nobody has on record"),
    N_("lost '{words}'"),
    N_("says “{words}” while checklist items are still open"),
    N_("「{words}」 is not written for this rung's reader"),
    N_("internal record 「{words}」 in the text to paste"),
    N_("{words}… (the first report's list of what to attach) is written as attached"),
    N_("{words}… is written as attached but not ticked"),
    N_("echoes the comment: {words}"),
    N_("repeats an earlier message of the thread: {words}"),
    N_("recites the prompt: {words}"),
    N_("a contact id or its disguise: {words}"),
    N_("does not answer the question asked (none of {words})"),
    N_("claims what the facts do not hold ({missing}): {words}"),
    N_("says “{claim}” but no appeal is drafted"),
    N_("tells someone with a reaction to keep using: {words}"),
    N_("rebuts a customer: {words}"),
    N_("internal label: {words}"),
    N_("prompt or template text: {words}"),
    N_("a reaction was described: the reply must advise pausing use"),
    N_("a reaction was described: the reply must offer help"),
    N_("tells someone who described no reaction to stop: {words}"),
    N_("concedes a rumor or counterfeit claim: {words}"),
    N_("concedes a reaction or offers a remedy to someone who used nothing: {words}"),
    N_("repeats the comment's {kind}: {words}"),
]
# The placeholders whose values are names the desk words (a kind of personal data, a script, a case's figure);
# every other value is the draft's or the comment's own words, a number or a file.
NAMED = {"kind", "got", "expected", "figure"}
NAMED_VALUES = [
    N_("phone"), N_("wechat"), N_("qq"), N_("email"), N_("url"), N_("address"), N_("id_card"), N_("name"),
    N_("zh-Hans"), N_("zh-Hant"), N_("likes"), N_("look-alike comments"), N_("severity"), N_("rejected reports"),
    N_("accusation"), N_("threat"), N_("insult"),
]


def finding_text(finding: Finding, lang: str | None = None) -> str:
    """One finding of a failed check in the desk's language, its values worded: names translated, the draft's
    own words as a 繁體 reader reads them."""
    lang = lang or language()
    values = {k: translate(v, lang) if k in NAMED else own_words(v, lang) for k, v in finding.values.items()}
    return translate(finding.text, lang, **values)


@lru_cache(maxsize=1)
def _findings() -> list[tuple[re.Pattern[str], str]]:
    return [(msgid_pattern(m), m) for m in sorted(FINDINGS, key=len, reverse=True)]


def _older(detail: str) -> list[Finding] | None:
    """A check saved before checks kept their findings: its detail read back into findings, when every part of it
    is a known wording (a part may hold "; " itself: "301 characters; the limit is 300")."""
    out, parts = [], detail.split("; ")
    while parts:
        for n in range(1, len(parts) + 1):
            part = "; ".join(parts[:n])
            match = next(((m, msgid) for p, msgid in _findings() if (m := p.match(part))), None)
            if match is not None:
                out.append(Finding(text=match[1], values=match[0].groupdict()))
                parts = parts[n:]
                break
        else:
            return None
    return out


def check_detail(check: CheckResult, lang: str | None = None) -> str:
    """A failed check's detail in the desk's language, from its findings; an older draft's detail read back into
    findings where it can be, else as it is."""
    lang = lang or language()
    findings = check.findings or (_older(check.detail) if check.detail and lang != "en" else None)
    if not findings:
        return check.detail
    return ("; " if lang == "en" else "；").join(finding_text(f, lang) for f in findings)
