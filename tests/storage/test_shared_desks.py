"""A stateless desk: desks on two machines (two data directories) sharing one PostgreSQL database see each
other's drafts, decisions and accounts, and two reviewers deciding one item at once, on two desks, are told
apart: one wins, the other is told."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import pytest

from agent.config import PROJECT_ROOT, Settings
from agent.review.service import ReviewDesk
from agent.review.store.queue import ConflictError
from agent.review.team.accounts import Accounts, SignInError
from agent.schemas import CommentIn, ReviewDecision

MILD = CommentIn(id="m1", text="等了十天还没收到货，物流一直不更新")
OTHER = CommentIn(id="m2", text="下单半个月了还没发货？？")


@pytest.fixture
def two_desks(tmp_path, pg_url, ingested_store):
    desks = [ReviewDesk(Settings(data_dir=tmp_path / name, database_url=pg_url), store=ingested_store)
             for name in ("a", "b")]
    yield desks
    for d in desks:
        d.alerts.wait(10)
        d.close()


def test_a_decision_on_one_desk_is_seen_by_the_other(two_desks, tmp_path, pg_url):
    a, b = two_desks
    a.accept([MILD], "glowskin")
    a.draft_item("m1")
    seen = b.queue.get("m1")  # drafted on desk a, opened on desk b
    assert seen.status == "needs_review" and seen.result is not None
    b.decide("m1", ReviewDecision(action="approve", reviewer="bob"), expected_version=seen.version)
    item = a.queue.get("m1")
    assert (item.status, item.decided_by) == ("approved", "bob")
    assert [d.reviewer for d in a.queue.decisions("m1")] == ["bob"]
    with pytest.raises(ConflictError, match="already approved by bob"):
        a.decide("m1", ReviewDecision(action="reject", reviewer="amy", reason="no"), expected_version=seen.version)

    # A third process, the command line of another machine, decides on what desk a drafted.
    a.accept([OTHER], "glowskin")
    a.draft_item("m2")
    env = {**os.environ, "REDREPLY_DATA_DIR": str(tmp_path / "c"), "REDREPLY_DATABASE_URL": pg_url}
    run = subprocess.run([sys.executable, "-m", "agent.cli", "review", "reject", "m2", "--reason", "duplicate"],
                         cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert (a.queue.get("m2").status, b.queue.get("m2").reject_reason) == ("rejected", "duplicate")


def test_two_reviewers_on_two_desks_deciding_at_once_one_wins(two_desks):
    a, b = two_desks
    a.accept([MILD], "glowskin")
    a.draft_item("m1")
    version = a.queue.get("m1").version
    outcomes: dict[str, str] = {}
    start = threading.Barrier(2)

    def decide(desk: ReviewDesk, who: str) -> None:
        start.wait()
        try:
            desk.decide("m1", ReviewDecision(action="approve", reviewer=who), expected_version=version)
            outcomes[who] = "won"
        except ConflictError:
            outcomes[who] = "told"

    threads = [threading.Thread(target=decide, args=(d, w)) for d, w in ((a, "amy"), (b, "bob"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(outcomes.values()) == ["told", "won"]
    winner = next(w for w, o in outcomes.items() if o == "won")
    assert b.queue.get("m1").decided_by == winner and len(a.queue.decisions("m1")) == 1


def test_an_account_added_on_one_desk_signs_in_on_the_other(pg_url):
    first, second = Accounts(pg_url), Accounts(pg_url)  # as two desks open them
    first.add("amy", "approver", "correct horse")
    token = second.start_session(second.authenticate("amy", "correct horse").name)
    first.disable("amy")
    with pytest.raises(SignInError, match="disabled|ended"):
        second.session_account(token)
