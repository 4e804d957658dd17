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
    N_("violence, sexual violence or hate, naming nothing of the brand's: never thanked or answered"),
    N_("talk about people that names nothing of the brand or anything bought (a debate, chatter)"),
    N_("an insult in talk about people that names nothing of the brand: reported, no public reply"),
    N_("an insult at a person (a model, the staff, a user) that tells of nothing bought or used"),
    N_("read as a complaint, but it tells of no experience of the brand's goods or service and names no problem or "
       "claim (chatter, an opinion about the note)"),
    N_("tells of a reaction on the skin or body: answered as a complaint, with care, not as a question"),
    N_("a complaint asked as a question: it states a problem beside its question"),
    N_("praise that names a defect of the goods or the service: the defect is answered with its remedy"),
    N_("lead generation: an invitation to a private channel"), N_("spam"), N_("spam (author: {signs})"),
    N_("talk about another brand's goods that names nothing of the brand's"),
    N_("a reply between users that doesn't address the brand"),
    N_("a single comment that names neither the brand, its products nor any problem, read as chatter"),
    N_("a jab at how a person in the note looks (the author, a model), naming nothing bought or used"),
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
               N_("no_thanks_for_offence"),
               N_("nothing_conceded_unused"),
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
