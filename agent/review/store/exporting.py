"""Export of approved replies and appeals (CSV and JSON). Export marks items exported; nothing is posted."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from agent.review.store.queue import ReviewQueue
from agent.triage.pii import redact

FIELDS = ["id", "brand", "comment", "reply", "appeal_reason", "appeal_label", "appeal_explanation",
          "evidence_checklist", "next_steps", "decided_by", "decided_at"]


def approved_rows(queue: ReviewQueue, brand: str | None = None) -> list[dict[str, Any]]:
    rows = []
    for item in queue.items(status="approved", brand=brand):
        r = item.result
        appeal = r.appeal if r else None
        rows.append({
            "id": item.id, "brand": item.brand, "comment": redact(item.comment.text),  # who posts needs no PII
            "reply": item.final_reply or (r.reply_text if r else ""),
            "appeal_reason": appeal.reason.value if appeal else "",
            "appeal_label": appeal.reason_label if appeal else "",
            "appeal_explanation": item.final_appeal or (appeal.explanation if appeal else ""),
            "evidence_checklist": appeal.evidence_checklist if appeal else [],
            "next_steps": appeal.next_steps if appeal else [],
            "decided_by": item.decided_by or "", "decided_at": item.decided_at or "",
        })
    return rows


def export_approved(queue: ReviewQueue, out: Path, brand: str | None = None) -> int:
    """Write approved items to out (.csv or .json) and mark them exported. Returns how many."""
    rows = approved_rows(queue, brand)
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() == ".csv":
        with out.open("w", encoding="utf-8-sig", newline="") as f:  # BOM: Excel opens Chinese text right
            w = csv.DictWriter(f, fieldnames=FIELDS)
            w.writeheader()
            for row in rows:
                w.writerow({**row, "evidence_checklist": "；".join(row["evidence_checklist"]),
                            "next_steps": "；".join(row["next_steps"])})
    else:
        out.write_text(json.dumps(rows, ensure_ascii=False, indent=2), encoding="utf-8")
    queue.mark_exported([r["id"] for r in rows])
    return len(rows)
