"""One row of the queue table as the database lists it: the columns read per item, and the row's dict
(table.item_row's shape) with why its draft is stale, if it is.
"""

from __future__ import annotations

import json
from datetime import datetime, tzinfo
from typing import Any

from agent.review.store.listing import masked
from agent.review.views.desk_time import OPEN_STATUSES
from agent.review.views.table import DRAFT_WORDS

ROW_COLUMNS = ("id, brand, status, version, severity, source, violations, action, action_reason, comment_text, "
               "author, note_title, posted_ts, accepted_ts, reach, assignee, error, drafted_at, facts_hash, "
               "json_extract(result_json, '$.reply.text') AS reply_text, json_extract(result_json, '$.checks') AS checks")
# The newest comment under the same note (see agent.review.store.staleness): one step down the items_note index
# per row, whatever the planner thinks of the note's size.
NEWEST = ("(SELECT n.{column} FROM items n WHERE n.brand = items.brand AND n.note_title = items.note_title "
          "ORDER BY n.created_at DESC LIMIT 1)")
FACTS_CHANGED = "the brand facts changed after this draft was made"


def listed_row(r: Any, late: float, zone: tzinfo) -> dict[str, Any]:
    """table.item_row's dict, from the listing columns."""
    posted, accepted, status = r["posted_ts"], r["accepted_ts"], str(r["status"])
    clock = posted if posted is not None else accepted
    old = posted is not None and accepted is not None and accepted - posted >= late
    text = r["reply_text"] or ""
    checks = json.loads(r["checks"]) if r["checks"] else []
    return {
        "id": r["id"], "status": status, "severity": r["severity"], "source": r["source"] or "",
        "violations": ", ".join(json.loads(r["violations"])) if r["violations"] else "",
        "action_reason": r["action_reason"] or "", "reach": r["reach"] or 0,
        "comment": masked(r["comment_text"] or ""), "author": r["author"] or "", "note": r["note_title"] or "",
        "brand": r["brand"],
        "posted": datetime.fromtimestamp(clock, zone).strftime("%m-%d %H:%M") if clock is not None else "",
        "posted_ts": clock,
        "blocked": any(c.get("blocks_approval") and not c.get("passed") for c in checks),
        "old": old and status in OPEN_STATUSES, "action": r["action"] or "",
        "draft": text[:DRAFT_WORDS] + ("…" if len(text) > DRAFT_WORDS else ""),
        "assignee": r["assignee"] or "", "version": r["version"], "error": r["error"] or "",
        "start_ts": clock if clock is not None and status in OPEN_STATUSES and not old else None,
    }


def stale_reason(r: Any, fingerprints: dict[str, str]) -> str:
    if r["status"] != "needs_review" or not r["drafted_at"]:
        return ""
    fingerprint = fingerprints.get(r["brand"])
    if r["facts_hash"] and fingerprint is not None and r["facts_hash"] != fingerprint:
        return FACTS_CHANGED
    if r["note_title"] and r["newest_id"] != r["id"] and r["newest_at"] > r["drafted_at"]:
        return f"a newer comment ({r['newest_id']}) arrived under the same note after this draft"
    return ""
