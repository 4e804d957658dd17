"""The queue page's kept rows (agent.review.views.queue_table): the same rows the table has always shown, kept
between runs, and rebuilt when anything changes the queue, from this process or another."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from agent.config import Settings
from agent.review.store.marks import set_aside, set_assignee
from agent.review.store.queue import ReviewQueue
from agent.review.store.staleness import stale_reasons
from agent.review.views.desk_time import CST
from agent.review.views.queue_table import QueueTable
from agent.review.views.table import queue_rows, status_counts
from agent.schemas import CommentIn
from tests.factories import draft_result

NOW = datetime.now(UTC).replace(microsecond=0)


def _queue(tmp_path, n: int = 6) -> tuple[ReviewQueue, Settings]:
    settings = Settings(data_dir=tmp_path / "data")
    queue = ReviewQueue(settings.queue_path)
    comments = [CommentIn(id=f"c-{i}", text=f"第{i}条评论 13800138000", note_title="笔记",
                          posted_at=(NOW - timedelta(hours=10 * i)).isoformat()) for i in range(n)]
    queue.accept(comments, "glowskin")
    for i in range(n - 1):  # the last stays pending
        queue.store_draft(draft_result(f"c-{i}", severity=1 + i % 3))
    return queue, settings


def test_the_kept_rows_are_the_rows_the_table_computes(tmp_path):
    queue, settings = _queue(tmp_path)
    items = queue.items()
    expected = queue_rows(items, NOW, settings.response_window_h, stale_reasons(queue, settings, items), {}, CST)
    table = QueueTable(queue, settings)
    assert table.rows(NOW) == expected
    assert table.rows(NOW + timedelta(hours=30)) == queue_rows(items, NOW + timedelta(hours=30), 48,
                                                               stale_reasons(queue, settings, items), {}, CST)
    assert table.counts(NOW) == status_counts(items, NOW, 48)


def test_a_change_from_another_connection_shows_on_the_next_run(tmp_path):
    queue, settings = _queue(tmp_path)
    table = QueueTable(queue, settings)
    assert {r["id"]: r["status"] for r in table.rows(NOW)}["c-1"] == "needs_review"
    other = ReviewQueue(settings.queue_path)  # the CLI, or another server process
    set_aside(other, "c-1", "leave", "amy")
    set_assignee(other, "c-2", "bob", "amy")  # an assignment bumps no version: the audit row shows it
    other.accept([CommentIn(id="c-new", text="新评论")], "glowskin")
    by_id = {r["id"]: r for r in table.rows(NOW)}
    assert by_id["c-1"]["status"] == "left" and by_id["c-2"]["assignee"] == "bob" and "c-new" in by_id
    assert table.counts(NOW)["left"] == 1


def test_the_rows_of_brands_an_account_does_not_cover_are_not_shown(tmp_path):
    queue, settings = _queue(tmp_path)
    queue.accept([CommentIn(id="t-1", text="另一个品牌")], "threadline")
    table = QueueTable(queue, settings)
    assert {r["id"] for r in table.rows(NOW, covers=lambda brand: brand == "threadline")} == {"t-1"}
    assert len(table.rows(NOW)) == 7


def test_the_clock_moves_without_a_rebuild(tmp_path):
    queue, settings = _queue(tmp_path)
    table = QueueTable(queue, settings)
    before = {r["id"]: r for r in table.rows(NOW)}
    later = {r["id"]: r for r in table.rows(NOW + timedelta(hours=40))}
    assert not before["c-1"]["overdue"] and later["c-1"]["overdue"] and "⏰" in later["c-1"]["flag"]
    assert later["c-1"]["time_left_h"] == before["c-1"]["time_left_h"] - 40
