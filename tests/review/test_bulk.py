"""Bulk work, assignment, presence and suggestions taken by an approver, at the service layer the desk calls."""

from __future__ import annotations

import shutil

import pytest

from agent.config import Settings
from agent.errors import UserError
from agent.review.bulk import run_bulk, undo_bulk
from agent.review.service import ReviewDesk
from agent.review.store.marks import bring_back
from agent.review.suggestion_use import approve_suggestion
from agent.review.team.accounts import Account, Accounts
from agent.review.team.assignment import assign, assignable, leave_item, open_by, touch
from agent.review.team.permissions import approve_blocker
from agent.review.team.roles import PermissionDenied
from agent.review.team.suggestions import suggest
from agent.schemas import CommentIn, ReviewDecision

SPAM = [CommentIn(id=f"s{i}", text=f"加我vx领取优惠券{i}号，私我有惊喜") for i in range(4)]
MILD = CommentIn(id="m1", text="面膜敷完脸好干，有点失望")
PENDING = CommentIn(id="p1", text="这个精华油可以直接涂脸吗")
SUE, AMY, ABE = (Account(name="sue", role="suggester"), Account(name="amy", role="approver"),
                 Account(name="abe", role="approver"))


@pytest.fixture(scope="module")
def template(tmp_path_factory, ingested_store):
    root = tmp_path_factory.mktemp("bulk")
    shutil.copytree(ingested_store.settings.chroma_path, root / "chroma")
    settings = Settings(data_dir=root)
    desk = ReviewDesk(settings, store=ingested_store)
    desk.accept([*SPAM, MILD, PENDING], "glowskin")
    for c in [*SPAM, MILD]:
        desk.draft_item(c.id)
    accounts = Accounts(settings.queue_path)
    for a in (SUE, AMY, ABE):
        accounts.add(a.name, a.role, "password-123")
    accounts.add("gone", "approver", "password-123")
    accounts.disable("gone")
    desk.close()
    return root


@pytest.fixture
def desk(template, tmp_path, ingested_store):
    shutil.copytree(template, tmp_path / "d")
    d = ReviewDesk(Settings(data_dir=tmp_path / "d"), store=ingested_store)
    yield d
    d.close()


def ids(items):
    return [c.id for c in items]


def test_leave_many_then_undo_brings_each_back(desk):
    record = run_bulk(desk, ids(SPAM), "leave", AMY)
    assert record.done == ids(SPAM) and record.skipped == {}
    assert {desk.queue.get(i).status for i in ids(SPAM)} == {"left"}
    steps = [d for d in desk.queue.decisions() if d.bulk_id == record.id]
    assert [d.item_id for d in steps] == ids(SPAM) and {d.reviewer for d in steps} == {"amy"}  # one audit row each
    undone = undo_bulk(desk, record.id, AMY)
    assert undone.done == ids(SPAM)
    assert {desk.queue.get(i).status for i in ids(SPAM)} == {"needs_review"}
    with pytest.raises(UserError, match="undone"):
        undo_bulk(desk, record.id, AMY)


def test_one_left_item_is_brought_back_alone(desk):
    run_bulk(desk, ids(SPAM), "leave", AMY)
    bring_back(desk.queue, "s2", "amy")
    assert desk.queue.get("s2").status == "needs_review"
    assert desk.queue.get("s1").status == "left"


def test_items_decided_meanwhile_are_reported_and_the_rest_done(desk):
    seen = {i: desk.queue.get(i).version for i in ids(SPAM)}
    desk.decide("s1", ReviewDecision(action="reject", reason="广告"), actor=ABE)  # abe, while amy selects
    record = run_bulk(desk, ids(SPAM), "leave", AMY, versions=seen)
    assert record.done == ["s0", "s2", "s3"]
    assert list(record.skipped) == ["s1"] and "abe" in record.skipped["s1"]
    assert desk.queue.get("s1").status == "rejected"


def test_each_item_is_permission_checked(desk):
    record = run_bulk(desk, ids(SPAM), "reject", SUE, reason="广告")
    assert record.done == [] and set(record.skipped) == set(ids(SPAM))
    assert "suggester" in record.skipped["s0"]
    brand_bound = Account(name="tom", role="approver", brands=("threadline",))
    assert "no access to brand glowskin" in run_bulk(desk, ["s0"], "leave", brand_bound).skipped["s0"]


def test_bulk_approve_needs_every_check_passed_and_an_approver(desk):
    with pytest.raises(UserError, match="reason"):
        run_bulk(desk, ["m1"], "reject", AMY)
    record = run_bulk(desk, ["m1", "p1"], "approve", AMY)
    failing = [c.name for c in desk.queue.get("m1").result.checks if not c.passed]
    assert record.done == ([] if failing else ["m1"])
    assert "p1" in record.skipped  # pending: nothing to approve
    undone = undo_bulk(desk, record.id, AMY)
    assert undone.done == record.done
    assert desk.queue.get("m1").status == "needs_review"


def test_bulk_draft_drafts_what_is_pending(desk):
    record = run_bulk(desk, ["p1", "m1"], "draft", SUE)
    assert record.done == ["p1"] and "m1" in record.skipped
    assert desk.queue.get("p1").status == "needs_review"
    with pytest.raises(UserError, match="nothing to undo"):
        undo_bulk(desk, record.id, SUE)


def test_an_undo_leaves_alone_what_someone_changed_since(desk):
    record = run_bulk(desk, ["s0", "s1"], "leave", AMY)
    bring_back(desk.queue, "s1", "abe")
    desk.decide("s1", ReviewDecision(action="reject", reason="广告"), actor=ABE)
    undone = undo_bulk(desk, record.id, AMY)
    assert undone.done == ["s0"] and "abe" in undone.skipped["s1"]
    assert desk.queue.get("s1").status == "rejected"


def test_assignment_rules(desk):
    accounts = Accounts(desk.settings.queue_path)
    assign(desk.queue, accounts, "m1", "sue", AMY)
    assert desk.queue.get("m1").assignee == "sue"
    assign(desk.queue, accounts, "s0", "sue", SUE)  # a suggester takes an item
    with pytest.raises(PermissionDenied, match="suggester"):
        assign(desk.queue, accounts, "s1", "abe", SUE)  # but does not hand one out
    with pytest.raises(UserError, match="disabled") as e:
        assign(desk.queue, accounts, "s1", "gone", AMY)
    assert "\n" not in str(e.value)
    with pytest.raises(UserError, match="no account"):
        assign(desk.queue, accounts, "s1", "nobody", AMY)
    viewer = accounts.add("vic", "viewer", "password-123")
    with pytest.raises(UserError, match="viewer"):
        assign(desk.queue, accounts, "s1", viewer.name, AMY)


def test_a_suggester_takes_only_a_free_item_and_drops_only_their_own(desk):
    accounts = Accounts(desk.settings.queue_path)
    assign(desk.queue, accounts, "m1", "abe", AMY)
    with pytest.raises(PermissionDenied, match="assigned to abe") as e:
        assign(desk.queue, accounts, "m1", "sue", SUE)  # not taken from under the approver's choice
    assert "\n" not in str(e.value)
    with pytest.raises(PermissionDenied, match="assigned to abe"):
        assign(desk.queue, accounts, "m1", None, SUE)  # nor dropped for abe
    assert desk.queue.get("m1").assignee == "abe"
    assign(desk.queue, accounts, "m1", "sue", AMY)  # an approver reassigns
    assign(desk.queue, accounts, "m1", None, SUE)  # and sue drops her own
    assert desk.queue.get("m1").assignee is None


def test_the_desk_offers_only_the_accounts_an_item_can_go_to(desk):
    accounts = Accounts(desk.settings.queue_path)
    accounts.add("vic", "viewer", "password-123")
    accounts.add("tia", "approver", "password-123", brands=("threadline",))
    assert assignable(accounts, "glowskin") == ["abe", "amy", "sue"]  # not gone (disabled), vic, nor tia
    assert assignable(accounts, "threadline") == ["abe", "amy", "sue", "tia"]


def test_bulk_assign_to_a_disabled_account_is_refused_in_one_line(desk):
    with pytest.raises(UserError, match="disabled"):
        run_bulk(desk, ids(SPAM), "assign", AMY, assignee="gone")
    record = run_bulk(desk, ids(SPAM), "assign", AMY, assignee="abe")
    assert {desk.queue.get(i).assignee for i in ids(SPAM)} == {"abe"}
    undo_bulk(desk, record.id, AMY)
    assert {desk.queue.get(i).assignee for i in ids(SPAM)} == {None}


def test_presence_shows_who_has_an_item_open(desk):
    touch(desk.queue, "m1", "sue", at=1000.0)
    touch(desk.queue, "m1", "amy", at=1050.0)
    touch(desk.queue, "s0", "abe", at=800.0)
    assert open_by(desk.queue, now=1060.0) == {"m1": ["amy", "sue"]}  # abe's was long ago
    leave_item(desk.queue, "m1", "sue")  # sue opened another item
    assert open_by(desk.queue, now=1060.0) == {"m1": ["amy"]}


def test_use_and_approve_records_both_texts_and_the_suggestion(desk):
    draft = desk.queue.get("m1").result.reply.text
    s = suggest(desk.queue, "m1", "抱歉让你失望了，面膜后记得叠加保湿霜哦～", None, SUE)
    assert approve_blocker(desk.queue, desk.settings, desk.queue.get("m1"), SUE, s.reply_text).startswith("sue is a")
    assert approve_blocker(desk.queue, desk.settings, desk.queue.get("m1"), AMY, "  ") == "the reply is empty"
    assert approve_blocker(desk.queue, desk.settings, desk.queue.get("m1"), AMY, s.reply_text) is None
    approve_suggestion(desk, "m1", s.seq, AMY)
    row = desk.queue.decisions("m1")[-1]
    assert (row.draft_reply, row.final_reply, row.suggestion_seq, row.reviewer) == (draft, s.reply_text, s.seq, "amy")
    assert desk.queue.get("m1").final_reply == s.reply_text
