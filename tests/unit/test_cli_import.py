"""`redreply import` as a user runs it on crawler exports: queued without drafting, idempotent, bad input told."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from agent.cli import main
from agent.config import Settings
from agent.review.store.queue import ReviewQueue

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sources"
A = "67c2a0010000000012004a"


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    d = tmp_path / "data"
    monkeypatch.setenv("REDREPLY_DATA_DIR", str(d))
    return d


def _queue(data_dir) -> ReviewQueue:
    return ReviewQueue(Settings(data_dir=data_dir).queue_path)


def _snapshot(data_dir) -> tuple[list, list]:
    conn = sqlite3.connect(Settings(data_dir=data_dir).queue_path)
    items = conn.execute("SELECT id, comment_json, status, version, created_at FROM items ORDER BY id").fetchall()
    history = conn.execute("SELECT comment_id, author, seen_at FROM comment_history ORDER BY comment_id").fetchall()
    return items, history


def test_a_mediacrawler_export_queues_every_comment_with_its_thread_and_section_evidence(data_dir, capsys):
    assert main(["import", str(FIXTURES / "search_comments_2026-03-04.jsonl"), "--brand", "glowskin"]) == 0
    out = capsys.readouterr().out
    assert "format: mediacrawler_comments" in out and "2 note(s) joined from search_contents_2026-03-04.jsonl" in out
    # Every comment gets a row: the brand's own reply (to be left) and the one with no text included. The
    # creator's reply under her own note is not the brand's: it is triaged like anyone's.
    assert "accepted 11 new comment(s)" in out and "1 brand replies kept in threads" in out
    items = {it.id: it for it in _queue(data_dir).items()}
    assert len(items) == 11 and items[A + "02"].comment.context.by_brand
    creator = next(it for it in items.values() if it.comment.author == "小鹿爱护肤")
    assert not creator.comment.context.by_brand and creator.comment.context.note_relation == "tags"
    assert items[A + "01"].comment.context.note_relation == "own"
    assert all(it.status == "pending" and it.result is None for it in items.values())  # nothing drafted
    follow_up = items[A + "03"].comment.context
    assert follow_up is not None and [m.brand for m in follow_up.thread] == [False, True]


def test_reimporting_the_same_file_changes_nothing(data_dir, capsys):
    path = str(FIXTURES / "search_comments_2026-03-04.jsonl")
    assert main(["import", path]) == 0
    before = _snapshot(data_dir)
    capsys.readouterr()
    assert main(["import", path]) == 0
    out = capsys.readouterr().out
    assert "accepted 0 new comment(s)" in out and "11 already queued, unchanged" in out
    assert _snapshot(data_dir) == before


def test_a_broken_line_is_reported_by_number_and_the_rest_is_queued(data_dir, capsys):
    assert main(["import", str(FIXTURES / "mediacrawler_broken_line.jsonl")]) == 1
    captured = capsys.readouterr()
    assert "mediacrawler_broken_line.jsonl:3: skipped: invalid JSON" in captured.err
    assert "mediacrawler_broken_line.jsonl:5: skipped: missing field 'content'" in captured.err
    assert "accepted 4 new comment(s)" in captured.out and len(_queue(data_dir).items()) == 4


def test_an_unrecognised_file_is_one_line_naming_its_fields_and_exit_2(data_dir, capsys):
    assert main(["import", str(FIXTURES / "unrecognised.jsonl")]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "fields seen: mid, text_raw" in err and "Traceback" not in err
    assert not Settings(data_dir=data_dir).queue_path.exists() or not _queue(data_dir).items()


def test_format_is_one_of_the_known_names(data_dir, capsys):
    with pytest.raises(SystemExit) as e:
        main(["import", str(FIXTURES / "redreply_comments.jsonl"), "--format", "nosuch"])
    assert e.value.code == 2 and "invalid choice" in capsys.readouterr().err


def test_a_named_notes_file_is_joined(data_dir, tmp_path, capsys):
    alone = tmp_path / "comments.jsonl"  # no contents file beside it
    shutil.copy(FIXTURES / "search_comments_2026-03-04.jsonl", alone)
    assert main(["import", str(alone), "--notes", str(FIXTURES / "search_contents_2026-03-04.jsonl")]) == 0
    assert "2 note(s) joined" in capsys.readouterr().out
    comment = _queue(data_dir).get(A + "01").comment
    assert comment.context is not None and comment.context.note is not None and comment.context.note.title


def test_the_brand_file_names_the_brands_own_account(data_dir, tmp_path, capsys):
    # No notes joined, no is_author tag: only the brand file says the account is the brand's.
    alone = tmp_path / "comments.jsonl"
    shutil.copy(FIXTURES / "search_comments_2026-03-04.jsonl", alone)
    assert main(["import", str(alone)]) == 0
    assert "no notes joined" in capsys.readouterr().out
    assert _queue(data_dir).get(A + "02").comment.context.by_brand  # queued, to be left with its reason
