"""The typed models of the wording files (knowledge/wording/*.yaml): one per file, strict, with every list of
alternatives compiled into one regular expression when the file loads. agent.knowledge.wording reads them."""

from __future__ import annotations

import re
from functools import cached_property
from typing import Annotated, Any

from pydantic import Field, PlainValidator, model_validator

from agent.knowledge.brands import StatedFact
from agent.knowledge.loading import Strict
from agent.knowledge.wording_types import Pattern, Words, _Wording


class Praise(_Wording):
    verdicts: Pattern
    verdict_tail: Pattern
    degrees: Pattern
    negations: Pattern
    claim_denials: Pattern
    sarcasm: Pattern
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


# Where in the brand file an answer may lie (agent/drafting/answers.py reads each).
FactField = Annotated[str, PlainValidator(lambda v: _fact_field(v))]
FACT_FIELDS = ("usage", "cautions", "claims", "ingredients", "description", "about", "catalogue", "certifications",
               "documents")


def _fact_field(value: Any) -> str:
    if not isinstance(value, str) or not (value in FACT_FIELDS or re.fullmatch(r"(?:policy|offers):[a-z_]+", value)):
        raise ValueError(f"expected one of {', '.join(FACT_FIELDS)}, policy:<id> or offers:<id>, got {value!r}")
    return value


class AnswerTopic(Strict):
    """One thing a question may ask about, and where the brand file answers it."""

    asks: Pattern | None = None  # None: only ever answered beside another topic (`also`)
    from_: list[FactField] = Field(default_factory=list, alias="from")
    holds: Pattern | None = None
    answered_by: Pattern | None = None
    thing_named: bool = False
    other_thing: bool = False
    doubt: bool = False
    blank: str
    unknown: str | None = None
    also: list[str] = Field(default_factory=list)
    first: str | None = None  # said before the answer whenever the topic is asked (a doctor's word first)
    instead_of: list[str] = Field(default_factory=list)  # topics not answered when this one is asked
    no_blank: bool = False  # the file lacking it is no blank: a document the team cannot produce
    trades: list[str] = Field(default_factory=list)  # the trades its `first` and `unknown` advise (none: every trade)
    blank_trades: list[str] = Field(default_factory=list)  # the trades its missing fact is a blank for


class Questions(_Wording):
    asks_how: Pattern
    asks_if_true: Pattern
    question_words: Pattern
    worry_asks: Pattern
    warns_others: Pattern
    wishes: Pattern
    answer_topics: dict[str, AnswerTopic]
    answer_lines_per_topic: int = Field(ge=1)
    answer_lines: int = Field(ge=1)
    answer_offer: str
    answer_frames: Words
    answer_beside: str
    answer_later_frames: Words
    answer_later_about: str

    @model_validator(mode="after")
    def _also_known(self) -> Questions:
        unknown = sorted({t for topic in self.answer_topics.values() for t in topic.also} - set(self.answer_topics))
        if unknown:
            raise ValueError(f"answer_topics: `also` names no topic: {', '.join(unknown)}")
        return self


class People(_Wording):
    at_people: Pattern
    insult_at_thing: Pattern
    insult_said_of: Pattern
    goods_words: Pattern
    groups: Pattern
    asks_about_treatment: Pattern
    brand_people: Words
    named_people: Pattern
    labels: Pattern
    addressed: Pattern
    looked_at: Pattern
    shames: Pattern
    looks: Pattern
    worn: Pattern


class Experience(_Wording):
    used_it: Pattern
    first_hand: Pattern
    not_yet: Pattern
    own_goods: Pattern
    worry_asks: Pattern
    own_purchase: Pattern
    value_opinion: Pattern
    likeness: Pattern
    bought_at: Pattern
    other_channels: Pattern


class Extortion(_Wording):
    money_demand: Pattern
    deletion_deals: Pattern
    post_threats: Pattern
    dm_replies: list[str]


class Sections(_Wording):
    scam_warning: Pattern
    requests: Pattern
    unanswered_dms: Pattern
    violence: Pattern  # atrocity, sexual violence, hate: a comment holding any is never thanked
    praise_thanks: Pattern  # a reply thanking for praise ("被夸了", "谢谢你的喜欢")
    lead_gen: Pattern
    link_offer: Pattern
    lead_gen_nickname: Pattern
    sticker: Pattern
    to_author: Pattern
    report_claims: Pattern
    brand_topics: Pattern
    asks: Pattern
    compares: Pattern  # a comparison or question beside another brand's name: the brand's to answer
    consumer_matter: Pattern
    brand_refs: Pattern
    apology: Pattern
    thanks_first: Pattern
    complaint_script: Pattern


class Trade(Strict):
    name: str  # what a reply calls it ("餐饮外卖")
    words: Pattern  # words that name its goods or services and no other trade's


class LearnedTrades(Strict):
    trades: list[str]  # the trades the topic model may name
    min_chars: int  # Chinese characters left beside the shopping talk for the model to read
    shopping: Pattern  # what every buyer says, whatever the trade: set aside before the model reads
    evidence_at: float = 0.25  # the least a word of the comment must weigh toward the trade the model reads


class Trades(_Wording):
    trades: dict[str, Trade]
    learned: LearnedTrades
    # Other shops, platforms and couriers a comment can blame ("京东", "顺丰"): none of them the brand's to answer for
    parties: Pattern
    # A trade's word inside a phrase about something else ("前台脸上的表情"): set aside before asking whose trade it is
    idioms: Pattern


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
    hostile: dict[str, Pattern]
    not_neutral: Pattern
    asking: Pattern
    exclaimed: Pattern
    first_person: Pattern
    said_back_as: str

    @cached_property
    def lead_in(self) -> re.Pattern[str]:
        """A lead-in at the very start of a clause."""
        return re.compile(f"^(?:{self.lead_ins.pattern})")


class HeldFor(Strict):
    """How long a customer says they have had the goods (agent/drafting/held_for.py)."""

    ago: Pattern  # what follows a duration said before the buying: "两个月前买的"
    bought: Pattern  # the buying or receiving that follows it ("前在旗舰店买的"), or a year's name ("去年…买的")
    after: Pattern  # what precedes a duration of having or using it: "穿了两周"
    not_at_least: Pattern  # what makes a duration an upper bound: "不到一个月"
    units: dict[str, int]  # a unit's days
    years_ago: dict[str, int]  # "去年买的": the days at least


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
    held_for: HeldFor
    past_window_blank: str
    calls_out: Pattern
    first_person: Pattern
    other_brands: Pattern
    had_it: Pattern
    hearsay: Pattern
    own_use: Pattern
    concedes_use: Pattern
    body_words: Pattern
    price_words: Pattern
    lighter: list[tuple[str, str]]


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
