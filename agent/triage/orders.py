"""Order lookup: does the brand's back end know this commenter?"""

from __future__ import annotations

import re
from collections.abc import Sequence

from agent.schemas import CommentIn

# Two letters and digits; a contact id ("QQ1063305431", "VX12345678") is never an order number.
_ORDER_ID = re.compile(r"\b(?!QQ|VX|WX|TEL)[A-Z]{2}\d{8,14}\b")


def order_ids_in(text: str) -> list[str]:
    """The order ids quoted in a comment."""
    return _ORDER_ID.findall(text.upper())


def find_order(orders: Sequence[dict[str, str]], comment: CommentIn) -> dict[str, str] | None:
    """By the order id given with the comment or quoted in it, else by the author's nickname."""
    wanted = {comment.order_id} if comment.order_id else set(order_ids_in(comment.text))
    for row in orders:
        if row.get("order_id") in wanted:
            return row
    if comment.author and "*" not in comment.author:  # a masked nickname ("小**鱼") is nobody in particular
        matches = [row for row in orders if row.get("author") == comment.author]
        if matches:
            return max(matches, key=lambda r: r.get("ordered_at", ""))  # the latest order is the one in question
    return None
