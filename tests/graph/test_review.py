"""Interrupt and resume: decisions in-process, across processes, after a crash, and between two reviewers."""

import json
import os
import subprocess
import sys

import pytest

from agent.errors import UserError
from agent.placeholders import PLACEHOLDER_RE
from agent.review.store.queue import ConflictError
from agent.schemas import CommentIn, ReviewDecision

DELIVERY = CommentIn(id="r1", text="等了十天还没收到货，物流一直不更新", author="小鹿爱护肤")
NO_ORDER = CommentIn(id="r2", text="下单半个月了还没发货？？")


@pytest.fixture
def settings(settings, desk_database_url):
    """The queue and the checkpoints on the data directory's SQLite files, then both in PostgreSQL."""
    return settings.with_overrides(database_url=desk_database_url)


def cli(settings, *args, env_extra=None):
    env = {**os.environ, "REDREPLY_DATA_DIR": str(settings.data_dir), **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "agent.cli", *args], capture_output=True, text=True, env=env,
                          timeout=120)


def test_approve_with_edit_records_the_audit_trail(desk_factory):
    desk = desk_factory()
    draft = desk.submit(DELIVERY, "glowskin")
    edited = draft.reply.text.replace("亲", "宝子", 1) if not PLACEHOLDER_RE.search(draft.reply.text) else "宝子抱歉～"
    result = desk.decide("r1", ReviewDecision(action="edit", reviewer="amy", reply_text=edited))
    assert result.status == "approved" and result.reply.text == edited
    item = desk.queue.get("r1")
    assert item.status == "approved" and item.final_reply == edited and item.decided_by == "amy"
    [d] = desk.queue.decisions("r1")
    assert (d.action, d.reviewer, d.draft_reply, d.final_reply) == ("edit", "amy", draft.reply.text, edited)


def test_approval_is_blocked_until_placeholders_are_filled(desk_factory):
    desk = desk_factory()
    draft = desk.submit(NO_ORDER, "glowskin")
    if not PLACEHOLDER_RE.search(draft.reply.text):
        pytest.skip("this template needs no unknown fact")
    with pytest.raises(UserError, match="approval blocked"):
        desk.decide("r2", ReviewDecision(action="approve", reviewer="amy"))
    assert desk.queue.get("r2").status == "needs_review"
    filled = PLACEHOLDER_RE.sub("已发货", draft.reply.text)
    assert desk.decide("r2", ReviewDecision(action="edit", reviewer="amy", reply_text=filled)).status == "approved"


def test_regenerate_then_a_second_interrupt_works_like_the_first(desk_factory):
    desk = desk_factory()
    first = desk.submit(DELIVERY, "glowskin")
    again = desk.decide("r1", ReviewDecision(action="regenerate", reviewer="amy", instruction="更短"))
    assert again.status == "needs_review" and len(again.reply.text) <= len(first.reply.text)
    assert desk.queue.get("r1").status == "needs_review"
    done = desk.decide("r1", ReviewDecision(action="reject", reviewer="amy", reason="语气不对"))
    assert done.status == "rejected" and desk.queue.get("r1").reject_reason == "语气不对"
    assert [d.action for d in desk.queue.decisions("r1")] == ["regenerate", "reject"]


def test_reject_needs_a_reason(desk_factory):
    desk = desk_factory()
    desk.submit(DELIVERY, "glowskin")
    with pytest.raises(UserError, match="reason"):
        desk.decide("r1", ReviewDecision(action="reject", reviewer="amy"))


def test_two_reviewers_one_wins_and_the_other_is_told(desk_factory, settings, shared_store):
    from agent.review.service import ReviewDesk

    desk_a = desk_factory()
    desk_a.submit(DELIVERY, "glowskin")
    desk_b = ReviewDesk(settings, store=shared_store)  # a second app session or the CLI
    seen_by_b = desk_b.queue.get("r1").version
    desk_a.decide("r1", ReviewDecision(action="reject", reviewer="amy", reason="重写"))
    with pytest.raises(ConflictError, match="already rejected by amy"):
        desk_b.decide("r1", ReviewDecision(action="approve", reviewer="bob"), expected_version=seen_by_b)
    assert desk_a.queue.get("r1").status == "rejected"


def test_a_claimed_decision_survives_a_crash_before_it_was_applied(desk_factory):
    desk = desk_factory()
    desk.submit(DELIVERY, "glowskin")
    desk.queue.claim("r1", ReviewDecision(action="reject", reviewer="amy", reason="x"), None)  # then the process dies
    restarted = desk_factory()
    assert restarted.recover() == 1
    assert restarted.queue.get("r1").status == "rejected"


def test_review_started_in_one_process_is_finished_in_another(settings):
    out = cli(settings, "draft", "等了十天还没收到货，物流一直不更新", "--id", "p1", "--author", "小鹿爱护肤", "--json",
              "--queue")  # into the team's queue, to be finished by another process
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["status"] == "needs_review"
    listed = cli(settings, "review", "list")
    assert "p1" in listed.stdout and "needs_review" in listed.stdout
    done = cli(settings, "review", "reject", "p1", "--reason", "换个说法", "--reviewer", "amy")
    assert done.returncode == 0, done.stderr
    assert "rejected by amy" in done.stdout
    again = cli(settings, "review", "approve", "p1")
    assert again.returncode == 3 and "already rejected by amy" in again.stderr
