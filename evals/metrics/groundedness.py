"""Groundedness: every product claim a reply makes must be supported by the facts it may cite.

One extractor per kind of claim a reply can invent — amounts and durations, ingredients, acronyms
(certifying bodies, standards), and clauses about certifications or tests. Each yields (claim,
supported); `groundedness` scores them together.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from agent.knowledge.brands import Brand
from evals.metrics.reply_text import coverage, has_any, norm

_AMOUNT = re.compile(
    r"(?<![\d.])\d{1,3}(?:\.\d+)?\s*(?:%|％|个小时|小时|分钟|天|周|个月|年|滴|毫升|ml|g|克|倍|h)(?![a-z])"
    r"|[一二两三四五六七八九十百]+(?:个小时|小时|分钟|天|周|个月|年)",
    re.I)
_ACRONYM = re.compile(r"(?<![A-Za-z])[A-Z][A-Z0-9\-]{1,}(?![A-Za-z])")
_CERT_WORDS = ("认证", "检测", "测试", "报告", "临床", "实验", "专利", "备案", "资质", "质检", "权威", "无添加", "零添加")
INGREDIENTS = ("烟酰胺", "玻尿酸", "透明质酸", "视黄醇", "a醇", "水杨酸", "果酸", "神经酰胺", "积雪草", "维c",
               "维生素c", "维生素e", "角鲨烷", "酒精", "乙醇", "香精", "防腐剂", "激素", "荧光剂", "重金属", "汞",
               "铅", "甲醛", "胜肽", "多肽", "玫瑰", "荷荷巴", "角质", "纯棉", "亚麻", "羊毛", "羊绒", "涤纶",
               "聚酯", "莫代尔", "桑蚕丝", "真丝", "氨纶", "全棉", "棉质")
_CLAUSE = re.compile(r"[，,。！!？?；;\n]+")
_PLACEHOLDER = re.compile(r"【[^】]*】")
_NOT_CLAIMS = {"OK", "APP", "DM", "ID", "QQ"}
# Function words dropped from a certification clause before it is matched to the facts.
_FILLER = set("这款我们你您已经过通的都是了该本品个也有和与及并且还均哦呢啦吧呀～~ ")


@dataclass(frozen=True)
class Groundedness:
    score: float
    claims: list[str]
    unsupported: list[str]


@dataclass(frozen=True)
class ClaimContext:
    """The reply and the facts, each prepared once for every extractor."""

    reply: str  # as written
    text: str  # normalised, every placeholder 【…】 emptied to 【】
    corpus: str  # all facts, normalised, without whitespace
    fact_sentences: list[str]
    ignored: set[str]  # normalised brand and product names

    @classmethod
    def build(cls, reply: str, facts: Sequence[str], ignore: Iterable[str]) -> ClaimContext:
        return cls(reply=reply, text=_PLACEHOLDER.sub("【】", norm(reply)),
                   corpus=re.sub(r"\s+", "", norm("\n".join(facts))),
                   fact_sentences=[s for f in facts for s in re.split(r"[。；;\n]+", norm(f)) if s.strip()],
                   ignored={norm(w) for w in ignore if w})


Claims = Iterator[tuple[str, bool]]


def amount_claims(ctx: ClaimContext) -> Claims:
    """Amounts and durations (数字+单位): supported when they occur in the facts."""
    for m in _AMOUNT.finditer(ctx.text):
        atom = re.sub(r"\s+", "", m.group(0))
        yield atom, atom in ctx.corpus


def ingredient_claims(ctx: ClaimContext) -> Claims:
    """Ingredient and material names (the longest one named, not the shorter inside it)."""
    for word in INGREDIENTS:
        if word in ctx.text and not any(word in longer and longer in ctx.text
                                        for longer in INGREDIENTS if longer != word):
            yield word, word in ctx.corpus


def acronym_claims(ctx: ClaimContext) -> Claims:
    """Acronyms (SGS, FDA…) outside placeholders, other than common words and the brand's own names."""
    for m in _ACRONYM.finditer(_PLACEHOLDER.sub("", ctx.reply)):
        atom = norm(m.group(0))
        if atom.upper() in _NOT_CLAIMS or any(atom in w for w in ctx.ignored):
            continue
        yield atom, atom in ctx.corpus


def certification_claims(ctx: ClaimContext) -> Claims:
    """Clauses about certifications or tests: supported when half of their bigrams (names and function
    words dropped) occur in one fact sentence. A clause holding a placeholder is an honest unknown."""
    for clause in _CLAUSE.split(ctx.text):
        if "【】" in clause or not has_any(clause, _CERT_WORDS):
            continue
        core = clause
        for name in sorted(ctx.ignored, key=len, reverse=True):
            core = core.replace(name, "")
        core = "".join(ch for ch in core if ch not in _FILLER)
        best = max((coverage(core, s) for s in ctx.fact_sentences), default=0.0)
        yield clause.strip(), best >= 0.5


EXTRACTORS: tuple[Callable[[ClaimContext], Claims], ...] = (
    amount_claims, ingredient_claims, acronym_claims, certification_claims)


def brand_fact_texts(brand: Brand) -> list[str]:
    """What a reply may cite: every string in the brand facts, and each record (a product, a
    certification, a policy) as one line of its own strings, so a claim joining two of its fields
    (a test's title and its issuer) still matches."""
    out: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, dict):
            leaves = [v for v in value.values() if isinstance(v, str)]
            leaves += [x for v in value.values() if isinstance(v, list) for x in v if isinstance(x, str)]
            if len(leaves) > 1:
                out.append(" ".join(leaves))
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(brand.model_dump())
    return out


def groundedness(reply: str, facts: Sequence[str], ignore: Iterable[str] = (), comment: str = "") -> Groundedness:
    """Every product claim in the reply must be supported by the facts (brand facts + retrieved sources).

    Claims come from `EXTRACTORS`. Not claims: placeholders 【…】, `ignore` (the brand's and products'
    names) and unsupported atoms the comment itself contains (restating the customer). No claims → 1.0.
    """
    ctx = ClaimContext.build(reply, facts, ignore)
    said = re.sub(r"\s+", "", norm(comment))
    claims: list[str] = []
    unsupported: list[str] = []
    for extract in EXTRACTORS:
        for atom, ok in extract(ctx):
            if atom in claims or (atom in said and not ok):
                continue
            claims.append(atom)
            if not ok:
                unsupported.append(atom)
    score = 1.0 - len(unsupported) / len(claims) if claims else 1.0
    return Groundedness(round(score, 4), claims, unsupported)
