"""The queue page's rows (agent.review.views.queue_table), filtered, counted, sorted and paged by the database,
on SQLite and on PostgreSQL: a page holds the rows the table computes from whole items (table.queue_rows,
filter_rows, sort_rows), the counts are right whichever page is shown, and a change from another connection
shows on the next run."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from agent.config import Settings
from agent.review.store.marks import set_aside, set_assignee
from agent.review.store.queue import ReviewQueue
from agent.review.store.staleness import stale_reasons
from agent.review.views.desk_time import CST
from agent.review.views.queue_table import QueueTable
from agent.review.views.table import SORT_KEYS, QueueFilter, filter_rows, queue_rows, sort_rows, status_counts
from agent.schemas import Action, CheckResult, CommentIn, Source, Violation
from tests.factories import draft_result

NOW = datetime.now(UTC).replace(microsecond=0)


def _queue(tmp_path, db_url: str, n: int = 6) -> tuple[ReviewQueue, Settings]:
    settings = Settings(data_dir=tmp_path / "data", database_url=None if db_url.startswith("sqlite") else db_url)
    queue = ReviewQueue(db_url)
    comments = [CommentIn(id=f"c-{i}", text=f"第{i}条评论 13800138000", note_title="笔记",
                          posted_at=(NOW - timedelta(hours=10 * i)).isoformat()) for i in range(n)]
    queue.accept(comments, "glowskin")
    for i in range(n - 1):  # the last stays pending
        queue.store_draft(draft_result(f"c-{i}", severity=1 + i % 3))
    return queue, settings


def _varied(tmp_path, db_url: str) -> tuple[ReviewQueue, Settings]:
    """A queue with a bit of everything the table filters and sorts on."""
    settings = Settings(data_dir=tmp_path / "data", database_url=None if db_url.startswith("sqlite") else db_url)
    queue = ReviewQueue(db_url)
    comments = []
    for i in range(40):
        posted = NOW - timedelta(hours=(7 * i) % 61, minutes=i)
        comments.append(CommentIn(
            id=f"v-{i:02d}", text=f"评论{i} 港島 {'13800138000' if i % 5 == 0 else '好用'}",
            author=None if i % 7 == 0 else f"作者{i % 4}", note_title=["笔记甲", "笔记乙", "", None][i % 4],
            posted_at=None if i % 9 == 0 else ((posted - timedelta(days=30)) if i % 11 == 0 else posted).isoformat(),
            likes=(0, 15, 150, 1500)[i % 4], reply_count=i % 3))
    queue.accept(comments, "glowskin")
    queue.accept([CommentIn(id=f"t-{i}", text=f"另一个品牌{i}") for i in range(3)], "threadline")
    sources, actions = list(Source), [Action.reply, Action.thank, Action.leave, Action.report]
    for i in range(0, 40, 1):
        if i % 8 == 7:
            continue  # pending
        violations = [[], [Violation.flooding], [Violation.rumor, Violation.flooding]][i % 3]
        checks = [CheckResult(name="placeholders", passed=False, blocks_approval=True)] if i % 6 == 1 else []
        d = draft_result(f"v-{i:02d}", severity=1 + i % 3, source=sources[i % len(sources)], violations=violations,
                         reply="谢谢你的反馈，我们已经记下来了，会尽快改进包装" if i % 2 else "亲～", checks=checks)
        d = d.model_copy(update={"plan": d.plan.model_copy(update={"action": actions[i % 4],
                                                                     "action_reason": f"理由{i}"})})
        queue.store_draft(d, facts_hash="old-facts" if i % 10 == 3 else None)
    queue.mark_failed("v-15", "model timed out")
    set_aside(queue, "v-04", "report", "amy")
    set_assignee(queue, "v-06", "bob", "amy")
    queue.accept([CommentIn(id="v-late", text="后来的评论", note_title="笔记甲")], "glowskin")  # stales 笔记甲's drafts
    return queue, settings


def _expected(queue: ReviewQueue, settings: Settings, now: datetime) -> list[dict]:
    items = queue.items()
    return queue_rows(items, now, settings.response_window_h, stale_reasons(queue, settings, items), {}, CST)


def _shown(rows: list[dict], f: QueueFilter, actions=()) -> list[dict]:
    """What the page showed when it filtered in memory: the filter, the action filter, left rows hidden."""
    return [r for r in filter_rows(rows, f)
            if (r["status"] != "left" or "left" in f.statuses) and (not actions or r["action"] in actions)]


def test_the_page_rows_are_the_rows_the_table_computes(tmp_path, db_url):
    queue, settings = _queue(tmp_path, db_url)
    table = QueueTable(queue, settings)
    for now in (NOW, NOW + timedelta(hours=30)):
        page = table.page(by="id", now=now, size=None)
        assert page.rows == sorted(_expected(queue, settings, now), key=lambda r: r["id"])
        assert (page.matching, page.total, page.pages) == (6, 6, 1)
    assert table.counts(NOW) == status_counts(queue.items(), NOW, 48)
    assert "13800138000" not in page.rows[0]["comment"]  # masked, as always outside the item view


@pytest.mark.parametrize("f, actions", [
    (QueueFilter(), ()),
    (QueueFilter(statuses=["needs_review"]), ()),
    (QueueFilter(statuses=["left", "reported"]), ()),
    (QueueFilter(severities=[3]), ()),
    (QueueFilter(sources=[Source.genuine_experience.value]), ()),
    (QueueFilter(violations=["flooding"]), ()),
    (QueueFilter(violations=["none"]), ()),
    (QueueFilter(violations=["rumor", "none"]), ()),
    (QueueFilter(brands=["threadline"]), ()),
    (QueueFilter(search="港島"), ()),
    (QueueFilter(search="作者2"), ()),
    (QueueFilter(search="V-1"), ()),
    (QueueFilter(search="138****"), ()),  # the masked text is searched, not the number
    (QueueFilter(search="50%_"), ()),  # LIKE's wildcards are searched as written
    (QueueFilter(overdue_only=True), ()),
    (QueueFilter(stale_only=True), ()),
    (QueueFilter(statuses=["left"], assignees=["bob"]), ()),
    (QueueFilter(), ("thank", "report")),
    (QueueFilter(statuses=["left"]), ("leave",)),
])
def test_each_filter_shows_the_rows_it_showed_in_memory(tmp_path, db_url, f, actions):
    queue, settings = _varied(tmp_path, db_url)
    table = QueueTable(queue, settings)
    expected = sort_rows(_shown(_expected(queue, settings, NOW), f, actions), "id")
    page = table.page(f, actions, by="id", now=NOW, size=None)
    assert [r["id"] for r in page.rows] == [r["id"] for r in expected]
    assert page.rows == expected
    assert page.matching == len(expected) and page.total == 44
    assert table.matching(f, actions, now=NOW) == {r["id"]: r["version"] for r in expected}


def test_assigned_to_me_shows_only_my_items(tmp_path, db_url):
    queue, settings = _varied(tmp_path, db_url)
    set_assignee(queue, "v-01", "bob", "amy")
    set_assignee(queue, "v-05", "sue", "amy")
    table = QueueTable(queue, settings)
    assert [r["id"] for r in table.page(QueueFilter(assignees=["bob"]), by="id", now=NOW, size=None).rows] == ["v-01"]
    assert list(table.matching(QueueFilter(assignees=["sue"]), now=NOW)) == ["v-05"]  # what "all that match" covers
    left = QueueFilter(statuses=["left"], assignees=["bob"])  # v-06, set aside by the plan
    assert [r["id"] for r in table.page(left, by="id", now=NOW, size=None).rows] == ["v-06"]


def test_every_sort_orders_the_rows_as_it_did_in_memory(tmp_path, db_url):
    queue, settings = _varied(tmp_path, db_url)
    table = QueueTable(queue, settings)
    rows = _shown(_expected(queue, settings, NOW), QueueFilter())
    for by, descending in itertools.product(SORT_KEYS, (False, True)):
        page = table.page(by=by, descending=descending, now=NOW, size=None)
        assert [r["id"] for r in page.rows] == [r["id"] for r in sort_rows(rows, by, descending)], (by, descending)


def test_a_page_is_a_slice_of_the_whole_order_and_the_counts_cover_every_page(tmp_path, db_url):
    queue, settings = _varied(tmp_path, db_url)
    table = QueueTable(queue, settings)
    f = QueueFilter(statuses=["needs_review", "pending", "failed"])
    whole = [r["id"] for r in table.page(f, now=NOW, size=None).rows]
    pages = [table.page(f, now=NOW, page=n, size=7) for n in (1, 2, 3, 4, 5)]
    assert [r["id"] for p in pages for r in p.rows] == whole
    assert {(p.matching, p.pages) for p in pages} == {(len(whole), 5)} and len(whole) > 28
    assert [len(p.rows) for p in pages] == [7, 7, 7, 7, len(whole) - 28]
    beyond = table.page(f, now=NOW, page=99, size=7)  # a page past the end (the filter narrowed): the last one
    assert beyond.page == 5 and beyond.rows == pages[-1].rows
    assert table.page(QueueFilter(search="无此评论"), now=NOW, size=7).rows == []


def test_a_change_from_another_connection_shows_on_the_next_run(tmp_path, db_url):
    queue, settings = _queue(tmp_path, db_url)
    table = QueueTable(queue, settings)
    assert {r["id"]: r["status"] for r in table.page(now=NOW).rows}["c-1"] == "needs_review"
    other = ReviewQueue(db_url)  # the CLI, or another server process
    set_aside(other, "c-1", "leave", "amy")
    set_assignee(other, "c-2", "bob", "amy")
    other.accept([CommentIn(id="c-new", text="新评论")], "glowskin")
    by_id = {r["id"]: r for r in table.page(QueueFilter(statuses=list({"left", "needs_review", "pending"})),
                                            now=NOW).rows}
    assert by_id["c-1"]["status"] == "left" and by_id["c-2"]["assignee"] == "bob" and "c-new" in by_id
    assert "c-1" not in {r["id"] for r in table.page(now=NOW).rows}  # left alone: outside the to-do queue
    assert table.counts(NOW)["left"] == 1


def test_the_rows_of_brands_an_account_does_not_cover_are_not_shown_nor_counted(tmp_path, db_url):
    queue, settings = _queue(tmp_path, db_url)
    queue.accept([CommentIn(id="t-1", text="另一个品牌")], "threadline")
    table = QueueTable(queue, settings)
    page = table.page(now=NOW, covers=lambda brand: brand == "threadline")
    assert [r["id"] for r in page.rows] == ["t-1"] and (page.matching, page.total) == (1, 1)
    assert set(table.matching(covers=lambda brand: brand == "threadline")) == {"t-1"}
    assert table.page(now=NOW).total == 7
    assert table.page(now=NOW, covers=lambda brand: False).total == 0


def test_the_clock_moves_the_rows_and_the_overdue_filter(tmp_path, db_url):
    queue, settings = _queue(tmp_path, db_url)
    table = QueueTable(queue, settings)
    before = {r["id"]: r for r in table.page(now=NOW).rows}
    later = {r["id"]: r for r in table.page(now=NOW + timedelta(hours=40)).rows}
    assert not before["c-1"]["overdue"] and later["c-1"]["overdue"] and "⏰" in later["c-1"]["flag"]
    assert later["c-1"]["time_left_h"] == before["c-1"]["time_left_h"] - 40
    overdue = QueueFilter(overdue_only=True)
    assert "c-1" not in table.matching(overdue, now=NOW) and "c-1" in table.matching(overdue, now=NOW + timedelta(hours=40))


def test_items_accepted_before_the_listing_columns_are_filled_when_the_queue_opens(tmp_path, db_url):
    queue, settings = _queue(tmp_path, db_url)
    with queue.tx() as c:  # as an older version left them
        c.execute("UPDATE items SET comment_text = NULL, posted_ts = NULL, accepted_ts = NULL, reach = NULL")
    reopened = ReviewQueue(db_url)
    page = QueueTable(reopened, settings).page(by="id", now=NOW, size=None)
    assert page.rows == sorted(_expected(reopened, settings, NOW), key=lambda r: r["id"])
    assert page.rows[0]["comment"].startswith("第0条评论") and page.rows[1]["posted_ts"] is not None


def test_the_item_pages_order_is_every_covered_item_most_urgent_first(tmp_path, db_url):
    queue, settings = _varied(tmp_path, db_url)
    table = QueueTable(queue, settings)
    rows = [r for r in _expected(queue, settings, NOW) if r["brand"] == "glowskin"]
    assert "left" in {r["status"] for r in rows}  # left alone by the plan, yet reachable from an item
    assert table.order(NOW, covers=lambda b: b == "glowskin") == [r["id"] for r in sort_rows(rows, "urgency")]
    assert table.order(NOW, covers=lambda b: False) == []
