
import pytest

from agent.review.store.queue import ConflictError, ReviewQueue
from agent.schemas import CommentIn, DraftResult, ReviewDecision
from tests.factories import draft_result


def result(item_id: str) -> DraftResult:
    return draft_result(item_id)


def test_accept_is_idempotent_and_brand_bound(db_url):
    q = ReviewQueue(db_url)
    c = CommentIn(id="x1", text="太慢了")
    assert q.accept([c], "glowskin") == (["x1"], [])
    assert q.accept([c], "glowskin") == ([], ["x1"])
    with pytest.raises(Exception, match="already queued for brand 'glowskin'"):
        q.accept([c], "threadline")


def test_second_decision_on_the_same_item_is_told(db_url):
    q = ReviewQueue(db_url)
    q.accept([CommentIn(id="x1", text="太慢了")], "glowskin")
    q.store_draft(result("x1"))
    version = q.get("x1").version
    q.claim("x1", ReviewDecision(action="approve", reviewer="amy"), expected_version=version)
    with pytest.raises(ConflictError, match="already deciding"):
        q.claim("x1", ReviewDecision(action="reject", reviewer="bob", reason="no"), expected_version=version)


def test_stale_version_loses(db_url):
    q = ReviewQueue(db_url)
    q.accept([CommentIn(id="x1", text="太慢了")], "glowskin")
    q.store_draft(result("x1"))
    old = q.get("x1").version
    q.store_draft(result("x1"))  # a regenerated draft arrived meanwhile
    with pytest.raises(ConflictError, match="changed since you opened it"):
        q.claim("x1", ReviewDecision(action="approve", reviewer="amy"), expected_version=old)


def test_wal_mode_on_sqlite(tmp_path):
    q = ReviewQueue(tmp_path / "q.sqlite")
    assert q.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
