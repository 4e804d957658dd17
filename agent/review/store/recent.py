"""The public replies already given near a queued item: under the same note (any day), and for the same brand
on the day of drafting. The drafter steers away from them (agent.drafting.phrasing); this is its one read of
the queue. A reply is the team's final text where there is one, else the draft awaiting review; rejected,
left and reported items gave none."""

from __future__ import annotations

from agent.knowledge.memory import note_of
from agent.queue_item import Item
from agent.review.store.queue import ReviewQueue, now
from agent.schemas import RecentReplies

RECENT_LIMIT = 40  # per kind (the note's, the brand's day): the newest ones are the ones onlookers see together
_GAVE_A_REPLY = ("needs_review", "deciding", "approved", "exported")


def recent_replies(queue: ReviewQueue, item: Item, limit: int = RECENT_LIMIT,
                   day_before: str | None = None) -> RecentReplies:
    """The public replies under the item's note and of its brand today, newest first. `day_before`: of the
    brand's day, only replies drafted before that time (a batch drafting several notes side by side reads the
    day as it stood when it began, so its drafts don't depend on which of them finished first)."""
    note = note_of(item.comment)
    title = item.comment.note_title or ""
    day = now()[:10]
    marks = ",".join("?" * len(_GAVE_A_REPLY))
    # Today's rows, and the note's: its title narrows them (a note known without its title: all the brand's).
    args: tuple[str, ...] = ()
    if note and not title:
        near = ""
    elif note:
        near, args = " AND (drafted_at >= ? OR note_title = ?)", (day, title)
    else:
        near, args = " AND drafted_at >= ?", (day,)
    rows = queue.conn.execute(
        f"SELECT drafted_at, final_reply, json_extract(result_json, '$.reply.text') AS draft, "
        f"COALESCE(json_extract(comment_json, '$.note_id'), json_extract(comment_json, '$.context.note.id')) AS note "
        f"FROM items WHERE brand = ? AND id != ? AND status IN ({marks}) AND drafted_at IS NOT NULL{near} "
        f"ORDER BY drafted_at DESC LIMIT ?", (item.brand, item.id, *_GAVE_A_REPLY, *args, limit * 10)).fetchall()
    under_note: list[str] = []
    today: list[str] = []
    for r in rows:
        text = r["final_reply"] or r["draft"]
        if not text:
            continue
        if note and len(under_note) < limit and r["note"] == note:
            under_note.append(text)
        elif r["drafted_at"] >= day and len(today) < limit and (day_before is None or r["drafted_at"] < day_before):
            today.append(text)
        if len(under_note) >= limit and len(today) >= limit:
            break
    return RecentReplies(under_note=under_note, brand_today=today)

