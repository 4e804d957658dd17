"""Feeding and moving the desk: an import enqueues and a worker drafts each comment once, a watched
folder imports each export once, and `redreply db copy` moves a data directory to PostgreSQL whole."""

from __future__ import annotations

import json
import os
import shutil
import threading

import sqlalchemy as sa

from agent.cli import main
from agent.config import Settings
from agent.graph.build import compile_graph, postgres_checkpointer
from agent.review.casework.case_desk import CaseDesk
from agent.review.service import ReviewDesk
from agent.review.store.intake import accept_comments, job_queue
from agent.review.store.marks import record_bulk, set_aside
from agent.review.store.queue import ReviewQueue
from agent.review.store.watch import scan_once
from agent.review.team.accounts import Accounts
from agent.review.team.assignment import touch
from agent.review.team.session_tokens import desk_key
from agent.review.worker import run_worker
from agent.schemas import CommentIn, ReviewDecision, Violation
from agent.storage.connection import desk_database
from agent.storage.copy import SKIP
from agent.storage.engine import engine_for
from tests.unit.test_cases import queued

COMMENTS = [CommentIn(id=f"m{i}", text=t) for i, t in enumerate(["发货太慢了，等了两周", "精油涂脸上刺痛发红", "客服不回消息"])]


def _export(path, comments):
    path.write_text("".join(json.dumps({"id": c.id, "text": c.text}, ensure_ascii=False) + "\n" for c in comments))
    os.utime(path, (0, 0))  # settled: the crawler is done with it


def test_an_import_enqueues_and_a_worker_drafts_each_comment_once(tmp_path, ingested_store):
    settings = Settings(data_dir=tmp_path / "d")
    accept_comments(settings, COMMENTS, "glowskin")
    accept_comments(settings, COMMENTS, "glowskin")  # imported twice: queued once
    jobs = job_queue(settings)
    assert jobs.counts() == {"queued": 3}
    desk = ReviewDesk(settings, store=ingested_store)
    try:
        report = run_worker(jobs, lambda job: (desk.draft_item(job.item_id), None)[1], "w", concurrency=2,
                            drain=True, stop=threading.Event(), poll_s=0.1)
    finally:
        desk.close()
    assert report.drafted == 3 and jobs.counts() == {"done": 3}
    assert {i.status for i in ReviewQueue(settings.queue_path).items()} == {"needs_review"}


def test_a_watched_folder_imports_each_export_once_by_content(tmp_path):
    settings, folder = Settings(data_dir=tmp_path / "d"), tmp_path / "crawler"
    folder.mkdir()
    _export(folder / "day1.jsonl", COMMENTS[:2])
    assert [(i.name, i.new) for i in scan_once(settings, folder, "glowskin")] == [("day1.jsonl", 2)]
    shutil.copy(folder / "day1.jsonl", folder / "day1-copy.jsonl")
    os.utime(folder / "day1-copy.jsonl", (0, 0))
    assert scan_once(settings, folder, "glowskin") == []  # the same content under another name
    _export(folder / "day2.jsonl", COMMENTS)
    (folder / "broken.jsonl").write_text("{not json\n")
    os.utime(folder / "broken.jsonl", (0, 0))
    lines = [i.line() for i in scan_once(settings, folder, "glowskin")]
    assert lines[1] == "day2.jsonl: 1 new comment(s) queued for drafting, 2 already queued"
    assert lines[0].startswith("broken.jsonl: not imported")
    assert job_queue(settings).counts() == {"queued": 3}


def test_db_copy_moves_every_row_and_paused_review_to_postgresql(tmp_path, pg_url, ingested_store, capsys):
    settings = Settings(data_dir=tmp_path / "d")
    accept_comments(settings, COMMENTS, "glowskin")
    desk = ReviewDesk(settings, store=ingested_store)
    try:
        desk.draft_item("m0")  # paused at the human review: its checkpoint must move too
    finally:
        desk.close()
    assert main(["--data-dir", str(settings.data_dir), "db", "copy", "--to", pg_url]) == 0
    assert "every count checked" in capsys.readouterr().out
    with engine_for(pg_url).connect() as c:
        assert c.execute(sa.text("SELECT id, status FROM items ORDER BY id")).all() == [
            ("m0", "needs_review"), ("m1", "pending"), ("m2", "pending")]
        assert c.execute(sa.text("SELECT COUNT(*) FROM comment_history")).scalar() == 3
        assert c.execute(sa.text("SELECT COUNT(*) FROM jobs")).scalar() == 3
    import contextlib
    with contextlib.ExitStack() as resources:
        graph = compile_graph(postgres_checkpointer("postgresql://" + pg_url.split("://", 1)[1], resources))
        state = graph.get_state({"configurable": {"thread_id": ReviewDesk.thread_id("glowskin", "m0")}})
        assert state.interrupts  # the review resumes where it stopped
    assert main(["--data-dir", str(settings.data_dir), "db", "copy", "--to", pg_url]) == 2  # never merges


def test_a_wrong_password_is_refused_in_one_line_and_nothing_accepted_is_lost(tmp_path, pg_url, monkeypatch, capsys):
    data = tmp_path / "d"
    accept_comments(Settings(data_dir=data), COMMENTS[:1], "glowskin")
    export = tmp_path / "more.jsonl"
    _export(export, COMMENTS[1:])
    wrong = sa.make_url(pg_url).set(password="wrong-pw").render_as_string(hide_password=False)
    monkeypatch.setenv("REDREPLY_DATABASE_URL", wrong)
    assert main(["--data-dir", str(data), "import", str(export), "--brand", "glowskin"]) == 2
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert "password was refused" in err and "wrong-pw" not in err and sa.make_url(pg_url).host in err
    assert [i.id for i in ReviewQueue(data / "queue.sqlite").items()] == ["m0"]


def test_db_copy_leaves_no_table_behind_and_the_desk_goes_on_on_postgresql(tmp_path, pg_url, ingested_store):
    """Every table of a data directory that has seen a whole desk day is copied, row for row, and the stores
    carry on there: cases keep their members' order, new rows get keys past the copied ones."""
    settings = Settings(data_dir=tmp_path / "d")
    accept_comments(settings, COMMENTS, "glowskin")  # items, comment history, jobs
    desk = ReviewDesk(settings, store=ingested_store)
    try:
        desk.draft_item("m0")
        desk.decide("m0", ReviewDecision(action="approve", reviewer="amy"))  # decisions
    finally:
        desk.close()
    cases = CaseDesk(settings)
    case_id = queued(cases, "c1", [Violation.flooding], cluster=("c3", "c2"))  # cases, members, drafts, events
    cases.tick(case_id, ["screenshots"], "amy")  # checklist
    accounts = Accounts(desk_database(settings))
    accounts.add("amy", "approver", "correct horse")
    accounts.start_session("amy")  # sessions
    desk_key(accounts)  # the desk's sign-in key (the approval above filled the brand's memory)
    queue = ReviewQueue(desk_database(settings))
    touch(queue, "m1", "amy")  # presence
    record_bulk(queue, "leave", "amy", ["m2"], {})  # bulk actions
    with queue.tx() as c:  # an alert, its check, a suggestion and an imported export, as their stores write them
        c.execute("INSERT INTO alerts (key, channel, kind, brand, trigger, subject, item_id, reason, link, message, "
                  "created_at, next_attempt_at) VALUES ('k', 'json', 'json', 'glowskin', 'spike', 's', 'm0', 'r', "
                  "'l', 'm', '2026', '2026')")
        c.execute("INSERT OR IGNORE INTO alert_checks VALUES ('m0', '2026')")  # the desk checked it
        c.execute("INSERT INTO suggestions (item_id, account, at, item_version, reply_text) "
                  "VALUES ('m0', 'amy', '2026', 1, 'hi')")
        c.execute("INSERT INTO imports VALUES ('glowskin', 'abc', 'day1.jsonl', 3, '2026')")
    src = sa.inspect(engine_for(f"sqlite:///{settings.queue_path}"))
    tables = set(src.get_table_names()) - SKIP
    with engine_for(f"sqlite:///{settings.queue_path}").connect() as c:
        counts = {t: c.execute(sa.text(f"SELECT COUNT(*) FROM {t}")).scalar() for t in tables}
    assert all(counts.values()), {t: n for t, n in counts.items() if not n}  # the day touched every table

    assert main(["--data-dir", str(settings.data_dir), "db", "copy", "--to", pg_url]) == 0
    with engine_for(pg_url).connect() as c:
        theirs = {t for t in sa.inspect(c).get_table_names() if t.startswith("checkpoint")}  # LangGraph's, moved too
        assert set(sa.inspect(c).get_table_names()) - SKIP - theirs == tables
        assert {t: c.execute(sa.text(f"SELECT COUNT(*) FROM {t}")).scalar() for t in tables} == counts

    moved = CaseDesk(Settings(data_dir=tmp_path / "e", database_url=pg_url))
    assert moved.book.get("c2").members == ["c1", "c3", "c2"]  # in the order they joined
    assert Accounts(pg_url).authenticate("amy", "correct horse").role == "approver"
    again = ReviewQueue(pg_url)
    assert again.get("m0").status == "approved" and [d.seq for d in again.decisions("m0")] == [1]
    set_aside(again, "m1", "leave", "bob")  # a new audit row: its key follows the copied ones
    assert [d.seq for d in again.decisions()] == [1, 2]
