"""Which comments are questions the brand's facts answer, whatever the comment-kind model heard: a question of
what the brand file holds (`answer_topics`), heard as a complaint or as talk, in an imported section."""

from __future__ import annotations

from collections.abc import Callable

from agent.drafting.answers import asks_brand_facts, names_product
from agent.knowledge.brands import Brand
from agent.triage.section_evidence import names_brand


def reads_as_question(text: str, brand: Brand, kind: str, in_section: bool, own: bool,
                      asks_only: Callable[[], bool]) -> bool:
    """"是哪个国家的牌子", "面膜有没有香味 我对香精过敏": heard as a complaint that states no fault (`asks_only`), or as
    talk under the brand's own note (`own`) or naming the brand or its product ("精华含不含酒精"). Only in a section: a
    comment drafted on its own was chosen by a person and is replied to."""
    if not in_section or kind not in ("complaint", "chatter") or not asks_brand_facts(text, brand):
        return False
    if kind == "complaint":
        return asks_only()
    return own or names_brand(text, brand) or names_product(text, brand)
