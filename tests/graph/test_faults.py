"""Model faults, concurrent reviewers and secrets: nothing lost, nobody fooled, no key leaked."""

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

from agent.drafting.llm import TransientModelError
from agent.review.store.queue import ConflictError, ReviewQueue
from agent.schemas import CommentIn, ReviewDecision
from tests.fake_openai import FakeOpenAI
from tests.fakes import FakeModel
from tests.fakes_faults import FaultyModel
from tests.servers import free_port

TEXTS = ["物流太慢了，等了一个星期", "面膜敷完脸好干", "客服态度好差", "颜色和图片差好多", "收到的精华漏液了"]


def comments(n):
    return [CommentIn(id=f"f{i:03d}", text=f"{TEXTS[i % len(TEXTS)]} #{i}") for i in range(n)]


def test_a_provider_down_for_the_whole_batch_still_drafts_every_item_visibly(desk_factory):
    fake = FakeModel(default=TransientModelError("ServiceUnavailableError (status 503)"))
    desk = desk_factory(client=fake)
    items = comments(12)
    desk.accept(items, "glowskin")
    outcomes = {}
    desk.draft_all([c.id for c in items], concurrency=4, on_done=lambda i, r, e: outcomes.__setitem__(i, (r, e)))
    assert len(outcomes) == 12
    for _item_id, (result, error) in outcomes.items():
        assert error is None and result.fallback and result.model == "offline"
        assert "503" in result.fallback or "provider failing" in result.fallback
    assert desk.queue.counts() == {"needs_review": 12}
    # After 5 failed calls in a row the breaker skips the provider: bounded, and fast.
    assert len(fake.calls) <= 5 * 2 + 4


def test_every_kind_of_fault_ends_drafted_or_failed_never_lost(desk_factory):
    model = FaultyModel(seed=3, down_from=40, down_to=70)
    desk = desk_factory(client=model)
    items = comments(60)
    desk.accept(items, "glowskin")
    done, failed = set(), set()
    desk.draft_all([c.id for c in items], concurrency=4,
                   on_done=lambda i, r, e: (done if r else failed).add(i))
    assert done | failed == {c.id for c in items} and not (done & failed)
    counts = desk.queue.counts()
    assert counts.get("needs_review", 0) == len(done) and counts.get("failed", 0) == len(failed)
    for item_id in failed:
        assert desk.queue.get(item_id).error  # failed with its reason


def test_refusals_and_empty_answers_fall_back(desk_factory):
    fake = FakeModel(default="抱歉，我无法协助处理这个请求。")
    r = desk_factory(client=fake).submit(CommentIn(id="x", text="物流太慢"), "glowskin")
    assert r.fallback and "after 2 attempts" in r.fallback and r.reply.text


def test_two_reviewers_deciding_at_the_same_moment_one_wins(desk_factory, settings, shared_store):
    from agent.review.service import ReviewDesk

    desk = desk_factory()
    desk.submit(CommentIn(id="c1", text="物流太慢了，等了一个星期", author="小鹿爱护肤"), "glowskin")
    version = desk.queue.get("c1").version
    desks = [desk, ReviewDesk(settings, store=shared_store)]  # the app and the CLI
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def decide(d, who):
        barrier.wait()
        try:
            d.decide("c1", ReviewDecision(action="reject", reviewer=who, reason="换说法"), expected_version=version)
            outcomes.append("won")
        except ConflictError as e:
            outcomes.append(f"told: {e}")

    threads = [threading.Thread(target=decide, args=(d, w)) for d, w in zip(desks, ["amy", "bob"], strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(o.split(":")[0] for o in outcomes) == ["told", "won"]
    assert len(desk.queue.decisions("c1")) == 1


def _env(settings, secret: str, base: str) -> dict[str, str]:
    return {**os.environ, "REDREPLY_DATA_DIR": str(settings.data_dir), "REDREPLY_MODEL": "openai/local",
            "REDREPLY_API_KEY": secret, "OPENAI_API_KEY": secret, "REDREPLY_API_BASE": base,
            "REDREPLY_MODEL_RETRIES": "0", "REDREPLY_MODEL_TIMEOUT_S": "3"}


def _batch(env: dict[str, str], tmp_path) -> tuple[subprocess.CompletedProcess[str], Path]:
    inp = tmp_path / "in.jsonl"
    inp.write_text("\n".join(json.dumps({"id": f"k{i}", "text": t}, ensure_ascii=False)
                             for i, t in enumerate(TEXTS)), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    run = subprocess.run([sys.executable, "-m", "agent.cli", "batch", str(inp), "--out", str(out)],
                         capture_output=True, text=True, env=env, timeout=300)
    return run, out


def test_api_keys_never_reach_output_errors_or_stored_files(settings, tmp_path):
    secret = "sk-test-THIS-MUST-NOT-LEAK-1234567890"
    with FakeOpenAI(default=(500, {}, {"error": {"message": "boom"}}), key=secret) as server:
        env = _env(settings, secret, server.base)
        run, out = _batch(env, tmp_path)
        export = tmp_path / "export.json"
        subprocess.run([sys.executable, "-m", "agent.cli", "review", "approve", "k0"], env=env, capture_output=True)
        subprocess.run([sys.executable, "-m", "agent.cli", "review", "export", "--out", str(export)], env=env,
                       capture_output=True)
    drafts = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert drafts and all(d["fallback"] for d in drafts)  # the model kept failing: drafted offline, visibly
    assert secret not in run.stdout + run.stderr
    for path in [*settings.data_dir.rglob("*"), out, export]:
        if path.is_file():
            assert secret.encode() not in path.read_bytes(), path


def test_a_dead_model_server_stops_the_batch_with_one_line_and_loses_nothing(settings, tmp_path):
    secret = "sk-test-THIS-MUST-NOT-LEAK-1234567890"
    run, _ = _batch(_env(settings, secret, f"http://127.0.0.1:{free_port()}/v1"), tmp_path)
    assert run.returncode == 2 and "cannot reach the model server" in run.stderr
    assert "Traceback" not in run.stderr and secret not in run.stdout + run.stderr
    queue = ReviewQueue(settings.queue_path)
    assert queue.counts() == {"pending": len(TEXTS)}  # accepted before the check: a re-run drafts them


def test_review_list_and_exports_mask_personal_data(desk_factory, tmp_path, capsys):
    from agent.cli import main
    from agent.review.store.exporting import export_approved

    desk = desk_factory()
    r = desk.submit(CommentIn(id="p1", text="快递员电话13800138000，包裹被他弄丢了"), "glowskin")
    os.environ["REDREPLY_DATA_DIR"] = str(desk.settings.data_dir)
    try:
        assert main(["review", "list"]) == 0
    finally:
        del os.environ["REDREPLY_DATA_DIR"]
    assert "13800138000" not in capsys.readouterr().out
    text = r.reply.text.replace("【", "").replace("】", "")
    desk.decide("p1", ReviewDecision(action="edit", reviewer="amy", reply_text=text or "抱歉～"))
    out = tmp_path / "approved.json"
    export_approved(desk.queue, out)
    assert "13800138000" not in out.read_text(encoding="utf-8")
