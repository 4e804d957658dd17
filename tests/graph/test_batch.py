"""`redreply batch` as a user runs it: resumable, per-line errors, a kill mid-run loses nothing."""

import signal
import time

import pytest

from tests.graph.batch_runs import out_ids, run_batch, write_input


def test_bad_lines_are_reported_by_number_and_the_rest_is_drafted(settings, tmp_path):
    inp = tmp_path / "in.jsonl"
    inp.write_text('{"id": "ok1", "text": "物流太慢"}\n{broken\n{"id": "x"}\n{"id": "ok2", "text": "面膜好干"}\n',
                   encoding="utf-8")
    out = tmp_path / "out.jsonl"
    res = run_batch(settings, inp, out)
    assert res.returncode == 1  # something needs attention
    assert "in.jsonl:2: skipped: invalid JSON" in res.stderr and "in.jsonl:3: skipped: missing field 'text'" in res.stderr
    assert sorted(out_ids(out)) == ["ok1", "ok2"]
    assert "Traceback" not in res.stderr


def test_rerun_skips_what_is_done(settings, tmp_path):
    inp, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_input(inp, 6)
    assert run_batch(settings, inp, out).returncode == 0
    again = run_batch(settings, inp, out)
    assert again.returncode == 0 and "resuming: 6 already" in again.stderr
    assert sorted(out_ids(out)) == [f"b{i:03d}" for i in range(6)]


def test_ids_already_in_the_review_queue_keep_their_drafts_and_the_user_is_told(settings, tmp_path):
    inp = tmp_path / "in.jsonl"
    write_input(inp, 3)
    assert run_batch(settings, inp, tmp_path / "first.jsonl").returncode == 0
    second = tmp_path / "second.jsonl"
    res = run_batch(settings, inp, second)
    assert res.returncode == 0
    assert "3 id(s) already in the review queue keep their drafts" in res.stderr
    assert sorted(out_ids(second)) == ["b000", "b001", "b002"]


def test_kill_mid_run_then_resume_loses_nothing_and_drafts_nothing_twice(settings, tmp_path):
    inp, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    n = 60
    write_input(inp, n)
    proc = run_batch(settings, inp, out, "--concurrency", "2", wait=False)
    deadline = time.time() + 120
    while time.time() < deadline and (not out.exists() or len(out.read_text().splitlines()) < 5):
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    partial = len(out_ids(out)) if out.exists() else 0
    assert 0 < partial < n
    res = run_batch(settings, inp, out)
    assert res.returncode == 0, res.stderr
    ids = out_ids(out)
    assert sorted(ids) == [f"b{i:03d}" for i in range(n)]  # every comment, exactly once


def test_a_crawler_export_writes_a_line_for_every_comment_with_its_context_and_action(settings, tmp_path):
    import json
    from pathlib import Path

    fixtures = Path(__file__).resolve().parents[1] / "fixtures" / "sources"
    out = tmp_path / "out.jsonl"
    res = run_batch(settings, fixtures / "search_comments_2026-03-04.jsonl", out)
    assert res.returncode == 0, res.stderr
    assert "format: mediacrawler_comments" in res.stderr and "1 brand replies kept in threads" in res.stderr
    lines = {r["id"][-4:]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert len(lines) == 11 and all(r["plan"]["action_reason"] for r in lines.values())
    # The brand's own reply is left and drafted nothing; the creator's reply under her own note is hers, not
    # the brand's, so it is read like any comment.
    assert (lines["4a02"]["plan"]["action"], lines["4a02"]["reply"]) == ("leave", None)
    assert lines["4b10"]["plan"]["action_reason"] != "written by the brand's own account"
    ctx = lines["4a03"]["context"]
    assert ctx["note"]["id"] == "6650a1b2000000001e03c4d1" and ctx["root_id"].endswith("4a01")
    assert [(m["id"][-4:], m["brand"]) for m in ctx["thread"]] == [("4a01", False), ("4a02", True)]



PREFETCH_TEXTS = ["等了十天还没收到货，物流一直不更新", "玫瑰精油直接涂脸上，刺痛发红", "颜色和图片差好多，失望",
                  "客服态度好差，问了半天不回", "精华好黏不吸收，搓泥", "收到的精华漏液了，盒子都湿了"]


def _prefetch_comments(tag: str):
    from agent.schemas import CommentIn

    return [CommentIn(id=f"{tag}{i}", text=f"{t}（{tag}{i}）", author=f"u{i}") for i, t in enumerate(PREFETCH_TEXTS)]


def test_a_batch_embedding_its_comments_ahead_drafts_what_one_by_one_drafting_would(desk_factory, drafter):
    comments = _prefetch_comments("pf")
    desk = desk_factory()
    desk.accept(comments, "glowskin")
    desk.draft_all([c.id for c in comments], concurrency=2)
    batch = {c.id: desk.queue.get(c.id).result for c in comments}
    desk.close()
    for c in comments:
        alone = drafter.draft(c, "glowskin")
        assert batch[c.id] is not None
        assert batch[c.id].reply.text == alone.reply.text
        assert [s.id for s in batch[c.id].sources] == [s.id for s in alone.sources]


class _PrefetchFails:
    """A store whose look-ahead embedding breaks (an engine error): searches still work."""

    def __init__(self, store):
        self._store = store

    def search(self, *args, **kwargs):
        return self._store.search(*args, **kwargs)

    def prefetch(self, queries):
        raise RuntimeError("engine failed")

    def query_vector(self, query):
        return self._store.query_vector(query)


@pytest.mark.filterwarnings("error::pytest.PytestUnhandledThreadExceptionWarning")
def test_a_failing_look_ahead_never_fails_the_batch_nor_prints_a_traceback(settings, shared_store, capfd):
    from agent.review.service import ReviewDesk

    comments = _prefetch_comments("px")
    desk = ReviewDesk(settings, store=_PrefetchFails(shared_store))
    desk.accept(comments, "glowskin")
    errors: list[str] = []
    desk.draft_all([c.id for c in comments], on_done=lambda i, r, e: errors.append(e) if e else None)
    assert errors == []
    assert all(desk.queue.get(c.id).result is not None for c in comments)
    desk.close()
    assert "Traceback" not in capfd.readouterr().err
