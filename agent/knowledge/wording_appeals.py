"""The typed model of knowledge/wording/appeals.yaml: what an appeal may say, and the words that ground it."""

from __future__ import annotations

from agent.knowledge.loading import Strict
from agent.knowledge.wording_types import Pattern, Words, _Wording


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
    rumor_asserted: Pattern
    own_purchase: Pattern
    rumor_subject: Pattern
    ip_use: Pattern
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
    mention_later: Pattern
    sentence_end: Pattern
    told_intro: Pattern
    self_ref: Pattern
    thing_after: Pattern
    degree_before: Pattern
    people: Pattern
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
    calls_false: Pattern
    concedes: Pattern
    reaction_words: Pattern
    internal_markers: list[str]
    hedges: Pattern
    extortion_deletes: Pattern
    extortion_demand: str
    own_reaction: Pattern
    compensation: Pattern
    documents_request: str
    brand_political_claim: Pattern
    political_labels: Pattern
    porn_naming: Pattern
    porn_talk: Pattern
    porn_offer: Pattern
    porn_of_group: Pattern
    political_advocacy: Pattern
    quote_split: Pattern
    contact_ids: Pattern
    redirect_context: Pattern
    pointer_told: Pattern
    impersonation: str
    poses_as: Pattern
    brand_refs: Pattern
    ad_talk: Pattern
    other_goods: Pattern
    off_brand_gate: str
    extortion_gate: str
