"""Policies offered against the facts the customer states: a labelled case names the offers its reply must
not make (`must_not_offer`: the unopened return after use, a refund to someone refunded, chasing a parcel that
came); `policy_against_facts` counts the replies that make one anyway. Lower is better; the target is 0."""

from __future__ import annotations

from collections.abc import Iterable

from evals.metrics.reply_text import norm


def offers_against(reply: str, must_not_offer: Iterable[str]) -> list[str]:
    """The labelled offers the reply makes, compared in the normalised form (简/繁, full-width alike)."""
    text = norm(reply)
    return [o for o in must_not_offer if o and norm(o) in text]


def policy_against_facts(hits: Iterable[list[str]]) -> int:
    """How many replies offer a policy their customer's stated facts rule out."""
    return sum(1 for h in hits if h)
