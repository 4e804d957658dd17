"""The review app through Streamlit's AppTest: queue, item actions, 简/繁, escaping, conflicts, export."""

from __future__ import annotations

import csv
import json
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from streamlit.testing.v1 import AppTest

from agent.placeholders import placeholder_slots
from agent.review.service import ReviewDesk
from agent.review.store.exporting import approved_rows
from agent.review.store.queue import ReviewQueue
from agent.schemas import CommentIn, ReviewDecision
from tests.ui.demo_data import APP

pytestmark = pytest.mark.slow


def app(item: str | None = None, reviewer: str | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=120)
    if item:
        at.query_params["item"] = item
    at.run()
    assert not at.exception, at.exception
    if reviewer:
        at.text_input(key="reviewer").set_value(reviewer)
    if item:
        at.switch_page("page_item.py").run()
        assert not at.exception, at.exception
        assert at.title[0].value.startswith(item)
    return at


def table_ids(at: AppTest) -> list[str]:
    return list(at.dataframe(key="queue_table").value["id"])


def texts(at: AppTest) -> list[str]:
    return [t.value for t in at.text]


def errors(at: AppTest) -> str:
    return " | ".join(e.value for e in at.error)


def queue(settings) -> ReviewQueue:
    return ReviewQueue(settings.queue_path)


# --- queue ----------------------------------------------------------------------------------------
def test_queue_lists_the_demo_items_most_urgent_first(ui_settings):
    at = app()
    frame = at.dataframe(key="queue_table").value
    assert len(frame) == 20
    assert {f"d-{i:02d}" for i in range(1, 21)} == set(frame["id"])
    assert set(frame["status"]) == {"needs_review"}
    # severity 3 and overdue items stand out, and the most urgent come first
    assert frame["flag"].str.contains("🔴").any() and frame["flag"].str.contains("⏰").any()
    assert frame.iloc[0]["severity"] == 3 and "⏰" in frame.iloc[0]["flag"]
    assert list(frame["severity"])[:3] == [3, 3, 3]
    # personal data is masked outside the item view
    comment = frame.set_index("id").loc["d-19", "comment"]
    assert "13800138000" not in comment and "13" in comment


def test_queue_filters_and_sorting(ui_settings):
    at = app()
    at.multiselect(key="f_severity").set_value([3]).run()
    assert not at.exception
    frame = at.dataframe(key="queue_table").value
    assert len(frame) and set(frame["severity"]) == {3}

    at.multiselect(key="f_severity").set_value([]).run()
    at.multiselect(key="f_violation").set_value(["flooding"]).run()
    assert sorted(table_ids(at)) == ["d-09", "d-10", "d-11"]

    at.multiselect(key="f_violation").set_value([]).run()
    at.toggle(key="f_overdue").set_value(True).run()
    frame = at.dataframe(key="queue_table").value
    assert len(frame) >= 3 and frame["due"].str.startswith("overdue").all()

    at.toggle(key="f_overdue").set_value(False).run()
    at.text_input(key="f_search").set_value("港島").run()
    assert table_ids(at) == ["d-15"]

    at.text_input(key="f_search").set_value("").run()
    at.selectbox(key="f_sort").set_value("id").run()
    at.toggle(key="f_desc").set_value(True).run()
    assert table_ids(at)[:2] == ["d-20", "d-19"]
    assert not at.exception


def test_a_long_queue_is_shown_a_page_at_a_time_and_bulk_work_covers_every_page(ui_settings, monkeypatch):
    monkeypatch.setattr("agent.review.desk.PAGE_ROWS", 6)  # the demo's 20 items on 4 pages
    at = app()
    first = table_ids(at)
    assert len(first) == 6 and at.dataframe(key="queue_table").value.iloc[0]["severity"] == 3
    assert any(c.value.startswith("20 of 20 item(s)") for c in at.caption)
    assert at.number_input(key="f_page").value == 1
    seen = list(first)
    for n in (2, 3, 4):
        at.number_input(key="f_page").set_value(n).run()
        seen += table_ids(at)
    assert len(seen) == 20 and set(seen) == {f"d-{i:02d}" for i in range(1, 21)}  # every item once, in order
    assert table_ids(at) == seen[18:] and any(c.value.startswith("Rows 19–20 of 20") for c in at.caption)

    at.toggle(key="f_desc").set_value(True).run()  # another order starts at its first page
    assert at.number_input(key="f_page").value == 1 and table_ids(at) == list(reversed(seen))[:6]
    at.toggle(key="f_desc").set_value(False)
    at.multiselect(key="f_violation").set_value(["flooding"]).run()
    assert sorted(table_ids(at)) == ["d-09", "d-10", "d-11"] and not [n for n in at.number_input if n.key == "f_page"]
    at.selectbox(key="f_sort").set_value("id").run()
    monkeypatch.setattr("agent.review.desk.PAGE_ROWS", 2)
    at.run()
    assert table_ids(at) == ["d-09", "d-10"]
    at.toggle(key="bulk_all").set_value(True).run()
    assert at.toggle(key="bulk_all").label == "all 3 that match the filter"
    at.selectbox(key="bulk_action").set_value("leave").run()
    at.button(key="bulk_go").click().run()
    assert not at.exception, at.exception
    assert {queue(ui_settings).get(i).status for i in ("d-09", "d-10", "d-11")} == {"left"}  # d-11 was on page 2
    assert table_ids(at) == []  # left alone: outside the to-do queue


def test_open_an_item_from_the_queue(ui_settings):
    at = app()
    at.selectbox(key="open_id").set_value("d-06").run()
    at.button(key="open_item").click().run()
    assert not at.exception
    assert at.title[0].value.startswith("d-06")


def test_pasted_comments_are_accepted_and_drafted_in_the_background(ui_settings):
    at = app()
    at.text_area(key="import_paste").set_value("面膜敷完有点刺痛是正常的吗\n快递太慢了，等了一周")
    at.button(key="import_paste_go").click().run()
    assert not at.exception
    assert at.text_area(key="import_paste").value == ""  # the box is emptied once the lines are accepted
    q = queue(ui_settings)
    pasted = [it.id for it in q.items() if it.id.startswith("p-")]
    assert len(pasted) == 2  # persisted before drafting
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and any(q.get(i).status == "pending" for i in pasted):
        time.sleep(0.2)
    assert {q.get(i).status for i in pasted} == {"needs_review"}
    at.run()
    assert not at.exception
    assert set(pasted) <= set(table_ids(at))


def test_opening_the_app_finishes_what_a_crashed_server_left_undrafted(ui_settings):
    ReviewDesk(ui_settings).accept([CommentIn(id="left-1", text="快递太慢了，等了一周"),
                                    CommentIn(id="left-2", text="面膜敷完脸好干")], "glowskin")
    q = queue(ui_settings)
    assert {q.get("left-1").status, q.get("left-2").status} == {"pending"}
    at = app()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and {q.get("left-1").status, q.get("left-2").status} != {"needs_review"}:
        time.sleep(0.2)
    assert {q.get("left-1").status, q.get("left-2").status} == {"needs_review"}
    at.run()
    assert {"left-1", "left-2"} <= set(table_ids(at))


def test_an_uploaded_csv_is_accepted_with_its_bad_lines_reported(ui_settings):
    at = app()
    content = ("id,text,author,posted_at\n"
               "u-1,精油滴进面霜里用可以吗,小雨,2026-11-24 10:00\n"
               "u-2,,空评论,\n"
               "u-3,敷了一晚面膜脸有点刺痛,阿花,2026-11-24 11:00\n").encode()
    at.file_uploader(key="import_file").set_value(("comments.csv", content, "text/csv"))
    at.button(key="import_file_go").click().run()
    assert not at.exception
    assert "comments.csv, line 3" in " ".join(w.value for w in at.warning)
    q = queue(ui_settings)
    assert {"u-1", "u-3"} <= {it.id for it in q.items()} and "u-2" not in {it.id for it in q.items()}
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and any(q.get(i).status == "pending" for i in ("u-1", "u-3")):
        time.sleep(0.2)
    assert q.get("u-3").status == "needs_review"


# --- item view ------------------------------------------------------------------------------------
def test_comment_text_is_shown_as_plain_text_never_html_or_markdown(ui_settings):
    at = app("d-17")
    assert any("<script>alert(1)</script>" in t for t in texts(at))
    assert not at.get("html")
    assert not any("alert(1)" in m.value for m in at.markdown)

    at = app("d-18")
    assert any("[点我](http://x.example/review)" in t for t in texts(at))
    assert not any("x.example" in m.value for m in at.markdown)


def test_simplified_traditional_toggle(ui_settings):
    at = app("d-15")
    assert any("買了面膜收到時包裝破損" in t for t in texts(at))
    at.segmented_control(key="script_mode").set_value("简").run()
    assert not at.exception
    assert any("买了面膜收到时包装破损" in t for t in texts(at))
    at.segmented_control(key="script_mode").set_value("繁").run()
    assert any("買了面膜收到時包裝破損" in t for t in texts(at))
    # the copy-ready reply follows the toggle; the editable reply stays as drafted
    reply = at.text_area(key="reply:d-15").value
    at.segmented_control(key="script_mode").set_value("简").run()
    assert at.text_area(key="reply:d-15").value == reply
    assert any(c.value != reply for c in at.code)


def test_approve_with_an_edited_reply(ui_settings):
    at = app("d-07", reviewer="amy")
    edited = "亲，面膜每次敷10–15分钟就取下哦，敷一整晚反而会带走水分。有不适随时私信我们～"
    at.text_area(key="reply:d-07").set_value(edited)
    at.button(key="approve").click().run()
    assert not at.exception
    assert "approved by amy" in " ".join(s.value for s in at.success)
    item = queue(ui_settings).get("d-07")
    assert item.status == "approved" and item.final_reply == edited and item.decided_by == "amy"
    [d] = queue(ui_settings).decisions("d-07")
    assert d.action == "edit" and d.reviewer == "amy" and d.final_reply == edited and d.draft_reply != edited
    # the decided item shows its final text, with no action buttons left
    assert not [b for b in at.button if b.key == "approve"]
    assert any(c.value == edited for c in at.code)


def test_reject_needs_a_reason(ui_settings):
    at = app("d-14")
    at.button(key="reject").click().run()
    assert "Not rejected: a rejection needs a reason" in errors(at)
    assert queue(ui_settings).get("d-14").status == "needs_review"
    at.text_input(key="reject_reason:d-14").set_value("先私信了解情况，不公开回复")
    at.button(key="reject").click().run()
    assert not at.exception
    item = queue(ui_settings).get("d-14")
    assert item.status == "rejected" and item.reject_reason == "先私信了解情况，不公开回复"


def test_regenerate_with_an_instruction_and_one_click_rewrite(ui_settings):
    at = app("d-03")
    before = queue(ui_settings).get("d-03").version
    at.text_input(key="instruction:d-03").set_value("提到质量问题可以换货")
    at.button(key="regenerate").click().run()
    assert not at.exception, at.exception
    assert "regenerated" in " ".join(s.value for s in at.success)
    at.button(key="rewrite_shorter").click().run()
    assert not at.exception
    item = queue(ui_settings).get("d-03")
    assert item.status == "needs_review" and item.version > before
    assert [(d.action, d.instruction) for d in queue(ui_settings).decisions("d-03")] == [
        ("regenerate", "提到质量问题可以换货"), ("regenerate", "更短")]
    assert at.text_area(key="reply:d-03").value == item.result.reply.text  # the box shows the new draft


def test_a_decision_made_elsewhere_first_is_reported_not_overwritten(ui_settings):
    at = app("d-02", reviewer="bob")
    ReviewDesk(ui_settings).decide("d-02", ReviewDecision(action="approve", reviewer="alice"))  # e.g. the CLI
    at.text_area(key="reply:d-02").set_value("bob's version")
    at.button(key="approve").click().run()
    assert not at.exception
    assert "Already decided by alice" in errors(at)
    item = queue(ui_settings).get("d-02")
    assert item.decided_by == "alice" and item.final_reply != "bob's version"
    assert [d.reviewer for d in queue(ui_settings).decisions("d-02")] == ["alice"]


def test_approval_is_blocked_by_a_placeholder_slot(ui_settings):
    # A drafted slot (an unknown fact) if the drafter left one in the demo queue, else one the reviewer kept.
    drafted = [it for it in queue(ui_settings).items() if it.result and placeholder_slots(it.result.reply_text)]
    item_id = drafted[0].id if drafted else "d-01"
    at = app(item_id)
    reply = at.text_area(key=f"reply:{item_id}").value
    if not drafted:
        reply += "物流单号：【待确认：物流单号】"
        at.text_area(key=f"reply:{item_id}").set_value(reply).run()
    assert any("Approval is blocked" in w.value for w in at.warning)
    approve = at.button(key="approve")
    assert approve.disabled and "【待确认" in approve.help  # the disabled button says why
    assert any("Approve is off" in c.value and "【待确认" in c.value for c in at.caption)
    assert not at.exception
    assert queue(ui_settings).get(item_id).status == "needs_review"
    assert not queue(ui_settings).decisions(item_id)
    # the reviewer fills the slot: now it goes through
    for slot in placeholder_slots(reply):
        reply = reply.replace(slot, "SF1234567890")
    at.text_area(key=f"reply:{item_id}").set_value(reply).run()
    at.button(key="approve").click().run()
    assert not at.exception
    assert queue(ui_settings).get(item_id).status == "approved"


def test_duplicate_cluster_links_to_its_siblings(ui_settings):
    at = app("d-09")
    at.button(key="sib:duplicates:d-10").click().run()
    assert not at.exception
    assert at.title[0].value.startswith("d-10")


# --- audit, export, insight, knowledge --------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_export_writes_the_file_and_marks_items_exported(ui_settings, fmt):
    desk = ReviewDesk(ui_settings)
    desk.decide("d-14", ReviewDecision(action="approve", reviewer="amy"))
    desk.decide("d-20", ReviewDecision(action="edit", reviewer="amy", reply_text="谢谢喜欢💛 双十二有活动，关注店铺不错过～"))
    at = app()
    at.switch_page("page_audit.py").run()
    assert not at.exception
    at.radio(key="export_format").set_value(fmt).run()
    at.button(key="export_go").click().run()
    assert not at.exception
    files = list((ui_settings.data_dir / "exports").glob(f"approved-*.{fmt}"))
    assert len(files) == 1
    if fmt == "json":
        rows = json.loads(files[0].read_text(encoding="utf-8"))
    else:
        rows = list(csv.DictReader(files[0].read_text(encoding="utf-8-sig").splitlines()))
    by_id = {r["id"]: r for r in rows}
    assert set(by_id) == {"d-14", "d-20"}
    assert by_id["d-20"]["reply"] == "谢谢喜欢💛 双十二有活动，关注店铺不错过～"
    assert {queue(ui_settings).get(i).status for i in by_id} == {"exported"}
    assert at.download_button(key="export_download")
    assert "Exported 2" in " ".join(s.value for s in at.success)
    # the audit trail lists both decisions
    audit = next(d.value for d in at.dataframe if "reviewer" in d.value.columns and "action" in d.value.columns)
    assert set(audit["item"]) == {"d-14", "d-20"} and set(audit["reviewer"]) == {"amy"}


def test_the_export_preview_masks_personal_data_exactly_as_the_file_will(ui_settings):
    desk = ReviewDesk(ui_settings)
    desk.submit(CommentIn(id="pii-1", text="客服你本名叫林佳慧吧，态度太差了"), "glowskin")
    desk.decide("pii-1", ReviewDecision(action="edit", reviewer="amy", reply_text="抱歉让你不开心了，私信我们跟进～"))
    at = app()
    at.switch_page("page_audit.py").run()
    assert not at.exception
    preview = next(d.value for d in at.dataframe if "decided_by" in d.value.columns and "reply" in d.value.columns)
    [exported] = [r["comment"] for r in approved_rows(queue(ui_settings)) if r["id"] == "pii-1"]
    assert "林佳慧" not in exported
    assert list(preview[preview["id"] == "pii-1"]["comment"]) == [exported]


def test_insight_and_knowledge_pages(ui_settings):
    desk = ReviewDesk(ui_settings)
    desk.decide("d-14", ReviewDecision(action="approve", reviewer="amy"))
    desk.decide("d-13", ReviewDecision(action="reject", reviewer="amy", reason="广告，直接举报"))
    at = app()
    at.switch_page("page_insight.py").run()
    assert not at.exception
    assert len(at.get("vega_lite_chart")) >= 4
    assert {m.label for m in at.metric} >= {"Approval rate", "Mean edit distance"}
    at.switch_page("page_knowledge.py").run()
    assert not at.exception
    assert any("急救焕肤精华液" in e.label for e in at.expander)
    assert any("guidelines/" in e.label for e in at.expander)
    at.button(key="kb_reindex").click().run()
    assert not at.exception
    assert "ingested in" in " ".join(s.value for s in at.success)


def test_times_are_local_to_the_team_and_relative(ui_settings, monkeypatch):
    monkeypatch.setenv("REDREPLY_TEAM_TZ", "Europe/Berlin")
    monkeypatch.setenv("REDREPLY_LANGUAGE", "zh_Hans")
    item = queue(ui_settings).get("d-05")
    posted = datetime.fromisoformat(item.comment.posted_at).astimezone(ZoneInfo("Europe/Berlin"))
    at = app()
    assert any(p.endswith("天前") or p.endswith("小时前") or p.endswith("分钟前") for p in
               at.dataframe(key="queue_table").value["posted"])
    at = app("d-05")
    assert any(posted.strftime("%m-%d %H:%M") + " (" in t for t in texts(at))  # Berlin time, then how long ago


def chart_days(at: AppTest) -> set[str]:
    """The days the insight page's charts are drawn over (their data travels as Arrow tables)."""
    import pyarrow as pa

    days: set[str] = set()
    for chart in at.get("vega_lite_chart"):
        for named in chart.proto.datasets:
            frame = pa.ipc.open_stream(named.data.data).read_all().to_pandas()
            days.update(frame["day"].astype(str) if "day" in frame else [])
    return days


def test_the_insight_charts_count_a_comment_on_the_teams_day(ui_settings, monkeypatch):
    monkeypatch.setenv("REDREPLY_TEAM_TZ", "America/Los_Angeles")
    # 07:30 UTC: 23:30 on the 3rd for a team in Los Angeles, already the afternoon of the 4th in Beijing.
    ReviewDesk(ui_settings).submit(CommentIn(id="la-1", text="用了三天脸就过敏红肿，客服也不回", posted_at="2025-03-04T07:30:00Z"),
                                   "glowskin")
    at = app()
    at.switch_page("page_insight.py").run()
    assert not at.exception
    days = chart_days(at)
    assert "2025-03-03" in days and "2025-03-04" not in days


def test_a_bad_team_time_zone_is_one_line_on_the_page(ui_settings, monkeypatch):
    monkeypatch.setenv("REDREPLY_TEAM_TZ", "Mars/Olympus")
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == ["bad setting team_tz (REDREPLY_TEAM_TZ): unknown time zone "
                                           "'Mars/Olympus': use an IANA name such as Asia/Shanghai or Europe/Berlin"]


def test_a_comment_accusing_the_brand_of_infringing_says_it_goes_to_legal_review(ui_settings):
    ReviewDesk(ui_settings).submit(CommentIn(id="lr-1", text="这篇笔记的图片是我拍的，品牌方盗用我的图"), "glowskin")
    at = app("lr-1")
    assert any("internal legal review" in w.value for w in at.warning)
    at = app("d-17")  # any other comment: no such line
    assert not any("internal legal review" in w.value for w in at.warning)


def test_the_order_record_is_worded_in_the_desks_language(ui_settings, monkeypatch):
    monkeypatch.setenv("REDREPLY_LANGUAGE", "zh_Hant")
    [found] = [t for t in texts(app("d-01")) if t.startswith("找到訂單：")]
    assert "訂單編號: " in found and "下單時間: " in found
    assert not any(key in found for key in ("order_id", "ordered_at", "tracking_status"))  # the record's own keys
