"""Time on the review desk: reading comment times, the response window's time left, the team's time zone
and the demo's clock.

Xiaohongshu exports write local (Beijing) time without an offset; a naive time is read as such, whatever the
team's own zone. The desk shows times in the team's zone (REDREPLY_TEAM_TZ, an IANA name).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta, tzinfo

from agent.config import time_zone
from agent.queue_item import Item
from agent.review.store.listing import CST, parse_time
from agent.schemas import CommentIn

OPEN_STATUSES = ("pending", "needs_review", "failed", "deciding")
TEAM_TZ = "Asia/Shanghai"  # the default team zone
OLD_AFTER = timedelta(days=7)  # imported this long after posting: "old", its window long gone before the team saw it


def team_zone(name: str = TEAM_TZ) -> tzinfo:
    """The team's time zone (Settings.team_tz, checked when the settings are read)."""
    return time_zone(name)


def local_text(at: datetime, zone: tzinfo, with_year: bool = False) -> str:
    """`at` as the team reads it on the desk: in its zone, to the minute."""
    return at.astimezone(zone).strftime("%Y-%m-%d %H:%M" if with_year else "%m-%d %H:%M")


def team_time(value: str, zone: tzinfo) -> tuple[str, str]:
    """A stored ISO time as the team reads it, to the minute, and its zone as an offset ("UTC+8", "UTC-7:30"),
    for texts that leave the desk (an alert), where the reader's own clock is not at hand."""
    at = datetime.fromisoformat(value).astimezone(zone)
    minutes = int((at.utcoffset() or timedelta()).total_seconds() // 60)
    sign, minutes = ("+" if minutes >= 0 else "-"), abs(minutes)
    offset = f"UTC{sign}{minutes // 60}" + (f":{minutes % 60:02d}" if minutes % 60 else "")
    return at.strftime("%Y-%m-%d %H:%M"), offset


def received_at(item: Item) -> datetime | None:
    """When the response clock started: the comment's posted_at, else when the queue accepted it."""
    return parse_time(item.comment.posted_at) or parse_time(item.created_at)


def is_old(item: Item, window_h: int = 48) -> bool:
    """Imported a week or more after it was posted (and after its window): an old comment to answer, not one
    the team let run overdue; a comment imported a little late still counts down (and runs overdue)."""
    posted, imported = parse_time(item.comment.posted_at), parse_time(item.created_at)
    late = max(OLD_AFTER, timedelta(hours=window_h))
    return posted is not None and imported is not None and imported - posted >= late


def ago(then: datetime, now: datetime) -> tuple[int, str]:
    """How long ago, in the largest whole unit: (2, "day"), (5, "minute"); (0, "now") under a minute."""
    seconds = max(0, int((now - then).total_seconds()))
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            return seconds // size, unit
    return 0, "now"


def time_left(item: Item, now: datetime, window_h: int = 48) -> timedelta | None:
    """Time left in the response window (from when the comment was posted); negative when overdue; None once
    the item is closed or when it was already old when imported."""
    start = received_at(item)
    if start is None or item.status not in OPEN_STATUSES or is_old(item, window_h):
        return None
    return start + timedelta(hours=window_h) - now


def format_left(left: timedelta | None) -> str:
    if left is None:
        return "—"
    minutes = int(abs(left.total_seconds()) // 60)
    text = f"{minutes // 60}h {minutes % 60:02d}m"
    return f"overdue {text}" if left.total_seconds() < 0 else text


def rebase_times(comments: Sequence[CommentIn], now: datetime, newest_age: timedelta = timedelta(minutes=20)
                 ) -> list[CommentIn]:
    """The same comments with posted_at shifted so the newest is `newest_age` old and the spread is kept.

    For the demo queue: whatever day it is loaded, some comments are fresh and some are overdue.
    """
    times = [parse_time(c.posted_at) for c in comments]
    known = [t for t in times if t is not None]
    if not known:
        return list(comments)
    shift = now - newest_age - max(known)
    return [c.model_copy(update={"posted_at": (t + shift).astimezone(CST).isoformat(timespec="seconds")})
            if t is not None else c for c, t in zip(comments, times, strict=True)]
