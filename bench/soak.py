"""Soak: draft 2,000 comments through a model that fails in every way we know, and count what was lost.

    .venv/bin/python bench/soak.py [--n 2000] [--concurrency 8]

Faults injected (seeded): timeouts, 429 with Retry-After, 500s, malformed and truncated JSON, refusals,
empty answers, and a stretch where the provider is down. Prints items done, failed and lost (lost must
be 0), how many were drafted by the offline fallback, and peak memory (target ≤ 1 GiB).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agent.comments_io import JsonlWriter, done_ids  # noqa: E402
from agent.config import Settings, configure_offline_libraries  # noqa: E402
from agent.review.service import ReviewDesk, open_store  # noqa: E402
from agent.schemas import CommentIn  # noqa: E402
from bench.drafting import SAMPLES  # noqa: E402
from bench.write_docs import add_flag, publish  # noqa: E402
from tests.fakes_faults import FaultyModel  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--concurrency", type=int, default=8)
    add_flag(ap)
    args = ap.parse_args()
    with publish("soak", args.write_docs):
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
