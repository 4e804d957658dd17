"""The stores' SQL is written once, in SQLite's dialect; these are the statements PostgreSQL is given for it."""

from __future__ import annotations

from agent.storage.postgres import Catalog, Row, to_postgres

CATALOG = Catalog({"case_drafts": ("case_id", "rung", "kind"), "alerts": ("id",)}, {"alerts": "id"})


def test_placeholders_and_percent_signs_outside_quotes():
    assert to_postgres("SELECT 1 FROM t WHERE a = ? AND b LIKE '50%?'", CATALOG, False) == \
        "SELECT 1 FROM t WHERE a = %s AND b LIKE '50%%?'"


def test_insert_or_ignore_keeps_the_row_there_and_returns_a_new_key():
    assert to_postgres("INSERT OR IGNORE INTO alerts (key, channel) VALUES (?, ?)", CATALOG, True) == \
        "INSERT INTO alerts (key, channel) VALUES (%s, %s) ON CONFLICT DO NOTHING RETURNING id"


def test_insert_or_replace_updates_the_row_with_the_same_key():
    sql = to_postgres("INSERT OR REPLACE INTO case_drafts (case_id, rung, kind, text) VALUES (?, ?, 'rung', ?)",
                      CATALOG, True)
    assert sql == ("INSERT INTO case_drafts (case_id, rung, kind, text) VALUES (%s, %s, 'rung', %s) "
                   "ON CONFLICT (case_id, rung, kind) DO UPDATE SET text = EXCLUDED.text")


def test_json_paths():
    assert to_postgres("SELECT id FROM items WHERE json_extract(comment_json, '$.context.note.id') = ?",
                       CATALOG, False) == "SELECT id FROM items WHERE (comment_json::jsonb #>> '{context,note,id}') = %s"


def test_rows_answer_by_name_and_position():
    row = Row(("x1", 3), {"id": 0, "version": 1})
    assert (row["id"], row[1], dict(row), tuple(row)) == ("x1", 3, {"id": "x1", "version": 3}, ("x1", 3))
