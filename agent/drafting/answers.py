"""Answers to questions from the brand's facts (the `answer` action): what the question asks about (use,
skin type, combining, where to buy genuine, shipping, sizes, promotions, keeping it once open, taking it by
mouth, children), the facts of the brand file that
answer it, each cited, and a visible 【待确认：…】 blank only for what the file does not hold."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from agent.knowledge.brands import Brand, Product
from agent.knowledge.wording import questions, replies
from agent.placeholders import placeholder
from agent.text import normalize_for_match

# The educate scripts an answer replaces: they thank or explain in general and answer nothing asked, and the
# question script, which is the answer's frame.
ANSWERED_OVER = frozenset({"general", "praise", "praise_thanks", "usage_frequency", "question"})


@dataclass(frozen=True)
class Answer:
    text: str
    facts: list[str] = field(default_factory=list)  # the brand-file texts the answer states, to cite


def _first_sentence(text: str) -> str:
    return re.split(r"(?<=[。！!；;])", text.strip(), maxsplit=1)[0].strip().rstrip("。；;")


def asks(comment: str) -> bool:
    """Whether the comment asks something: a question word or a question mark."""
    return bool(questions().question_words.search(comment)) or "?" in comment or "？" in comment


def asked_topics(question: str) -> list[str]:
    """What the question asks about, in the order of the wording file (`answer_topics`)."""
    folded = normalize_for_match(question)
    return [topic for topic, pattern in replies().answer_topics.items() if pattern.search(folded)]


def _fact(brand: Brand, product: Product | None, topic: str, question: str) -> str | None:
    """The one brand fact answering `topic`, None when the file holds none."""
    folded = normalize_for_match(question)
    if topic == "usage":
        return product.usage if product else None
    if topic in ("skin_type", "combine", "shelf_life", "internal", "children"):
        words = replies().answer_topics[topic]
        lines = [*product.cautions, *product.claims] if product else []
        # The caution that names what the question names ("A醇", "敏感肌"), else one on the topic itself.
        named = [c for c in lines if any(w in c for w in re.findall(r"[A-Za-z]+|[\u4e00-\u9fff]{2,}", folded)
                                         if len(w) >= 2 and w in c and not words.fullmatch(w))]
        on_topic = [c for c in lines if words.search(c)]
        return next(iter(named + on_topic), None)
    policy = {"genuine": "authenticity", "shipping": "shipping"}.get(topic)
    found = brand.policy(policy) if policy else None
    return _first_sentence(found.text) if found else None


def draft_answer(question: str, brand: Brand, product: Product | None) -> Answer | None:
    """The answer to `question` from the brand's facts; None when it asks about nothing this knows."""
    topics = asked_topics(question)
    if not topics:
        return None
    words = replies()
    parts, facts = [], []
    for topic in topics:
        fact = _fact(brand, product, topic, question)
        if fact:
            facts.append(fact)
            parts.append(fact)
        else:
            parts.append(placeholder(words.answer_blanks[topic]))
    if not facts:
        return None  # nothing the file answers: the script's reply, not a page of blanks
    name = product.name if product else brand.name
    body = "；".join(parts)
    return Answer(text=words.answer_text.format(product=name, answer=body), facts=facts)
