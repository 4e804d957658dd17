"""The item page: the text in the script the reviewer reads, related comments, next/previous, the decision
a reviewer's action makes, and comments pasted in by hand."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

from agent.drafting.appeal_reason import accuses_brand
from agent.queue_item import Item
from agent.schemas import CommentIn, ReviewDecision
from agent.text import normalize_for_match, to_simplified, to_traditional

ScriptMode = Literal["原文", "简", "繁"]
ONE_CLICK_REWRITES: dict[str, str] = {"shorter": "更短", "warmer": "更温暖", "formal": "更正式", "detail": "更详细"}


def display_text(text: str, mode: ScriptMode | str) -> str:
    """The text as written, or converted to Simplified / Traditional for reading."""
    if mode == "简":
        return to_simplified(text)
    if mode == "繁":
        return to_traditional(text)
    return text


def siblings(item: Item, known_ids: Iterable[str]) -> dict[str, list[str]]:
    """Other queued comments the evidence links to: the duplicate cluster and the author's history."""
    known = set(known_ids)
    ev = item.result.evidence if item.result else None
    if ev is None:
        return {"duplicates": [], "author": []}
    return {"duplicates": [i for i in ev.duplicate_cluster if i in known and i != item.id],
            "author": [i for i in ev.author_history if i in known and i != item.id]}


def neighbours(ids: Sequence[str], current: str | None) -> tuple[str | None, str | None]:
    if current is None or current not in ids:
        return (None, ids[0] if ids else None)
    i = list(ids).index(current)
    return (ids[i - 1] if i > 0 else None, ids[i + 1] if i + 1 < len(ids) else None)


def build_decision(action: str, reviewer: str, draft_reply: str, reply: str | None = None,
                   draft_appeal: str | None = None, appeal: str | None = None, reason: str | None = None,
                   instruction: str | None = None) -> ReviewDecision:
    """The decision for the reviewer's action: an approval whose text was changed is an `edit`."""
    reviewer = (reviewer or "").strip() or "reviewer"
    if action == "approve":
        edited = reply is not None and reply.strip() != (draft_reply or "").strip()
        appeal_edited = appeal is not None and draft_appeal is not None and appeal.strip() != draft_appeal.strip()
        return ReviewDecision(action="edit" if edited else "approve", reviewer=reviewer,
                              reply_text=reply.strip() if edited and reply is not None else None,
                              appeal_explanation=appeal.strip() if appeal_edited and appeal is not None else None)
    if action == "reject":
        return ReviewDecision(action="reject", reviewer=reviewer, reason=(reason or "").strip())
    if action == "regenerate":
        return ReviewDecision(action="regenerate", reviewer=reviewer, instruction=(instruction or "").strip())
    raise ValueError(f"unknown action {action!r}")


def paste_comments(text: str, author: str | None = None, note_title: str | None = None) -> list[CommentIn]:
    """One comment per non-empty line; the id is derived from the text, so pasting twice queues once."""
    out: dict[str, CommentIn] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        cid = "p-" + hashlib.sha1(line.encode("utf-8")).hexdigest()[:10]
        out.setdefault(cid, CommentIn(id=cid, text=line, author=author or None, note_title=note_title or None,
                                      posted_at=datetime.now(UTC).isoformat(timespec="seconds")))
    return list(out.values())


@dataclass
class ThreadLine:
    author: str
    text: str
    brand: bool
    parent: bool  # the message this comment answers


@dataclass
class ThreadView:
    """What the item view shows above a comment: its note, the earlier messages of its thread (root first),
    and the id it answers when that message is not in the import."""

    note: str | None
    messages: list[ThreadLine] = field(default_factory=list)
    missing_parent: str | None = None


def thread_view(comment: CommentIn) -> ThreadView | None:
    """The comment's thread as its import knew it; None for a comment with no note and no thread (typed,
    pasted, or RedReply's own lines without note fields)."""
    ctx = comment.context
    if ctx is None or (ctx.note is None and not ctx.thread and ctx.parent_id is None):
        return None
    ids = {m.id for m in ctx.thread}
    return ThreadView(
        note=(ctx.note.title or ctx.note.id) if ctx.note else None,
        messages=[ThreadLine(m.author or "—", m.text, m.brand, m.id == ctx.parent_id) for m in ctx.thread],
        missing_parent=ctx.parent_id if ctx.parent_id and ctx.parent_id not in ids else None)


def reach_meta(comment: CommentIn) -> list[str]:
    """Likes, replies and attached pictures, for the comment's meta line (only what the import knew)."""
    out = []
    if comment.likes is not None or comment.reply_count is not None:
        out.append(f"likes: {comment.likes or 0} · replies: {comment.reply_count or 0}")
    if comment.context and comment.context.pictures:
        out.append(f"pictures: {len(comment.context.pictures)}")
    return out


def legal_review(comment: CommentIn) -> bool:
    """Whether the comment accuses the brand of infringing the commenter's own right: no report is drafted,
    the item goes to the brand's internal legal review, and the item view says so."""
    return accuses_brand(normalize_for_match(comment.text))
