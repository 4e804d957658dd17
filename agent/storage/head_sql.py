"""`python -m agent.storage.head_sql`: rewrite head_sqlite.sql from the migration history (after adding a
revision; a test fails until it is rewritten)."""

from __future__ import annotations

import sqlite3

from agent.storage.schema import upgrade_connection
from agent.storage.sqlite_schema import HEAD_SQL, dump_head_sql


def generate() -> str:
    conn = sqlite3.connect(":memory:")
    upgrade_connection(conn)
    conn.execute("DELETE FROM schema_writers")  # who applied it is a fact of a database, not of the schema
    return dump_head_sql(conn)


if __name__ == "__main__":
    HEAD_SQL.write_text(generate(), encoding="utf-8")
    print(f"wrote {HEAD_SQL.name}")
