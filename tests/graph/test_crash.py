"""Kill the batch and the decision process at random points, repeatedly: on restart nothing accepted is
lost, nothing is drafted twice into the output, and no review decision is lost."""

import json
import os
import random
import signal
import subprocess
import sys
import time

from agent.review.service import ReviewDesk
from agent.schemas import CommentIn
from tests.graph.batch_runs import out_ids, run_batch, write_input

DECIDER = """
import sys
from agent.config import Settings
from agent.schemas import ReviewDecision
from agent.review.service import ReviewDesk
desk = ReviewDesk(Settings())
desk.recover()
for item in desk.queue.items(status="needs_review"):
    action = "reject" if int(item.id[1:]) % 2 else "approve"
    desk.decide(item.id, ReviewDecision(action=action, reviewer="bot", reason="r" if action == "reject" else None))
    print(item.id, flush=True)
"""


def test_batch_killed_repeatedly_at_random_points(settings, tmp_path):
    rng = random.Random(11)
    inp, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    n = 40
    write_input(inp, n)
    for _ in range(3):
        proc = run_batch(settings, inp, out, "--concurrency", "2", wait=False)
        time.sleep(rng.uniform(2.0, 5.0))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert run_batch(settings, inp, out).returncode == 0
    ids = out_ids(out)
    assert len(ids) == n and sorted(set(ids)) == sorted(ids) == [f"b{i:03d}" for i in range(n)]


def test_decisions_killed_repeatedly_are_never_lost(settings, shared_store):
    desk = ReviewDesk(settings, store=shared_store)
    items = [CommentIn(id=f"d{i:02d}", text=f"物流太慢了，等了一个星期 #{i}", author="小鹿爱护肤") for i in range(24)]
    desk.accept(items, "glowskin")
    desk.draft_all([c.id for c in items], concurrency=2)
    env = {**os.environ, "REDREPLY_DATA_DIR": str(settings.data_dir)}
    rng = random.Random(5)
    confirmed: set[str] = set()
    for _ in range(4):
        proc = subprocess.Popen([sys.executable, "-c", DECIDER], env=env, stdout=subprocess.PIPE, text=True)
        time.sleep(rng.uniform(2.5, 5.0))
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate()
        confirmed |= set(out.split())
    final = subprocess.run([sys.executable, "-c", DECIDER], env=env, capture_output=True, text=True, timeout=300)
    assert final.returncode == 0, final.stderr
    restarted = ReviewDesk(settings, store=shared_store)
    statuses = {i.id: i.status for i in restarted.queue.items()}
    assert set(statuses.values()) <= {"approved", "rejected"}  # nothing stuck half-decided
    for item_id in confirmed:  # every decision a process confirmed is there
        assert statuses[item_id] == ("rejected" if int(item_id[1:]) % 2 else "approved")
    decisions = restarted.queue.decisions()
    assert all(d.applied for d in decisions)
    assert len({d.item_id for d in decisions}) == len(decisions) == 24  # one decision per item, none twice
    json.dumps(statuses)
