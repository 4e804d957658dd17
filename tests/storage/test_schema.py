"""One migration history for every table: a fresh database gets them all, an old data directory upgrades
in place, a database newer than the code is refused, and an unreachable one is told in one line."""

from __future__ import annotations

import sqlalchemy as sa

from agent.cli import main
from agent.review.casework.cases import CaseBook
from agent.review.store.queue import ReviewQueue
from agent.schemas import CommentIn
from agent.storage.engine import engine_for
from agent.storage.schema import ensure_schema, forget, head
from tests.storage.legacy import write_legacy_queue

EVERY_TABLE = {"items", "decisions", "accounts", "sessions", "cases", "case_members", "case_drafts",
               "case_checklist", "case_events", "alerts", "alert_checks", "suggestions", "comment_history",
               "comment_bands", "jobs", "imports", "schema_writers"}


def test_a_fresh_database_gets_every_table_once(db_url):
    ensure_schema(db_url)
    forget(db_url)
    ensure_schema(db_url)  # again: nothing to do
    assert EVERY_TABLE <= set(sa.inspect(engine_for(db_url)).get_table_names())


def test_an_old_data_directory_upgrades_in_place(tmp_path):
    path = tmp_path / "queue.sqlite"
    write_legacy_queue(path)
    queue = ReviewQueue(path)
    assert [i.id for i in queue.items()] == ["old0", "old1", "old2"]  # nothing lost
    assert [d.action for d in queue.decisions("old0")] == ["reject"]
    assert queue.accept([CommentIn(id="new1", text="新评论")], "glowskin") == (["new1"], [])
    columns = {t: {c["name"] for c in sa.inspect(engine_for(f"sqlite:///{path}")).get_columns(t)}
               for t in ("items", "case_drafts", "comment_history")}
    assert "facts_hash" in columns["items"] and "model" in columns["case_drafts"] and "note" in columns["comment_history"]
    CaseBook(queue)  # the cases' later columns are there: opening it migrates nothing by hand
    assert queue.conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == head()


def test_an_upgrade_gives_old_items_what_the_queue_page_lists_them_by(tmp_path, capsys):
    write_legacy_queue(tmp_path / "queue.sqlite")
    assert main(["--data-dir", str(tmp_path), "db", "upgrade"]) == 0
    assert "3 item(s) given the columns the queue page lists them by" in capsys.readouterr().out
    with engine_for(f"sqlite:///{tmp_path / 'queue.sqlite'}").connect() as c:
        assert c.execute(sa.text("SELECT COUNT(*) FROM items WHERE comment_text IS NULL OR accepted_ts IS NULL")
                         ).scalar() == 0
    assert main(["--data-dir", str(tmp_path), "db", "upgrade"]) == 0
    assert "item(s) given" not in capsys.readouterr().out  # once


def test_a_schema_newer_than_the_code_is_refused_with_the_version_to_run(db_url, tmp_path, monkeypatch, capsys):
    ensure_schema(db_url)
    with engine_for(db_url).begin() as c:
        c.execute(sa.text("UPDATE alembic_version SET version_num = '0099'"))
        c.execute(sa.text("INSERT INTO schema_writers VALUES ('0099', '9.9.9', 'later')"))
    forget(db_url)
    monkeypatch.setenv("REDREPLY_DATABASE_URL", db_url)
    assert main(["--data-dir", str(tmp_path / "d"), "db", "upgrade"]) == 2
    err = capsys.readouterr().err
    assert "revision 0099" in err and "run RedReply 9.9.9 or newer" in err and len(err.strip().splitlines()) == 1


def test_a_refused_connection_is_one_line_naming_the_host_not_the_password(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("REDREPLY_DATABASE_URL", "postgresql://ann:s3cret-pw@127.0.0.1:9/redreply")
    assert main(["--data-dir", str(tmp_path / "d"), "db", "status"]) == 2
    err = capsys.readouterr().err
    assert "127.0.0.1:9" in err and "s3cret" not in err and len(err.strip().splitlines()) == 1


def test_the_head_schema_script_is_what_the_migration_history_makes():
    """`python -m agent.storage.head_sql` rewrites it after a new revision."""
    from agent.storage.head_sql import generate
    from agent.storage.sqlite_schema import HEAD_SQL
    from agent.storage.sqlite_schema import head as quick_head

    assert HEAD_SQL.read_text(encoding="utf-8") == generate()
    assert quick_head() == head()  # the file names' order is Alembic's


def test_an_in_memory_history_gets_the_same_tables_as_a_migrated_file(tmp_path):
    import sqlite3

    from agent.storage.sqlite_schema import migrate_sqlite_connection

    memory = sqlite3.connect(":memory:")
    migrate_sqlite_connection(memory)
    ensure_schema(f"sqlite:///{tmp_path / 'q.sqlite'}")
    file = sqlite3.connect(tmp_path / "q.sqlite")
    schema = "SELECT name, sql FROM sqlite_master WHERE name != 'sqlite_sequence' ORDER BY name"
    assert memory.execute(schema).fetchall() == file.execute(schema).fetchall()
