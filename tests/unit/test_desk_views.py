"""What the review app computes (agent.review: desk_time, table, item_view, analytics, jobs): rows, filters,
time left, edit distance, analytics and the background drafting job."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from agent.placeholders import placeholder_slots
from agent.queue_item import Item
from agent.review import jobs
from agent.review.store.queue import Decision
from agent.review.views import analytics, desk_time, item_view, table
from agent.schemas import (
    CheckResult,
    CommentIn,
    DraftResult,
    Source,
    Violation,
)
from tests.factories import draft_result

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def result(item_id: str, severity: int = 1, source: Source = Source.genuine_experience,
           violations: list[Violation] | None = None, reply: str = "谢谢反馈", blocked: bool = False,
           cluster: list[str] | None = None) -> DraftResult:
    return draft_result(item_id, source=source, severity=severity, violations=violations or [], reply=reply,
                        checks=[CheckResult(name="placeholders", passed=not blocked, blocks_approval=True)],
                        cluster=cluster or [])


def item(item_id: str, hours_ago: float | None = 1.0, status: str = "needs_review", text: str = "怎么还没发货",
         created_hours_ago: float = 0.5, decided_hours_ago: float | None = None, **kw) -> Item:
    posted = (NOW - timedelta(hours=hours_ago)).isoformat() if hours_ago is not None else None
    return Item(
        id=item_id, brand="glowskin", status=status, version=1,
        comment=CommentIn(id=item_id, text=text, posted_at=posted, author=kw.pop("author", None)),
        result=result(item_id, **kw) if status != "pending" else None,
        created_at=(NOW - timedelta(hours=created_hours_ago)).isoformat(),
        decided_at=(NOW - timedelta(hours=decided_hours_ago)).isoformat() if decided_hours_ago is not None else None)


def decision(seq: int, action: str, draft: str | None, final: str | None, reviewer: str = "amy") -> Decision:
    return Decision(seq=seq, item_id=f"c-{seq}", action=action, reviewer=reviewer, at=NOW.isoformat(),
                    draft_reply=draft, final_reply=final, final_appeal=None, reason=None, instruction=None,
                    applied=True)


# --- time -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("value, expected", [
    ("2026-11-24T12:00:00+00:00", NOW),
    ("2026-11-24T12:00:00Z", NOW),
    ("2026-11-24 20:00:00", NOW),  # naive = Beijing time
    ("2026-11-24T20:00", NOW),
    ("1795521600", NOW),
    ("1795521600000", NOW),
    ("", None), (None, None), ("yesterday", None),
])
def test_parse_time(value, expected):
    assert desk_time.parse_time(value) == expected


def test_time_left_counts_from_posted_at_else_created_and_stops_when_closed():
    assert desk_time.time_left(item("a", hours_ago=10), NOW) == timedelta(hours=38)
    assert desk_time.time_left(item("a", hours_ago=50), NOW) == timedelta(hours=-2)
    assert desk_time.time_left(item("a", hours_ago=None, created_hours_ago=4), NOW) == timedelta(hours=44)
    assert desk_time.time_left(item("a", hours_ago=50, status="approved"), NOW) is None
    assert desk_time.time_left(item("a", hours_ago=10), NOW, window_h=24) == timedelta(hours=14)


def test_times_are_shown_in_the_team_time_zone():
    at = datetime(2026, 7, 1, 10, 5, tzinfo=UTC)
    assert desk_time.local_text(at, desk_time.team_zone()) == "07-01 18:05"  # the default, Asia/Shanghai
    assert desk_time.local_text(at, desk_time.team_zone("Europe/Berlin")) == "07-01 12:05"  # summer time
    assert desk_time.local_text(at, desk_time.team_zone("America/New_York"), with_year=True) == "2026-07-01 06:05"
    with pytest.raises(ValueError, match="unknown time zone 'Mars/Olympus'"):
        desk_time.team_zone("Mars/Olympus")
    # A comment's own naive time is still read as Beijing time, whatever the team's zone.
    assert desk_time.parse_time("2026-07-01 18:05") == at


def test_format_left():
    assert desk_time.format_left(timedelta(hours=5, minutes=7)) == "5h 07m"
    assert desk_time.format_left(timedelta(hours=-2, minutes=-30)) == "overdue 2h 30m"
    assert desk_time.format_left(None) == "—"


def test_flag_marks_severity_overdue_stale_and_failures():
    assert table.flag(3, True, False, "needs_review") == "🔴 ⏰"
    assert table.flag(2, False, True, "needs_review") == "🟠 ♻️"
    assert table.flag(None, False, False, "failed") == "⚠️"
    assert table.flag(1, False, False, "approved") == ""


# --- rows, filters, sorting ---------------------------------------------------------------------------
def rows():
    items = [
        item("a", hours_ago=50, severity=1),
        item("b", hours_ago=2, severity=3, violations=[Violation.rumor], source=Source.competitor_attack),
        item("c", hours_ago=30, severity=2, text="联系我 13800138000", blocked=True),
        item("d", hours_ago=60, status="approved", severity=3),
        item("e", hours_ago=1, status="pending"),
    ]
    return table.queue_rows(items, NOW, 48, stale={"c": "the brand facts changed"})


def test_queue_rows_shape_and_masking():
    by_id = {r["id"]: r for r in rows()}
    assert by_id["a"]["overdue"] and by_id["a"]["due"].startswith("overdue") and "⏰" in by_id["a"]["flag"]
    assert by_id["b"]["flag"] == "🔴" and by_id["b"]["violations"] == "rumor"
    assert "13800138000" not in by_id["c"]["comment"] and by_id["c"]["blocked"]
    assert by_id["c"]["stale"] and "♻️" in by_id["c"]["flag"]
    assert by_id["d"]["due"] == "—" and not by_id["d"]["overdue"]  # closed: the clock stopped
    assert by_id["e"]["severity"] is None and by_id["e"]["source"] == ""


def test_filters():
    r = rows()
    ids = lambda f: sorted(x["id"] for x in table.filter_rows(r, f))  # noqa: E731
    assert ids(table.QueueFilter(severities=[3])) == ["b", "d"]
    assert ids(table.QueueFilter(statuses=["needs_review"], severities=[3])) == ["b"]
    assert ids(table.QueueFilter(sources=["competitor_attack"])) == ["b"]
    assert ids(table.QueueFilter(violations=["rumor"])) == ["b"]
    assert ids(table.QueueFilter(violations=["none"])) == ["a", "c", "d", "e"]
    assert ids(table.QueueFilter(overdue_only=True)) == ["a"]
    assert ids(table.QueueFilter(stale_only=True)) == ["c"]
    assert ids(table.QueueFilter(search="138****")) == []  # the masked text is searched, not the number
    assert ids(table.QueueFilter(search="发货")) == ["a", "b", "d", "e"]
    assert ids(table.QueueFilter()) == ["a", "b", "c", "d", "e"]


def test_sorting():
    r = rows()
    order = lambda by, desc=False: [x["id"] for x in table.sort_rows(r, by, desc)]  # noqa: E731
    # urgency: open first; severity 3 → 1; then the least time left
    assert order("urgency") == ["b", "c", "a", "e", "d"]
    assert set(order("severity", True)[:2]) == {"b", "d"} and order("severity", True)[-1] == "e"  # None last both ways
    assert order("severity")[-1] == "e"
    assert order("time_left")[0] == "a" and set(order("time_left")[-1:]) == {"d"}
    assert order("status")[0] in {"a", "b", "c"} and order("status")[-1] == "d"
    assert order("id", True) == ["e", "d", "c", "b", "a"]


def test_status_counts():
    items = [item("a", hours_ago=50), item("b", hours_ago=1, severity=3), item("c", status="rejected")]
    counts = table.status_counts(items, NOW)
    assert counts["needs_review"] == 2 and counts["rejected"] == 1
    assert counts["overdue"] == 1 and counts["severity3_open"] == 1


# --- item view helpers ---------------------------------------------------------------------------------
def test_display_text_and_slots():
    assert item_view.display_text("買了面膜", "简") == "买了面膜"
    assert item_view.display_text("买了面膜", "繁") == "買了面膜"
    assert item_view.display_text("<script>", "原文") == "<script>"
    assert placeholder_slots("单号【待确认：物流单号】，状态【待确认:订单状态】") == ["【待确认：物流单号】", "【待确认:订单状态】"]
    assert placeholder_slots("") == []


def test_siblings_and_neighbours():
    it = item("b", cluster=["a", "b", "x"])
    assert item_view.siblings(it, ["a", "b", "c"]) == {"duplicates": ["a"], "author": []}
    assert item_view.neighbours(["a", "b", "c"], "b") == ("a", "c")
    assert item_view.neighbours(["a", "b", "c"], "a") == (None, "b")
    assert item_view.neighbours(["a"], "zzz") == (None, "a")
    assert item_view.neighbours([], None) == (None, None)


def test_build_decision():
    d = item_view.build_decision("approve", "amy", "原稿", reply="原稿 ")
    assert d.action == "approve" and d.reply_text is None
    d = item_view.build_decision("approve", "amy", "原稿", reply="改过的", draft_appeal="申诉", appeal="申诉")
    assert d.action == "edit" and d.reply_text == "改过的" and d.appeal_explanation is None
    d = item_view.build_decision("approve", " ", "原稿", reply="原稿", draft_appeal="申诉", appeal="新申诉")
    assert d.reviewer == "reviewer" and d.appeal_explanation == "新申诉"
    assert item_view.build_decision("reject", "amy", "x", reason=" 语气太硬 ").reason == "语气太硬"
    assert item_view.build_decision("regenerate", "amy", "x", instruction="更短").instruction == "更短"
    with pytest.raises(ValueError):
        item_view.build_decision("post", "amy", "x")


def test_pasted_comments_have_stable_ids():
    a = item_view.paste_comments("第一条\n\n  第二条  \n第一条", author="小鹿")
    assert [c.text for c in a] == ["第一条", "第二条"] and a[0].author == "小鹿"
    assert [c.id for c in item_view.paste_comments("第二条\n第一条")] == [a[1].id, a[0].id]
    assert item_view.paste_comments(" \n ") == []


def test_rebase_times_keeps_the_spread():
    comments = [CommentIn(id="a", text="x", posted_at="2020-01-01T00:00:00+08:00"),
                CommentIn(id="b", text="y", posted_at="2020-01-03T12:00:00+08:00"),
                CommentIn(id="c", text="z")]
    out = desk_time.rebase_times(comments, NOW)
    a, b = desk_time.parse_time(out[0].posted_at), desk_time.parse_time(out[1].posted_at)
    assert b == NOW - timedelta(minutes=20) and b - a == timedelta(hours=60)
    assert out[2].posted_at is None
    assert desk_time.rebase_times([CommentIn(id="c", text="z")], NOW)[0].posted_at is None


# --- edit distance and analytics ---------------------------------------------------------------------
@pytest.mark.parametrize("a, b, d", [
    ("", "", 0), ("abc", "abc", 0), ("", "abc", 3), ("kitten", "sitting", 3),
    ("宝子抱歉久等了", "宝子真的抱歉久等了", 2), ("abcdef", "azcdxf", 2), ("flaw", "lawn", 2),
])
def test_edit_distance(a, b, d):
    assert analytics.edit_distance(a, b) == d == analytics.edit_distance(b, a)


def test_normalized_edit_distance():
    assert analytics.normalized_edit_distance("abcd", "abcd") == 0.0
    assert analytics.normalized_edit_distance("abcd", "wxyz") == 1.0
    assert analytics.normalized_edit_distance("abcd", "abce") == 0.25
    assert analytics.normalized_edit_distance(None, None) == 0.0
    assert analytics.normalized_edit_distance(" 同样 ", "同样") == 0.0


def test_edit_distance_is_fast_on_reply_sized_texts():
    a = "宝子久等了真的抱歉" * 33
    b = "亲爱的宝子" + a[5:150] + "改一下" + a[160:]
    start = time.perf_counter()
    assert analytics.edit_distance(a, b) > 0
    assert time.perf_counter() - start < 1.0


def test_audit_and_edit_rows():
    ds = [decision(1, "approve", "原稿", "原稿"), decision(2, "edit", "abcd", "abce", reviewer="bob"),
          decision(3, "reject", "原稿", None), decision(4, "regenerate", "原稿", None)]
    audit = analytics.audit_rows(ds)
    assert [r["edit_distance"] for r in audit] == [0.0, 0.25, None, None]
    edits = analytics.edit_rows(ds)
    assert [(r["item"], r["edit_distance"]) for r in edits] == [("c-1", 0.0), ("c-2", 0.25)]
    assert analytics.edit_summary(edits) == {"approvals": 2, "mean": 0.125, "edited_share": 0.5}
    assert analytics.edit_summary([]) == {"approvals": 0, "mean": None, "edited_share": None}


def test_analytics():
    items = [item("a", hours_ago=50, severity=3, source=Source.competitor_attack, violations=[Violation.rumor]),
             item("b", hours_ago=2, severity=1), item("c", hours_ago=3, severity=1, status="approved",
                                                        decided_hours_ago=1),
             item("d", hours_ago=60, status="rejected", decided_hours_ago=0), item("e", status="pending")]
    assert analytics.volume_by_source(items) == [{"source": "genuine_experience", "comments": 3},
                                          {"source": "competitor_attack", "comments": 1}]
    sev = analytics.severity_over_time(items)
    assert {"day": "2026-11-22", "severity": "S3", "comments": 1} in sev
    assert sum(r["comments"] for r in sev) == 4
    assert analytics.violations_over_time(items) == [{"day": "2026-11-22", "violation": "rumor", "comments": 1}]
    assert analytics.approval_rate(items) == {"decided": 2, "approved": 1, "rejected": 1, "rate": 0.5}
    assert analytics.approval_rate([])["rate"] is None
    times = {r["item"]: r for r in analytics.decision_times(items)}
    assert times["c"]["hours"] == 2.0 and times["c"]["within_window"]
    assert times["d"]["hours"] == 60.0 and not times["d"]["within_window"]


def test_the_insight_days_are_the_teams_days():
    """A comment posted at 23:30 in Los Angeles is that team's day, though Beijing already calls it the next."""
    late = item("la", hours_ago=4.5, severity=2, violations=[Violation.rumor])  # 07:30 UTC: 23:30 the day before in LA
    la = ZoneInfo("America/Los_Angeles")
    assert analytics.severity_over_time([late], la) == [{"day": "2026-11-23", "severity": "S2", "comments": 1}]
    assert analytics.violations_over_time([late], la) == [{"day": "2026-11-23", "violation": "rumor", "comments": 1}]
    assert analytics.severity_over_time([late])[0]["day"] == "2026-11-24"  # the default team zone: Beijing's day


# --- background drafting -------------------------------------------------------------------------------
class FakeDesk:
    def __init__(self) -> None:
        self.release = threading.Event()

    def draft_all(self, ids, concurrency=1, on_done=None):
        self.release.wait(5)
        for i in ids:
            on_done(i, object(), "boom" if i == "bad" else None)


def test_draft_job_reports_progress_and_failures():
    desk = FakeDesk()
    job = jobs.start_drafting(desk, ["a", "bad", "c"])
    assert job.running and job.fraction == 0 and job.label().startswith("drafting 0/3")
    desk.release.set()
    deadline = time.monotonic() + 5
    while job.running and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not job.running and job.done == 3 and job.fraction == 1.0
    assert job.failed == {"bad": "boom"} and "1 failed" in job.label()


def test_draft_job_survives_an_error_around_drafting():
    class Broken:
        def draft_all(self, ids, concurrency=1, on_done=None):
            raise RuntimeError("queue locked")

    job = jobs.start_drafting(Broken(), ["a"])
    deadline = time.monotonic() + 5
    while job.running and time.monotonic() < deadline:
        time.sleep(0.01)
    assert job.error == "RuntimeError: queue locked" and not job.running


def test_reach_raises_urgency_within_a_severity_by_orders_of_magnitude():
    def reached(item_id, likes, replies, hours_ago, severity=2):
        it = item(item_id, hours_ago=hours_ago, severity=severity)
        return it.model_copy(update={"comment": it.comment.model_copy(update={"likes": likes,
                                                                              "reply_count": replies})})

    items = [reached("quiet", 3, 0, 40),  # least time left, little reach
             reached("viral", 1200, 0, 2), reached("busy", 20, 30, 5),  # 1200 → bucket 3; 20 + 3×30 = 110 → 2
             reached("twin", 15, 0, 30), reached("twin2", 40, 0, 10),  # both bucket 1: time left decides
             reached("severe", 0, 0, 1, severity=3)]  # severity first, whatever the reach
    r = table.queue_rows(items, NOW, 48)
    assert {x["id"]: x["reach"] for x in r}["busy"] == 110
    assert [x["id"] for x in table.sort_rows(r, "urgency")] == ["severe", "viral", "busy", "twin", "twin2", "quiet"]
    assert [x["id"] for x in table.sort_rows(r, "reach", True)][:2] == ["viral", "busy"]
    assert [table.reach_bucket(n) for n in (0, 9, 10, 99, 100, 999, 1000)] == [0, 0, 1, 1, 2, 2, 3]


def test_an_old_comment_is_old_not_overdue_and_the_window_runs_from_posting():
    from datetime import UTC, datetime, timedelta

    from agent.queue_item import Item
    from agent.review.views.desk_time import ago, is_old, time_left
    from agent.schemas import CommentIn

    now = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)
    imported = (now - timedelta(minutes=5)).isoformat()
    old = Item(id="o", brand="glowskin", comment=CommentIn(id="o", text="太贵", posted_at="2024-03-01T10:00:00+08:00"),
               status="pending", version=0, created_at=imported)
    fresh = Item(id="f", brand="glowskin", status="pending", version=0, created_at=imported,
                 comment=CommentIn(id="f", text="太贵", posted_at=(now - timedelta(hours=40)).isoformat()))
    assert is_old(old) and time_left(old, now) is None
    assert not is_old(fresh) and round(time_left(fresh, now).total_seconds() / 3600) == 8  # 48 h from posting
    assert ago(now - timedelta(days=2, hours=3), now) == (2, "day") and ago(now, now) == (0, "now")
