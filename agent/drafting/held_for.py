"""How long the customer says they have had the goods, at least: "去年买的", "两个月前入手", "穿了两周", "用了一个多月".
A policy's window ("签收后15天内") has passed where it is longer, and the stated facts say so (`over_15_days`…);
the words are `held_for` in knowledge/wording/replies.yaml."""

from __future__ import annotations

import re
from functools import cache
from typing import get_args

from agent.knowledge.brands import StatedFact
from agent.knowledge.wording import replies
from agent.text import normalize_for_match

_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NUMBER = r"\d+|[一二两三四五六七八九十几半]+"


def windows() -> list[tuple[int, StatedFact]]:
    """The windows a stated fact can say were passed, (days, fact), from the facts' names (`over_15_days`)."""
    named = ((re.fullmatch(r"over_(\d+)_days", f), f) for f in get_args(StatedFact))
    return [(int(m.group(1)), f) for m, f in named if m]


def number(text: str) -> float | None:
    """A count in digits or Chinese numerals, at least: "十几" is 11, "几" 2, "几十" 20, "半" 0.5."""
    if text.isdigit():
        return float(text)
    if text in ("半", "几"):
        return 0.5 if text == "半" else 2.0
    if "十" in text:
        tens, _, ones = text.partition("十")
        high = 1 if not tens else 2 if tens == "几" else _DIGITS.get(tens)
        low = 0 if not ones else 1 if ones == "几" else _DIGITS.get(ones)
        return None if high is None or low is None else float(high * 10 + low)
    return float(_DIGITS[text]) if text in _DIGITS else None


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    words = replies().held_for
    duration = (rf"(?P<n>{_NUMBER})多?个?多?(?P<unit>{'|'.join(map(re.escape, words.units))})"
                r"(?P<half>半)?")
    ago = re.compile(duration + f"(?:{words.ago.pattern})(?:{words.bought.pattern})")
    after = re.compile(f"(?:{words.after.pattern})" + duration)
    years = re.compile(f"(?P<year>{'|'.join(map(re.escape, words.years_ago))})(?:{words.bought.pattern})")
    return ago, after, years


def _days(m: re.Match[str]) -> int | None:
    words = replies().held_for
    n = number(m.group("n"))
    if n is None:
        return None
    n += 0.5 if m.group("half") else 0
    return int(n * words.units[m.group("unit")])


def days_held(comment: str) -> int | None:
    """The most days the comment says the customer has had it (the least those words can mean), or None."""
    folded = normalize_for_match(comment)
    words = replies().held_for
    ago, after, years = _patterns()
    found = [words.years_ago[m.group("year")] for m in years.finditer(folded)]
    for pattern in (ago, after):
        for m in pattern.finditer(folded):
            start = m.start("n")
            if words.not_at_least.search(folded[max(0, start - 4):start]):
                continue  # "还不到一个月就…": an upper bound
            days = _days(m)
            if days is not None:
                found.append(days)
    return max(found, default=None)


def passed_windows(comment: str) -> set[StatedFact]:
    """The `over_N_days` facts of the windows the customer's stated time has passed."""
    days = days_held(comment)
    return {fact for n, fact in windows() if days is not None and days > n}
