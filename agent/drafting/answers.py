"""Answers to questions from the brand's facts (the `answer` action): what the question asks about (use,
pregnancy, children, sun, fragrance, skin type, combining, origin, filing, tests, sizes, shipping…), the lines
of the brand file that answer it, each cited, and a visible 【待确认：…】 blank naming the fact only where the
file holds none. Which question asks for which fact, and where the file holds it, is data
(knowledge/wording/questions.yaml `answer_topics`); this module only reads the file's fields."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from agent.drafting.brand_lines import Line, lines_of
from agent.knowledge.brands import Brand, Product
from agent.knowledge.wording import appeals, questions
from agent.knowledge.wording_models import AnswerTopic
from agent.placeholders import placeholder
from agent.text import normalize_for_match
from agent.triage.features import asks_question
from agent.triage.safety import describes_reaction

# The educate scripts an answer replaces: they thank or explain in general and answer nothing asked, and the
# question script, which is the answer's frame.
ANSWERED_OVER = frozenset({"general", "praise", "praise_thanks", "usage_frequency", "question"})

_MENTION = re.compile(r"@\S+")
HAN_PAIR = re.compile(r"[\u4e00-\u9fff]{2}")


@dataclass(frozen=True)
class Answer:
    texts: list[str]  # the answer in each of the wording's frames, the first the default
    body: str = ""  # the answer itself, without a frame
    facts: list[str] = field(default_factory=list)  # the brand-file texts the answer states, to cite
    cites: list[str] = field(default_factory=list)  # the brand-file chunks they come from
    blanks: list[str] = field(default_factory=list)  # the facts the file lacks, named

    @property
    def text(self) -> str:
        return self.texts[0]


def asks(comment: str) -> bool:
    """Whether the comment asks something: a question word or a question mark."""
    return bool(questions().question_words.search(comment)) or "?" in comment or "？" in comment


def asks_at_all(folded: str) -> bool:
    """A question word or mark, or a question of how to use it ("请问…", "能…吗"), in a folded comment."""
    return asks(folded) or asks_question(folded)


def asks_brand_facts(comment: str, brand: Brand) -> bool:
    """A question about something the brand file answers, or should (a topic of `answer_topics`)."""
    folded = normalize_for_match(_MENTION.sub(" ", comment))
    return asks_at_all(folded) and bool(
        _topics_asked(folded, asked_products(brand, comment)))


def worried_question(comment: str, brand: Brand) -> bool:
    """A customer asking about something heard ("听说…甲醛超标…小孩子穿没事吧"), warning nobody: answered with the
    brand's tests and facts, never rebutted as a rumor nor looked up as an order. A reaction told is no worry."""
    folded = normalize_for_match(_MENTION.sub(" ", comment))
    words = questions()
    return (bool(appeals().rumor_hearsay.search(folded)) and bool(words.worry_asks.search(folded))
            and not words.warns_others.search(folded) and not describes_reaction(comment)
            and bool(_topics_asked(folded, asked_products(brand, comment))))


def _topics_asked(folded: str, products: list[Product]) -> list[str]:
    """The topics the question asks about. A topic asked only by naming the product itself ("面膜" is no
    question of combining under a mask's note) is not asked; an `other_thing` topic only for a thing no other
    topic asks about and the brand doesn't sell under that name."""
    topics = questions().answer_topics
    own = [normalize_for_match(a) for p in products for a in [p.name, *p.aliases] if a]
    asked = []
    for name, t in topics.items():
        if t.asks is None:
            continue
        for m in t.asks.finditer(folded):
            thing = m.groupdict().get("thing")
            if thing and any(thing in a or a in thing for a in own):
                continue
            if t.other_thing and (not thing or any(o.asks is not None and o is not t and o.asks.search(thing)
                                                   for o in topics.values())):
                continue
            asked.append(name)
            break
    return asked


def _chosen(topic: AnswerTopic, lines: list[Line], folded: str, thing: str) -> list[Line]:
    """The lines that answer the topic: those holding its words, the ones sharing most words with the question
    first (the file's order on a tie); with no `holds`, a topic naming a thing takes only lines naming it."""
    found = [ln for ln in lines if topic.holds is None or topic.holds.search(normalize_for_match(ln.lead + ln.text))]
    if topic.thing_named and thing and topic.holds is None:
        found = [ln for ln in found if thing in normalize_for_match(ln.text)]
    # Chinese words only: a brand name in the question ("GlowSkin") would draw every line that names the brand.
    pairs = {p for p in (folded[i:i + 2] for i in range(len(folded) - 1)) if HAN_PAIR.fullmatch(p)}

    def shared(ln: Line) -> tuple[bool, int]:
        text = normalize_for_match(ln.text)
        return (bool(thing) and thing in text, sum(1 for p in pairs if p in text))

    return sorted(found, key=shared, reverse=True)  # sorted() is stable: the file's order on a tie


def _thing(topic: AnswerTopic, folded: str, products: list[Product]) -> str:
    """What the question names for this topic ("水杨酸", "香港"), never the product asked about itself."""
    if topic.asks is None:
        return ""
    own = {normalize_for_match(a) for p in products for a in [p.name, *p.aliases]}
    for m in topic.asks.finditer(folded):
        thing = m.groupdict().get("thing")
        if thing and not any(thing in a for a in own):
            return thing
    return ""


def _claim_kinds(folded: str) -> list[str]:
    return [kind for kind, c in appeals().claims.items() if c.words.search(folded)]


def _named(brand: Brand, text: str) -> list[Product]:
    """The products a text names, the longest name first; "精华" inside "玫瑰精华油" names only the oil."""
    folded = normalize_for_match(text)
    found = {p.id: [a for a in {normalize_for_match(x) for x in [p.name, *p.aliases] if x} if a in folded]
             for p in brand.products}
    longer = [a for aliases in found.values() for a in aliases]
    kept = [(max(map(len, found[p.id])), p) for p in brand.products
            if found[p.id] and not all(any(a != b and a in b for b in longer) for a in found[p.id])]
    return [p for _, p in sorted(kept, key=lambda k: -k[0])]


def names_product(comment: str, brand: Brand) -> bool:
    """The comment names one of the brand's products ("精华", "开衫")."""
    return bool(_named(brand, comment))


def asked_products(brand: Brand, question: str, note_title: str = "", planned: Product | None = None) -> list[Product]:
    """The products a question is about: the note's (under a note about one product, a question is about it)
    and those the comment names, else the plan's; none where nothing names one (then every product's lines)."""
    named: list[Product] = []
    for p in [*_named(brand, note_title)[:1], *_named(brand, question)]:
        if all(p.id != q.id for q in named):
            named.append(p)
    if not named and planned is not None:
        named = [planned]
    return named[:2]


_BRAND_FIELDS = ("about", "catalogue", "certifications", "documents")


def _brand_level(topic: AnswerTopic) -> bool:
    return bool(topic.from_) and all(f in _BRAND_FIELDS or ":" in f for f in topic.from_)


def _for_trade(topic: AnswerTopic, brand: Brand) -> bool:
    """Whether the topic's advice (ask a doctor first) is for this brand's trade: "用任何护肤品之前" is no advice on
    wearing a cardigan."""
    return not topic.trades or brand.trade in topic.trades


@dataclass
class _Gathered:
    """What the topics asked found in the brand file, and what it lacks."""

    said: list[Line] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    blanks: list[str] = field(default_factory=list)
    unknowns: list[str] = field(default_factory=list)
    unfilled: list[str] = field(default_factory=list)  # what the file lacks that no reviewer could fill in


def _gather(brand: Brand, products: list[Product], asked: list[str], folded: str, name: str) -> _Gathered:
    words = questions()
    kinds = _claim_kinds(folded)
    out = _Gathered()
    for key in dict.fromkeys([*asked, *(a for t in asked for a in words.answer_topics[t].also)]):
        topic = words.answer_topics[key]
        thing = _thing(topic, folded, products)
        lines = [ln for source in topic.from_ for ln in lines_of(brand, products, source, kinds)]
        found = _chosen(topic, lines, folded, thing)
        # A line the answer already says, or says within a longer one, is not said twice.
        chosen = [ln for ln in found if all(ln.product != s.product or ln.text not in s.lead + s.text for s in out.said)]
        chosen = chosen[:min(words.answer_lines_per_topic, words.answer_lines - len(out.said))]
        out.said += chosen
        out.parts += [ln.said(topic.holds or (re.compile(re.escape(thing)) if thing else None)) for ln in chosen]
        if key not in asked:
            continue  # a companion topic adds what the file holds, never a blank of its own
        told = [ln for ln in found if ln in out.said]
        answered = bool(told) and (topic.answered_by is None
                                   or any(topic.answered_by.search(normalize_for_match(ln.text)) for ln in told))
        if answered and topic.thing_named and thing:
            answered = any(thing in normalize_for_match(ln.text) for ln in told)
        if not answered:
            missing = topic.blank.format(product=name, brand=brand.name, thing=thing or "这个")
            fillable = not topic.no_blank and (not topic.blank_trades or brand.trade in topic.blank_trades)
            (out.blanks if fillable else out.unfilled).append(missing)
            if topic.unknown and not told and _for_trade(topic, brand):
                out.unknowns.append(topic.unknown)
    return out


def answer_later(blanks: list[str] | None = None, unknowns: list[str] | None = None) -> Answer:
    """The honest answer to a question the brand file answers nothing of: the team will find out and reply, after
    a safety topic's advice (ask a doctor first); it names the missing fact where one is asked ("关于…能否寄往台湾及
    运费，"), and leaves no blank, for a reply of blanks answers nobody."""
    words = questions()
    named = [b for b in dict.fromkeys(blanks or []) if "这个" not in b]
    about = words.answer_later_about.format(fact=named[0]) if len(named) == 1 else ""
    care = "".join(f"{u}。" for u in dict.fromkeys(unknowns or []))
    texts = [frame.format(care=care, about=about) for frame in words.answer_later_frames]
    return Answer(texts=texts, body=texts[0])


def draft_answer(question: str, brand: Brand, product: Product | None, note_title: str = "",
                 blanks_only: bool = False, doubts_only: bool = False) -> Answer | None:
    """The answer to `question` from the brand's facts; None when it asks about nothing this knows, or (unless
    `blanks_only`, the `answer` action, where a named blank beats a script that answers nothing) when the file
    holds nothing of what it asks. The brand file's lines come first, then a blank for each fact it lacks;
    `doubts_only`: only what the file proves of a complaint's doubt (its filing, its tests), and no blank."""
    words = questions()
    question = _MENTION.sub(" ", question)  # "@…官方旗舰店" names the account, it asks nothing
    folded = normalize_for_match(question)
    products = asked_products(brand, question, note_title, product)
    asked = [t for t in _topics_asked(folded, products) if words.answer_topics[t].doubt or not doubts_only]
    put_aside = {o for t in asked for o in words.answer_topics[t].instead_of}
    asked = [t for t in asked if t not in put_aside]
    if not asked:
        return None
    about_products = any(not _brand_level(words.answer_topics[t]) for t in asked)
    name = products[0].name if len(products) == 1 and about_products else brand.name
    got = _gather(brand, products, asked, folded, name)
    if not got.said and (doubts_only or not blanks_only):
        return None  # nothing the file answers: the script's reply, not a page of blanks
    firsts = [] if doubts_only else [f for t in asked if (f := words.answer_topics[t].first)
                                     and _for_trade(words.answer_topics[t], brand)]
    if not got.said:  # nothing but blanks: the team finds out and replies
        return answer_later(got.blanks + got.unfilled, [*firsts, *got.unknowns])
    blanks, unknowns = ([], []) if doubts_only else (got.blanks, got.unknowns)
    parts = list(dict.fromkeys(got.parts))
    tail = [placeholder(b) for b in blanks]
    after = "".join(f"。{u}" for u in dict.fromkeys(unknowns))
    body = "；".join([*firsts, *parts, *tail]) + after
    # Each frame states the lines (and the blanks among them) in another order: customers asking the same thing
    # under one note are not given one reply twice (the drafter picks the frame least like the replies already
    # there; every line stays cited). A doctor's word stays first.
    items = [*parts, *tail]

    def lines(i: int) -> list[str]:
        turned = [*items[i % len(items):], *items[:i % len(items)]]
        # Two lines have two orders: the frames after those state the line that answers most, so a third asker
        # reads another reply.
        return items[:1] if len(parts) == 2 and not tail and i >= 2 else turned

    texts = [frame.format(product=name, answer="；".join([*firsts, *lines(i)]) + after if parts else body)
             for i, frame in enumerate(words.answer_frames)]
    return Answer(texts=texts, body=body, facts=[ln.text for ln in got.said],
                  cites=list(dict.fromkeys(ln.cite for ln in got.said)), blanks=blanks)
