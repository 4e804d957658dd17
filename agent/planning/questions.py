"""Which comments are questions the brand's facts answer, whatever the comment-kind model heard: a question of
what the brand file holds (`answer_topics`), heard as a complaint or as talk; a request with no question word
("链接链接！"); a comparison asked under the brand's own note."""

from __future__ import annotations

from collections.abc import Callable

from agent.drafting.answers import asks_brand_facts, names_product
from agent.knowledge.brands import Brand
from agent.knowledge.wording import questions, sections
from agent.triage.features import asks_question
from agent.triage.section_evidence import names_brand


def reads_as_question(text: str, brand: Brand, kind: str, in_section: bool, own: bool,
                      asks_only: Callable[[], bool]) -> bool:
    """"是哪个国家的牌子", "面膜有没有香味 我对香精过敏": heard as a complaint that states no fault (`asks_only`), or as
    talk under the brand's own note (`own`) or naming the brand or its product ("精华含不含酒精")."""
    if kind not in ("complaint", "chatter") or not asks_brand_facts(text, brand):
        return False
    if not in_section:
        # Drafted on its own, talk that asks what the brand file answers ("这款要选L吗？想穿oversize一点") is a
        # question still: answered, never apologised to. Heard as a complaint, a person chose it to be replied to.
        return kind == "chatter" and asks_only()
    if kind == "complaint":
        return asks_only()
    return own or names_brand(text, brand) or names_product(text, brand)


def brand_question(folded: str) -> bool:
    """Asked as a question, about what the brand's facts answer (price, shipping, sizes, where to buy), or asked of the
    brand as a request ("链接链接！", "赶紧把黑色阔腿裤补货啊")."""
    words = sections()
    return bool(words.asks.search(folded) and words.brand_topics.search(folded)) or bool(words.requests.search(folded))


def asks_us(folded: str) -> bool:
    """Under the brand's own note, talk that asks something of it: how to use, or a comparison asked ("跟薇诺娜的
    舒敏精华比哪个好用？")."""
    words = sections()
    return asks_question(folded) or bool(words.compares.search(folded) and words.asks.search(folded)
                                         and questions().question_words.search(folded))
