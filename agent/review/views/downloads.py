"""Approved replies and appeals as bytes for a browser download (CSV, JSON) and a plain-text block to paste.

The same rows and columns as the server-side export (agent.review.store.exporting); nothing is marked exported.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from agent.review.store.exporting import FIELDS


def as_csv(rows: list[dict[str, Any]]) -> bytes:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=FIELDS)
    w.writeheader()
    for row in rows:
        w.writerow({**row, "evidence_checklist": "；".join(row["evidence_checklist"]),
                    "next_steps": "；".join(row["next_steps"])})
    return ("\ufeff" + buf.getvalue()).encode("utf-8")  # BOM: Excel opens Chinese text right


def as_json(rows: list[dict[str, Any]]) -> bytes:
    return json.dumps(rows, ensure_ascii=False, indent=2).encode("utf-8")


def as_text(rows: list[dict[str, Any]]) -> str:
    """One block per item: the reply to paste, then the appeal explanation if there is one."""
    blocks = []
    for r in rows:
        lines = [f"# {r['id']} · {r['brand']}", r["reply"]]
        if r["appeal_explanation"]:
            lines += [f"[申诉 · {r['appeal_label'] or r['appeal_reason']}]", r["appeal_explanation"]]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)
