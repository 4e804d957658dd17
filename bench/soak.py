"""Soak: draft 2,000 comments through a model that fails in every way we know, and count what was lost.

    .venv/bin/python bench/soak.py [--n 2000] [--concurrency 8]

Faults injected (seeded): timeouts, 429 with Retry-After, 500s, malformed and truncated JSON, refusals,
empty answers, and a stretch where the provider is down. Prints items done, failed and lost (lost must
be 0), how many were drafted by the offline fallback, and peak memory (target ≤ 1 GiB).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agent.cli.io import JsonlWriter, done_ids  # noqa: E402
from agent.config import Settings, configure_offline_libraries  # noqa: E402
from agent.drafting.llm import TransientModelError  # noqa: E402
from agent.review.service import ReviewDesk, open_store  # noqa: E402
from agent.schemas import CommentIn  # noqa: E402
from bench.drafting import SAMPLES  # noqa: E402


class FaultyModel:
    """Behind the seam like any client; fails by a seeded plan, and is down for a stretch of calls."""

    name = "fake/faulty"

    def __init__(self, seed: int = 7, down_from: int = 1500, down_to: int = 2300) -> None:
        self.rng = random.Random(seed)
        self.calls = 0
        self.down = (down_from, down_to)
        self.lock = threading.Lock()

    def complete(self, messages, *, json_schema=None):  # type: ignore[no-untyped-def]
        with self.lock:
            self.calls += 1
            n, roll = self.calls, self.rng.random()
        if self.down[0] <= n < self.down[1]:
            raise TransientModelError("ServiceUnavailableError (status 503)")
        triage = "分诊" in messages[0]["content"]
        good = ({"source": "genuine_experience", "severity": 2, "violations": [], "confidence": 0.7, "rationale": "x"}
                if triage else {"text": "亲，真的很抱歉～麻烦私信我们订单号，我们马上帮你跟进哦"})
        if roll < 0.08:
            raise TransientModelError("Timeout (status 408)")
        if roll < 0.14:
            raise TransientModelError("RateLimitError (status 429)", retry_after=0.01)
        if roll < 0.18:
            raise TransientModelError("InternalServerError (status 500)")
        if roll < 0.24:
            return '{"text": "亲，抱歉'  # truncated
        if roll < 0.28:
            return "not json at all"
        if roll < 0.31:
            return "抱歉，我无法协助处理这个请求。"  # a refusal
        if roll < 0.34:
            return ""
        return json.dumps(good, ensure_ascii=False)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--concurrency", type=int, default=8)
    args = ap.parse_args()
    configure_offline_libraries()
    with tempfile.TemporaryDirectory() as d:
        settings = Settings(data_dir=Path(d), retry_backoff_s=0.01, model_retries=2)
        store = open_store(settings)
        model = FaultyModel()
        desk = ReviewDesk(settings, client=model, store=store)
        items = [CommentIn(id=f"s{i:05d}", text=f"{SAMPLES[i % len(SAMPLES)]} #{i}", author=f"u{i % 400}")
                 for i in range(args.n)]
        start = time.perf_counter()
        desk.accept(items, "glowskin")
        out = Path(d) / "out.jsonl"
        writer = JsonlWriter(out)
        fallbacks = 0
        failed: list[str] = []

        def on_done(item_id, result, error):  # type: ignore[no-untyped-def]
            nonlocal fallbacks
            if result is None:
                failed.append(item_id)
                return
            fallbacks += result.fallback is not None
            writer.write(result.model_dump_json())

        desk.draft_all([c.id for c in items], concurrency=args.concurrency, on_done=on_done)
        writer.close()
        elapsed = time.perf_counter() - start
        written = done_ids(out)
        lines = len(out.read_text(encoding="utf-8").splitlines())
        in_queue = desk.queue.counts()
        accepted = {c.id for c in items}
        lost = accepted - written - set(failed)
        peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"comments       {args.n}  in {elapsed:.1f} s ({args.n / elapsed:.1f}/s, concurrency {args.concurrency})")
        print(f"model calls    {model.calls}")
        print(f"done           {len(written)}  (of which offline fallback: {fallbacks})")
        print(f"failed         {len(failed)}")
        print(f"lost           {len(lost)}")
        print(f"duplicated     {lines - len(written)}")
        print(f"queue          {json.dumps(in_queue)}")
        print(f"peak memory    {peak_mib:.0f} MiB (target ≤ 1024)")


if __name__ == "__main__":
    main()
