"""What the planning and triage layers tell the reviewer, in the desk's language: the action's reason ("why
this action", agent.planning.action_input.REASONS), the triage's signals (the rules that fired, the learned scores,
the section's reason for a report) and its rationale.

The layers word them once, in English for the CLI, the logs and the evals (the rationale in Chinese, from
knowledge/wording/rationales.yaml); here each known text is a msgid with {placeholders}, matched and
translated with its values worded too (a platform status, violation names, an author's signs). Every reason
the planner can produce is listed below with `N_`: tests/ui/test_plan_text.py holds the list to the planner's
and each one to a translation in 简体 and 繁體.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from agent.schemas import CheckResult, Finding
from agent.text import to_traditional
from ui.i18n import N_, language, translate
from ui.service_text import msgid_pattern

# agent.planning.action_input.REASONS, each as its msgid.
ACTION_REASONS = [
    N_("written by the brand's own account"), N_("{status} on the platform"),
    N_("no words to answer: empty, a picture, or only stickers or emoji"),
    N_("extortion: money for deleting a comment"),
    N_("the note doesn't concern the brand ({relation}) and the comment doesn't name it"),
    N_("breaks a platform rule: {violations}"), N_("abuse aimed at people, with no complaint to answer"),
    N_("harsh words about people that name nothing of the brand, with no insult a report could quote"),
    N_("harsh words about people that name nothing of the brand, with no insult a report could quote"),
    N_("talk about people that names nothing of the brand or anything bought (a debate, chatter)"),
    N_("an insult in talk about people that names nothing of the brand: reported, no public reply"),
    N_("an insult at a person (a model, the staff, a user) that tells of nothing bought or used"),
    N_("read as a complaint, but it tells of no experience of the brand's goods or service and names no problem or "
       "claim (chatter, an opinion about the note)"),
    N_("tells of a reaction on the skin or body: answered as a complaint, with care, not as a question"),
    N_("a complaint asked as a question: it states a problem beside its question"),
    N_("praise that names a defect of the goods or the service: the defect is answered with its remedy"),
    N_("lead generation: an invitation to a private channel"), N_("spam"), N_("spam (author: {signs})"),
    N_("a reply between users that doesn't address the brand"),
    N_("a single comment that names neither the brand, its products nor any problem, read as chatter"),
    N_("a single comment, not from a section: answered"), N_("chatter"), N_("a question to the note's author"),
    N_("a question the brand can answer"), N_("read as praise, but the sentiment model scores it negative"),
    N_("read as praise, but the sentiment model scores it negative: neither thanked nor apologised to"),
    N_("read as praise, but it names a problem the sentiment model hears as a complaint"),
    N_("praise of, or talk about, something the brand doesn't sell"),
    N_("praise of the brand"), N_("a complaint or claim about the brand"),
]

# The values the reasons and signals carry, each its own msgid: a comment's platform status, the note's
# relation to the brand, an author's lead-generation signs (agent.triage.section_evidence), the lexicon's
# markers (knowledge/lexicons.yaml) and the script library's issue words.
VALUES = [
    N_("visible"), N_("hidden"), N_("deleted"),
    N_("own"), N_("tags"), N_("unrelated"), N_("unknown"),
    N_("nickname"), N_("repeated_invitations"), N_("several_notes"),
    N_("safety"), N_("quality"), N_("extortion_pay"), N_("extortion_deal"), N_("extortion_threat"),
    N_("competing_sale"), N_("misuse"), N_("expectation"), N_("attack"), N_("counterfeit_claim"),
    N_("drawback"), N_("injection"), N_("hearsay"), N_("insider"), N_("steer"), N_("prepurchase"), N_("impersonation"),
    N_("issue"),
]
LISTS = ("violations", "signs")  # placeholders holding ", "-joined values

# The signals that are not "<rule>: <the comment's words>", and the planning layer's own check.
SIGNALS = [N_("learned: offensive {offensive}, negative {negative}"), N_("section: {reason}")]
CHECK_NAMES = [N_("report_claim_matches_plan"),
               N_("answers_question"),
               N_("appeal_clean"),
               N_("grounded_claims"),
               N_("grounded_claims_hard"),
               N_("no_blame"),
               N_("no_concession"),
               N_("no_contact_id"),
               N_("no_contact_redirect"),
               N_("no_echo"),
               N_("no_hostile_echo"),
               N_("no_injection"),
               N_("no_label_leak"),
               N_("no_officialese"),
               N_("no_pii_echo"),
               N_("no_prompt_text"),
               N_("no_rebuttal_of_customer"),
               N_("no_rumor_concession"),
               N_("not_repeated"),
               N_("placeholders_filled"),
               N_("reaction_care"),
               N_("script_match"),
               N_("within_length"),
               N_("within_policy"),
               N_("fits_action"),
               N_("appeal_evidence"),
               N_("citations_in_knowledge"),
               N_("evidence_as_ticked"),
               N_("no_internal_note"),
               N_("one_story"),
               N_("placeholders_kept"),
               N_("proportionate"),
               N_("reader_fit"),
               N_("rung_form_kept"),
]
# What a failed check found (agent.schemas.Finding), each wording as its msgid: tests/ui/test_plan_text.py holds
# the list to every `found("…")` of the layers below and each one to a translation in 简体 and 繁體.
FINDINGS = [
    N_("a complaint's script in a draft whose action is {action}: {words}"),
    N_("an apology in a draft whose action is {action}: {words}"),
    N_("the appeal says the brand does not answer in public, but the reply does"),
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


@lru_cache(maxsize=1)
def _reasons() -> list[tuple[re.Pattern[str], str]]:
    # Longest first: "spam (author: …)" before "spam", the section's longer sentence before its prefix.
    return [(msgid_pattern(m), m) for m in sorted(ACTION_REASONS, key=len, reverse=True)]


def _value(text: str, lang: str) -> str:
    return translate(text, lang)


def reason_text(reason: str, lang: str | None = None) -> str:
    """An action's reason in the desk's language; an unknown one (an older draft's) as it is."""
    lang = lang or language()
    if not reason or lang == "en":
        return reason
    for pattern, msgid in _reasons():
        m = pattern.match(reason)
        if m:
            values = {k: "、".join(_value(v, lang) for v in w.split(", ")) if k in LISTS else _value(w, lang)
                      for k, w in m.groupdict().items()}
            return translate(msgid, lang, **values)
    return reason


def reason_worder() -> Callable[[str], str]:
    """`reason_text` bound to this run's language, for a table's cells."""
    lang = language()
    return lambda reason: reason_text(reason, lang)


def _words(text: str, lang: str) -> str:
    """Our own Chinese (a rationale, a signal's words, kept Simplified) as a 繁體 reader reads it."""
    return to_traditional(text) if lang == "zh_Hant" else text


def signal_text(signal: str, lang: str | None = None) -> str:
    """One triage signal: "<rule>: <words>" with the rule's name worded, the learned scores and the section's
    reason translated."""
    lang = lang or language()
    if lang == "en":
        return signal
    for msgid in SIGNALS:
        m = msgid_pattern(msgid).match(signal)
        if m:
            values = {k: reason_text(v, lang) if k == "reason" else v for k, v in m.groupdict().items()}
            return translate(msgid, lang, **values)
    name, sep, words = signal.partition(": ")
    if not sep:
        return _words(signal, lang)
    return f"{_value(name, lang)}：{_words(words, lang)}"


def own_words(text: str, lang: str | None = None) -> str:
    """Chinese the desk's own layers word (a reviewer's note, a checklist's labels, kept in 简体) for its reader."""
    return _words(text, lang or language())


def words_worder() -> Callable[[str], str]:
    """`own_words` bound to this run's language, for a widget's format_func (called outside the run too)."""
    lang = language()
    return lambda text: _words(text, lang)


def rationale_text(rationale: str, lang: str | None = None) -> str:
    """The triage's rationale (written in 简体) for the desk's reader."""
    return _words(rationale, lang or language())


# Why the offline drafter stood in for a model (StepRecord.fallback), "; "-joined per step: a check's names
# worded, a model's own error quoted as it came.
FALLBACKS = [N_("the model's draft failed {checks} after its revision"), N_("the model's draft failed {checks}"),
             N_("triage: {error}"), N_("draft: {error}")]


def fallback_text(fallback: str, lang: str | None = None) -> str:
    lang = lang or language()
    if lang == "en":
        return fallback
    out = []
    for part in fallback.split("; "):
        for msgid in FALLBACKS:
            m = msgid_pattern(msgid).match(part)
            if m:
                values = m.groupdict()
                if "checks" in values:
                    values["checks"] = "、".join(translate(c, lang) for c in values["checks"].split(", "))
                out.append(translate(msgid, lang, **values))
                break
        else:
            out.append(part)
    return "；".join(out)


def finding_text(finding: Finding, lang: str | None = None) -> str:
    """One finding of a failed check in the desk's language, its values worded: names translated, the draft's
    own words as a 繁體 reader reads them."""
    lang = lang or language()
    values = {k: translate(v, lang) if k in NAMED else _words(v, lang) for k, v in finding.values.items()}
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
