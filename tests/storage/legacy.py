"""A desk database as the four earlier migration schemes left it, mid-way: the queue at m001 (before
facts_hash), the cases at m001 (before the draft provenance columns), a comment history from before
notes, no alerts table. Written with the old DDL, verbatim, so the upgrade is tested against what is on disk."""

from __future__ import annotations

import sqlite3
from pathlib import Path

OLD_DDL = """
CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL);
CREATE TABLE items (
    id TEXT PRIMARY KEY, brand TEXT NOT NULL, comment_json TEXT NOT NULL,
    author TEXT, note_title TEXT, posted_at TEXT,
    status TEXT NOT NULL DEFAULT 'pending', version INTEGER NOT NULL DEFAULT 0,
    result_json TEXT, severity INTEGER, source TEXT, violations TEXT,
    final_reply TEXT, final_appeal TEXT, reject_reason TEXT, error TEXT,
    created_at TEXT NOT NULL, drafted_at TEXT, decided_at TEXT, decided_by TEXT, exported_at TEXT);
CREATE INDEX items_status ON items (status);
CREATE TABLE decisions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, item_id TEXT NOT NULL REFERENCES items(id),
    action TEXT NOT NULL, reviewer TEXT NOT NULL, at TEXT NOT NULL,
    draft_reply TEXT, final_reply TEXT, final_appeal TEXT, reason TEXT, instruction TEXT,
    applied INTEGER NOT NULL DEFAULT 0);
CREATE INDEX decisions_item ON decisions (item_id);
CREATE TABLE cases (
    id TEXT PRIMARY KEY, brand TEXT NOT NULL, kind TEXT NOT NULL, rung TEXT NOT NULL, status TEXT NOT NULL,
    reason TEXT NOT NULL, tried TEXT NOT NULL, violations TEXT NOT NULL, source TEXT NOT NULL,
    severity INTEGER NOT NULL, hint TEXT, opened_at TEXT NOT NULL, first_submitted_at TEXT,
    submitted_at TEXT, due_at TEXT, answered_at TEXT, closed_at TEXT, version INTEGER NOT NULL DEFAULT 0);
CREATE TABLE case_drafts (
    case_id TEXT NOT NULL REFERENCES cases(id), rung TEXT NOT NULL, kind TEXT NOT NULL, text TEXT NOT NULL,
    created_at TEXT NOT NULL, PRIMARY KEY (case_id, rung, kind));
CREATE TABLE comment_history (
    brand TEXT NOT NULL, comment_id TEXT NOT NULL, author TEXT, seen_at TEXT NOT NULL,
    shingles BLOB NOT NULL, PRIMARY KEY (brand, comment_id));
CREATE TABLE comment_bands (brand TEXT NOT NULL, band TEXT NOT NULL, comment_id TEXT NOT NULL);
INSERT INTO migrations VALUES ('m001_initial', '2026-01-01'), ('cases_m001_initial', '2026-01-01');
"""


def write_legacy_queue(path: Path, items: int = 3) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as c:
        c.executescript(OLD_DDL)
        for i in range(items):
            c.execute("INSERT INTO items (id, brand, comment_json, created_at) VALUES (?, 'glowskin', ?, ?)",
                      (f"old{i}", f'{{"id": "old{i}", "text": "旧评论{i}"}}', f"2026-01-01T00:00:0{i}.000+00:00"))
        c.execute("INSERT INTO decisions (item_id, action, reviewer, at) VALUES ('old0', 'reject', 'ann', 'then')")
        c.execute("INSERT INTO comment_history VALUES ('glowskin', 'old0', NULL, 'then', x'01000000')")
    c.close()
