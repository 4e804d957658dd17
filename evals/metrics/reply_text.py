"""Reply text metrics: the strategy rubric, required and forbidden phrases, and the reply's script.

Text is compared in its Simplified, NFKC, lower-case form (`norm`), so a Traditional reply scores like its
Simplified twin.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from agent.knowledge.brands import Brand
from agent.schemas import Strategy
from agent.text import detect_script, normalize_for_match

_PUNCT = re.compile(r"[\s，,。．.！!？?；;：:、~～…“”\"'‘’（）()\[\]【】《》<>·\-—_/|#@*]+")


_DASHES = str.maketrans({"–": "-", "—": "-", "−": "-", "~": "-", "～": "-"})


def norm(text: str) -> str:
    """Simplified, NFKC, lower case, every dash and tilde as '-' (2–3滴 = 2-3滴 = 2~3滴)."""
    return normalize_for_match(text).translate(_DASHES)


def _bigrams(text: str) -> set[str]:
    t = _PUNCT.sub("", norm(text))
    return {t[i:i + 2] for i in range(len(t) - 1)} or ({t} if t else set())


def coverage(needle: str, haystack: str) -> float:
    """Share of the needle's character bigrams (punctuation ignored) found in the haystack."""
    need = _bigrams(needle)
    return len(need & _bigrams(haystack)) / len(need) if need else 0.0


def has_any(text: str, words: Iterable[str]) -> bool:
    return any(w in text for w in words)


APOLOGY = ("抱歉", "对不起", "不好意思", "歉意", "致歉", "添麻烦", "sorry")
EMPATHY = ("理解", "心情", "着急", "困扰", "难受", "担心", "糟心", "委屈", "心疼", "感受", "不愉快",
           "失望", "辛苦", "舒服", "影响了你", "影响了您", "换作", "换谁", "闹心", "久等", "期待", "折腾", "崩溃", "心累")
RESOLUTION = ("跟进", "处理", "安排", "解决", "退换", "补发", "核实", "协助", "售后", "换货", "退货", "对接",
              "帮你", "帮您", "给你一个", "给您一个")
PRIVATE = ("私信", "私聊", "私讯", "后台消息", "站内信")
VERIFIED = ("核实", "核查", "查询", "查证", "查看了", "查到", "确认", "记录")
PLATFORM = ("平台", "官方核查", "小红书")
BLAME = ("你自己", "您自己", "怪你", "怪您", "是你的问题", "是您的问题", "你用错", "您用错", "没看说明", "不看说明",
         "不会用", "胡说", "造谣", "水军", "黑子", "骗子", "碰瓷", "别乱说", "有病", "恶意抹黑", "居心", "可笑",
         "心里没数", "拿钱办事", "同行", "演员")
INVITE = ("私信", "随时", "有问题", "有疑问", "欢迎", "可以问", "找我们")


@dataclass(frozen=True)
class RubricScore:
    score: float
    items: dict[str, float]

    @property
    def failed(self) -> list[str]:
        return [k for k, v in self.items.items() if v < 1.0]


def _weighted(items: dict[str, float], weights: dict[str, float]) -> RubricScore:
    total = sum(weights.values())
    return RubricScore(round(sum(items[k] * w for k, w in weights.items()) / total, 4), items)


def rubric(strategy: Strategy | str, reply: str, brand: Brand | None = None, product: str | None = None,
           comment: str = "") -> RubricScore:
    """Score a reply 0–1 against what its strategy asks for (the playbook's three scripts).

    apologize_resolve: apology, empathy, a concrete resolution, the details moved to 私信.
    educate: the product's correct usage (or a caution) from the brand facts, graded by how much of it is stated,
      the product named, no blame, an open door for questions.
    neutral_rebuttal: says what was verified, never argues or blames, hands it to the platform.
    """
    text = norm(reply)
    strategy = Strategy(strategy)
    if not text.strip():
        return RubricScore(0.0, {"empty_reply": 0.0})
    no_blame = 0.0 if has_any(text, BLAME) else 1.0
    if strategy is Strategy.apologize_resolve:
        items = {"apology": has_any(text, APOLOGY), "empathy": has_any(text, EMPATHY),
                 "resolution": has_any(text, RESOLUTION), "private_message": has_any(text, PRIVATE),
                 "no_blame": no_blame}
        return _weighted({k: float(v) for k, v in items.items()},
                         {"apology": 1, "empathy": 1, "resolution": 1, "private_message": 1, "no_blame": 1})
    if strategy is Strategy.educate:
        usage, named = _usage_stated(text, brand, product, comment)
        items = {"usage": usage, "product_named": named, "no_blame": no_blame,
                 "invites_questions": float(has_any(text, INVITE))}
        return _weighted(items, {"usage": 3, "product_named": 1, "no_blame": 1, "invites_questions": 1})
    items = {"states_verified": float(has_any(text, VERIFIED)), "no_blame": no_blame,
             "hands_to_platform": float(has_any(text, PLATFORM))}
    return _weighted(items, {"states_verified": 1, "no_blame": 1, "hands_to_platform": 1})


def product_candidates(brand: Brand, comment: str, product: str | None = None) -> list[Any]:
    """The products a comment is about: named in the comment, else the given id, else all of them."""
    text = norm(comment)
    named = [p for p in brand.products if any(norm(n) in text for n in [p.name, *p.aliases] if n)]
    if named:
        return named
    given = brand.product(product)
    return [given] if given else list(brand.products)


def _usage_stated(text: str, brand: Brand | None, product: str | None, comment: str) -> tuple[float, float]:
    """(how much of the product's usage — or one of its cautions — the reply states, scaled so that half
    of it is full marks; whether the product is named)."""
    if brand is None:
        return 0.0, 0.0
    best_usage, named = 0.0, 0.0
    for p in product_candidates(brand, comment, product):
        usage = max(coverage(how, text) for how in [p.usage, *p.cautions])
        best_usage = max(best_usage, min(1.0, usage / 0.5))
        if any(norm(n) in text for n in [p.name, *p.aliases] if n):
            named = 1.0
    return round(best_usage, 4), named


def must_use_coverage(reply: str, must_use: Sequence[str]) -> tuple[float, list[str]]:
    """Share of the required facts the reply contains, and the missing ones (1.0 when none required)."""
    text = norm(reply)
    missing = [m for m in must_use if norm(m) not in text]
    return (1.0 - len(missing) / len(must_use) if must_use else 1.0), missing


def must_not_say_hits(reply: str, must_not_say: Sequence[str]) -> list[str]:
    text = norm(reply)
    return [m for m in must_not_say if norm(m) in text]


def script_match(comment: str, reply: str) -> bool:
    """The reply is in the comment's script; a comment without Chinese may be answered in Simplified."""
    want = detect_script(comment)
    got = detect_script(reply)
    return got == want or (want == "other" and got == "zh-Hans")
