"""The review queue page on a shared database at N items: its first run and a warm rerun through the app
(Streamlit's AppTest, in process), with the queue in PostgreSQL.

    REDREPLY_DATABASE_URL=postgresql://… .venv/bin/python bench/queue_page.py [--n 50000] [--write-docs]

The demo queue (20 comments, brand glowskin, offline model) is drafted into the database, then grown to N
items by copies of its drafts under new ids (drafting 50,000 comments would time the drafter, not the page).
Targets (printed, not asserted): a first run ≤ 5 s, a warm rerun ≤ 1 s; then an item opened from the queue,
and the database alone (one page's queries, the sidebar's counts), to tell the database's share from the
page's. Give it a database of its own: it adds items until there are N.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from agent.config import Settings, configure_offline_libraries  # noqa: E402
from bench.write_docs import add_flag, publish  # noqa: E402

APP = ROOT / "ui" / "app.py"


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def row(label: str, seconds: float, target: float | None = None) -> None:
    flag = "" if target is None else ("  ok" if seconds <= target else f"  > target {target:g} s")
    print(f"  {label:<58} {seconds:6.2f} s{flag}", flush=True)


def grow(url: str, n: int) -> None:
    """The drafted demo items copied under new ids until the queue holds `n` items."""
    from agent.review.store.queue import ReviewQueue

    queue = ReviewQueue(url)
    have = queue.items()
    drafted = [it for it in have if it.result is not None]
    copies = [drafted[i % len(drafted)] for i in range(n - len(have))]
    queue.accept([it.comment.model_copy(update={"id": f"big-{i:05d}"}) for i, it in enumerate(copies)], "glowskin")
    for i, it in enumerate(copies):
        assert it.result is not None
        queue.store_draft(it.result.model_copy(update={"id": f"big-{i:05d}"}))


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--url", default=os.environ.get("REDREPLY_DATABASE_URL"), help="the database (default: "
                   "REDREPLY_DATABASE_URL)")
    p.add_argument("--n", type=int, default=50_000)
    add_flag(p)
    args = p.parse_args()
    if not args.url:
        p.error("give --url or set REDREPLY_DATABASE_URL")
    with publish("queue_page", args.write_docs):
        configure_offline_libraries()
        from streamlit import config
        from streamlit.testing.v1 import AppTest

        from agent.storage.engine import where
        from ui.demo import seed_demo

        with tempfile.TemporaryDirectory(prefix="redreply-bench-page-") as tmp:
            print(f"review queue page at {args.n:,} items on {where(args.url)}; demo drafts, offline model")
            settings = Settings(data_dir=Path(tmp), database_url=args.url)
            row("draft the demo queue into the database (one-off)", timed(lambda: seed_demo(settings)))
            row(f"grow it to {args.n:,} items (one-off)", timed(lambda: grow(args.url, args.n)))
            config.set_option("server.address", "127.0.0.1")  # as `redreply ui` starts: the local admin
            os.environ["REDREPLY_DATA_DIR"], os.environ["REDREPLY_DATABASE_URL"] = tmp, args.url
            at = AppTest.from_file(str(APP), default_timeout=600)
            row(f"AppTest: queue page at {args.n:,} items, first run", timed(at.run), 5)
            row(f"AppTest: queue page at {args.n:,} items, warm rerun", timed(at.run), 1)
            row(f"AppTest: queue page at {args.n:,} items, warm rerun again", timed(at.run), 1)
            at.query_params["item"] = "d-15"
            row(f"AppTest: item page at {args.n:,} items (from the queue)",
                timed(lambda: at.switch_page("page_item.py").run()), 1)
            row(f"AppTest: item page at {args.n:,} items, warm rerun", timed(at.run), 1)
            from agent.review.store.queue import ReviewQueue
            from agent.review.views.queue_table import QueueTable

            table = QueueTable(ReviewQueue(args.url), settings)  # the database's share: counts, ids and rows
            row("the database alone: one page (counts, sorted ids, the 100 rows)", timed(table.page))
            row("the database alone: the sidebar's counts", timed(lambda: table.counts(datetime.now(UTC))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
