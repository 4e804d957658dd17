"""The typed models of the wording files (knowledge/wording/*.yaml): one per file, strict, with every list of
alternatives compiled into one regular expression when the file loads. agent.knowledge.wording reads them."""

from __future__ import annotations

import re
from functools import cached_property
from typing import Annotated, Any

from pydantic import PlainValidator

from agent.knowledge.brands import StatedFact
from agent.knowledge.loading import Strict


def _compile(value: Any) -> re.Pattern[str]:
    """One pattern from a regular expression, or from a list of alternatives joined with "|"."""
    if isinstance(value, list) and value and all(isinstance(v, str) and v for v in value):
        value = "|".join(value)
    if not isinstance(value, str) or not value:
        raise ValueError("expected a pattern or a non-empty list of alternatives")
    try:
        return re.compile(value)
    except re.error as e:
        raise ValueError(f"does not compile: {e}") from None


def _words(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
        raise ValueError("expected a non-empty list of words")
    return tuple(value)


Pattern = Annotated[re.Pattern[str], PlainValidator(_compile)]
Words = Annotated[tuple[str, ...], PlainValidator(_words)]


class _Wording(Strict):
    """A wording file: unknown keys are errors (extra='forbid'), so a misspelt list is never silently unused."""


class Praise(_Wording):
    verdicts: Pattern
    verdict_tail: Pattern
    degrees: Pattern
    negations: Pattern
    praising_negations: Pattern
    negators: Words
    suggestions: Pattern
    own_slips: Pattern

    @cached_property
    def verdict(self) -> re.Pattern[str]:
        """A clause ending on a verdict of praise, particles after it free."""
        return re.compile(f"(?:{self.verdicts.pattern}){self.verdict_tail.pattern}$")

    @cached_property
    def degree_tail(self) -> re.Pattern[str]:
        """The degree words that end a clause's topic ("态度很|好")."""
        return re.compile(f"(?:{self.degrees.pattern})+$")

    @cached_property
    def not_negated(self) -> str:
        """Lookbehinds that keep a praise word from counting right after a negator: one class for the
        one-character negators, one lookbehind for each longer one."""
        chars = "".join(w for w in self.negators if len(w) == 1)
        longer = "".join(f"(?<!{re.escape(w)})" for w in self.negators if len(w) > 1)
        return (f"(?<![{chars}])" if chars else "") + longer


class Turns(_Wording):
    clause_turns: Pattern
    praise_turns: Pattern
    focus_turns: Pattern
    summing_up: Pattern

    @cached_property
    def turn_ahead(self) -> re.Pattern[str]:
        """Where a clause turns (zero width: the clause is cut there)."""
        return re.compile(f"(?={self.clause_turns.pattern})")

    @cached_property
    def turn_word(self) -> re.Pattern[str]:
        """The turn word at the start of a cut clause."""
        return re.compile(f"^(?:{self.clause_turns.pattern})")


class Questions(_Wording):
    asks_how: Pattern
    asks_if_true: Pattern
    question_words: Pattern


class People(_Wording):
    at_people: Pattern
    groups: Pattern
    brand_people: Words
    named_people: Pattern


class Experience(_Wording):
    used_it: Pattern
    first_hand: Pattern
    bought_at: Pattern
    other_channels: Pattern


class Extortion(_Wording):
    money_demand: Pattern
    post_threats: Pattern


class Sections(_Wording):
    lead_gen: Pattern
    lead_gen_nickname: Pattern
    sticker: Pattern
    to_author: Pattern
    report_claims: Pattern
    brand_topics: Pattern
    asks: Pattern
    consumer_matter: Pattern


class Trade(Strict):
    name: str  # what a reply calls it ("餐饮外卖")
    words: Pattern  # words that name its goods or services and no other trade's


class Trades(_Wording):
    trades: dict[str, Trade]


class Privacy(_Wording):
    someone_elses: Pattern
    own_contact: Pattern
    wechat_id: Pattern
    qq_id: Pattern
    address: Pattern
    real_name: Pattern


class Quoting(_Wording):
    lead_ins: Pattern
    fault_cues: Pattern
    not_restated: Pattern
    exclaimed: Pattern
    first_person: Pattern
    said_back_as: str

    @cached_property
    def lead_in(self) -> re.Pattern[str]:
        """A lead-in at the very start of a clause."""
        return re.compile(f"^(?:{self.lead_ins.pattern})")


class Replies(_Wording):
    reaction_care: str
    also_noted: str
    no_order_found: str
    shorter_asks: Words
    warmer_asks: Words
    formal_asks: Words
    kept_when_shorter: Words
    warm_openers: Words
    warm_opening: str
    warm_strip: str
    formal_swaps: list[tuple[str, str]]
    stated_facts: dict[StatedFact, Pattern]
    no_policy_offer: str
    answer_topics: dict[str, Pattern]
    answer_blanks: dict[str, str]
    answer_text: str


class ClaimWords(Strict):
    words: Pattern
    document: str


class Appeals(_Wording):
    order_found: str
    no_order: str
    key_order_id: str
    key_author: str
    cluster: str
    spread: str
    history: str
    posted: str
    grounds: str
    fact: str
    report_no: str
    documents: str
    claims: dict[str, ClaimWords]
    ip_accusation: Pattern
    rumor_cues: Pattern
    rumor_hearsay: Pattern
    groups: Pattern
    group_insults: Pattern
    group_narrowed: list[str]
    quoted: Pattern
    mention_verbs: list[str]
    not_insults: Pattern
    clause: Pattern
    reported_speech: Pattern
    own_speech: Pattern
    negated: Pattern
    mention_after: Pattern
    labels: Pattern
    addressed: Pattern
    discussion: Pattern
    group_qualifiers: Pattern
    extortion_label: str
    extortion_content: str
    extortion_explanation: str
    rights_document: str
    marks_blank: str
    extortion_checklist: list[str]
    extortion_steps: list[str]
    cluster_listed: Words
    cluster_item: str
    pictures_item: str
    statement_needs: dict[str, Pattern]
    silent: Pattern
    reaction_words: Pattern
    internal_markers: list[str]
    hedges: Pattern
    extortion_deletes: Pattern
    extortion_demand: str
    own_reaction: Pattern
    compensation: Pattern
    documents_request: str
    brand_political_claim: Pattern
    separatism_labels: Pattern
    political_advocacy: Pattern
    quote_split: Pattern
    contact_ids: Pattern
    redirect_context: Pattern
    impersonation: str
    poses_as: Pattern
    brand_refs: Pattern
    off_brand_gate: str
    extortion_gate: str


class Overruled(Strict):
    """Why a model's source was set back to the rules' (agent/triage/bounds.py)."""

    extortion_proven: str
    order_on_record: str
    first_hand_complaint: str
    complaint_signals: str
    no_attack_evidence: str


class Rationales(_Wording):
    sources: dict[str, str]
    flooding_note: str
    safety_note: str
    overruled: Overruled
    source_overruled: str
    violations_dropped: str


class Variety(_Wording):
    """Interchangeable words of a reply (agent.drafting.phrasing): any member of a group may stand for another."""

    openers: Words  # at the very start of a reply
    swaps: list[Words]  # anywhere in it; one member of each group at most is swapped
    sign_offs: Words  # at its very end
