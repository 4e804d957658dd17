"""The model path's cost: drafts per minute, RedReply's own overhead next to the model, calls and tokens.

    python bench/model_path.py --base http://127.0.0.1:8088/v1 [--model openai/local] [--n 6]
    python bench/model_path.py --model deepseek/deepseek-chat --n 10      # any litellm model by name

Drafts --n eval comments at concurrency 1 and then 4, and prints: drafts per minute; the share of wall
time spent waiting for the model (target ≥ 95 %: our overhead must vanish next to the model); model
calls and prompt/completion tokens per draft; how many drafts fell back to the offline drafter; how
many model drafts failed a hard check before their revision, and how many still did after it.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agent.config import Settings, configure_offline_libraries  # noqa: E402
from agent.drafting.llm import make_client  # noqa: E402
from agent.review.service import ReviewDesk  # noqa: E402
from agent.schemas import CommentIn, DraftResult  # noqa: E402
from bench.write_docs import add_flag, publish  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


class TimedClient:
    """The configured client, with the wall time spent inside each call added up (a ModelClient itself)."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.name = inner, inner.name
        self.calls: list[tuple[float, float]] = []
        self._lock = threading.Lock()

    def complete(self, messages: list[dict[str, str]], *, json_schema: dict[str, Any] | None = None) -> str:
        start = time.perf_counter()
        try:
            return self.inner.complete(messages, json_schema=json_schema)
        finally:
            with self._lock:
                self.calls.append((start, time.perf_counter()))

    def waiting_s(self) -> float:
        """Wall time during which at least one call was waiting on the model (overlaps counted once)."""
        total, end = 0.0, float("-inf")
        for a, b in sorted(self.calls):
            if b > end:
                total += b - max(a, end)
                end = b
        return total


def comments(n: int) -> list[CommentIn]:
    rows = [json.loads(line) for line in (ROOT / "evals" / "datasets" / "cases.jsonl").read_text(encoding="utf-8")
            .splitlines() if line.strip() and '"group"' not in line]
    return [CommentIn.model_validate({**r["comment"], "id": f"{r['comment']['id']}-{i}"}) for i, r in
            enumerate(rows[:n])]


def run(settings: Settings, concurrency: int, n: int) -> dict[str, float]:
    client = TimedClient(make_client(settings))
    with tempfile.TemporaryDirectory() as data:
        desk = ReviewDesk(settings.with_overrides(data_dir=Path(data)), client=client)
        items = comments(n)
        desk.accept(items, settings.brand)
        results: list[DraftResult] = []
        start = time.perf_counter()
        desk.draft_all([c.id for c in items], concurrency=concurrency,
                       on_done=lambda _i, r, _e: results.append(r) if r else None)
        wall = time.perf_counter() - start
    steps = [s for r in results for s in r.steps]
    # A model draft that failed a check was drafted twice by the model: its revision.
    revised = [r for r in results if sum(s.step == "draft" and s.model not in ("offline", "rules")
                                         for s in r.steps) >= 2]
    return {
        "drafts": len(results), "wall_s": round(wall, 1), "drafts_per_min": round(60 * len(results) / wall, 2),
        "model_wait_share": round(client.waiting_s() / wall, 3),
        "calls_per_draft": round(sum(s.calls for s in steps) / max(1, len(results)), 2),
        "prompt_tokens_per_draft": round(sum(s.prompt_tokens for s in steps) / max(1, len(results))),
        "completion_tokens_per_draft": round(sum(s.completion_tokens for s in steps) / max(1, len(results))),
        "fallback_rate": round(sum(r.fallback is not None for r in results) / max(1, len(results)), 3),
        "failed_a_check_first": len(revised),
        "hard_fail_after_revision": sum(r.rejected_attempt is not None for r in results),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="openai/local")
    parser.add_argument("--base", help="an OpenAI-compatible server, e.g. http://127.0.0.1:8088/v1")
    parser.add_argument("--n", type=int, default=6, help="drafts per concurrency level (default 6)")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 4])
    add_flag(parser)
    args = parser.parse_args()
    with publish("model_path", args.write_docs):
        configure_offline_libraries()
        settings = Settings(model=args.model, api_base=args.base)
        for c in args.concurrency:
            figures = run(settings, c, args.n)
            print(f"concurrency {c}: " + " · ".join(f"{k} {v}" for k, v in figures.items()), flush=True)
        return 0


if __name__ == "__main__":
    sys.exit(main())
