"""The visible 【待确认：…】 blanks: a fact the draft needs but nobody knows yet. Approval waits for them."""

from __future__ import annotations

import re

PLACEHOLDER = "【待确认：{}】"
PLACEHOLDER_RE = re.compile(r"【待确认[:：][^】]*】")


def placeholder(what: str) -> str:
    return PLACEHOLDER.format(what)


def placeholder_slots(text: str) -> list[str]:
    """The 【待确认：…】 blanks a reviewer still has to fill."""
    return PLACEHOLDER_RE.findall(text or "")
