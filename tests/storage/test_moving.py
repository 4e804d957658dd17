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
from agent.review.service import ReviewDesk
from agent.review.store.intake import accept_comments, job_queue
from agent.review.store.queue import ReviewQueue
from agent.review.store.watch import scan_once
from agent.review.worker import run_worker
from agent.schemas import CommentIn
from agent.storage.engine import engine_for

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
