"""Times importing a 10,000-comment MediaCrawler export and prints the figures (target in brackets).

    .venv/bin/python bench/import_crawler.py [--comments N] [--rounds R]

Generates, in a temporary directory, `search_comments_<date>.jsonl` (N comments over N/50 notes: top-level
comments, replies up to four deep, the brand's replies, replies whose parent is missing, re-crawled rows,
mixed ms/seconds times, "1.2万"-style counts, pictures) and the `search_contents_<date>.jsonl` beside it;
then times `read_any` (read + detect + map + join notes + link threads)     (target ≤ 5 s for 10,000)
and `thread_for` + `fit_thread` for every comment (what drafting asks for), checks that a second import
equals the first, and reports peak memory (tracemalloc's peak of Python allocations, and the process's
max RSS). Then times `redreply import` end to end (a fresh process: read, fit every thread, queue, record the
history) on the same file, and its re-import, checking the queue is unchanged by it. Asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from agent.sources import fit_thread, read_any  # noqa: E402
from bench.write_docs import add_flag, publish  # noqa: E402

BRAND = "5f1a0c3e000000000100a001"
TEXTS = ["用了三天脸就开始泛红刺痛，这个精华到底适不适合敏感肌啊？", "私信也没人回，都两天了", "同问，我私信也是已读不回",
         "孕期可以用吗？成分里有没有水杨酸", "这个面膜是不是含激素啊，敷完脸立刻就白了", "已经回购第三瓶了，换季泛红全靠它",
         "物流太慢了，下单一周还没发货", "包装是破的，精华漏了一半", "价格比去年贵了三十块，不值", "油皮夏天能用吗"]
BRAND_TEXT = "抱歉给你带来不好的体验！建议先暂停使用，方便的话私信我们订单号，安排专人跟进～"
# How the crawler marks a top-level comment's parent: an empty string, "0" or the number 0.
TOP_LEVEL: tuple[str | int, ...] = ("", "0", 0)


def _comment(i: int, note: str, parent: str | int, rng: random.Random, brand: bool) -> dict:
    ms = 1772326800000 + i * 37_000
    uid = BRAND if brand else f"5e8f11aa{rng.randrange(16**16):016x}"
    return {"comment_id": f"67c2a001{i:016x}", "create_time": ms if i % 10 else ms // 1000, "ip_location": "浙江",
            "note_id": note, "content": BRAND_TEXT if brand else rng.choice(TEXTS) + f"（{i}）",
            "user_id": uid, "nickname": "GlowSkin官方旗舰店" if brand else f"用户**{i % 97}",
            "avatar": f"https://sns-avatar-qc.xhscdn.com/avatar/{uid[-6:]}.jpg", "sub_comment_count": str(rng.randrange(5)),
            "pictures": "https://sns-img-qc.xhscdn.com/comment/p.jpg" if i % 13 == 0 else "",
            "parent_comment_id": parent, "last_modify_ts": 1772900000000, "add_ts": 1772900000000,
            "like_count": rng.choice(["0", "3", "10+", "1.2万", "256"])}


def generate(directory: Path, n: int, seed: int = 13) -> Path:
    """Writes the comments file and its contents file; returns the comments file."""
    rng = random.Random(seed)
    notes = [f"6650a1b2{k:016x}" for k in range(max(1, n // 50))]
    rows: list[dict] = []
    for i in range(n):
        note = notes[i % len(notes)]
        same_note = [r for r in rows[-len(notes) * 4:] if r["note_id"] == note]
        roll = rng.random()
        if not same_note or roll < 0.4:
            parent = rng.choice(TOP_LEVEL)
        elif roll < 0.42:
            parent = f"deadbeef{i:016x}"  # parent not in the file
        else:
            parent = rng.choice(same_note)["comment_id"]
        rows.append(_comment(i, note, parent, rng, brand=parent not in TOP_LEVEL and roll > 0.9))
    recrawled = [dict(r, like_count="300") for r in rows[: n // 100]]  # a second crawl appends 1% again
    path = directory / "search_comments_2026-03-04.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for r in rows + recrawled:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    with (directory / "search_contents_2026-03-04.jsonl").open("w", encoding="utf-8") as f:
        for k, note in enumerate(notes):
            f.write(json.dumps({"note_id": note, "type": "normal", "title": "" if k % 3 == 0 else f"急救焕肤精华液实测 {k}",
                                "desc": "换季皮肤一直泛红，坚持用了一个月，记录一下每周的变化和用法 " * 2, "user_id": BRAND,
                                "nickname": "GlowSkin官方旗舰店", "liked_count": "3.4万", "comment_count": "50",
                                "tag_list": "敏感肌,精华推荐", "note_url": f"https://www.xiaohongshu.com/explore/{note}"},
                               ensure_ascii=False) + "\n")
    return path


def _queue_rows(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT id, comment_json, status, version, created_at FROM items ORDER BY id").fetchall()


def cli_import(path: Path, data_dir: Path) -> tuple[float, float, int, bool]:
    """`redreply import` run twice as a user runs it: (first s, re-import s, comments queued, queue unchanged)."""
    env = {**os.environ, "REDREPLY_DATA_DIR": str(data_dir)}
    cmd = [sys.executable, "-m", "agent.cli", "import", str(path), "--brand", "glowskin"]
    times, rows = [], []
    for _ in range(2):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, env=env, capture_output=True)
        times.append(time.perf_counter() - start)
        rows.append(_queue_rows(data_dir / "queue.sqlite"))
    return times[0], times[1], len(rows[0]), rows[0] == rows[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3, help="timed imports (default 3; the median is shown)")
    add_flag(parser)
    args = parser.parse_args()
    with publish("import_crawler", args.write_docs):
        with tempfile.TemporaryDirectory() as tmp:
            path = generate(Path(tmp), args.comments)
            size_mb = path.stat().st_size / 1e6
            lines = sum(1 for _ in path.open(encoding="utf-8"))
            times, result = [], None
            for _ in range(args.rounds):
                start = time.perf_counter()
                result = read_any(path)
                times.append(time.perf_counter() - start)
            assert result is not None
            start = time.perf_counter()
            index = result.threads()
            depth = [len(fit_thread(index.thread_for(c.id), 600)) for c in result.comments]
            thread_s = time.perf_counter() - start
            same = read_any(path) == result
            tracemalloc.start()
            read_any(path)
            peak_mb = tracemalloc.get_traced_memory()[1] / 1e6
            tracemalloc.stop()
            first_s, again_s, queued, unchanged = cli_import(path, Path(tmp) / "data")
        median = statistics.median(times)
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        n = len(result.comments)
        print(f"MediaCrawler import: {n} comments ({lines} lines, {size_mb:.1f} MB) under {len(result.notes)} notes; "
              f"{sum(c.orphan for c in result.comments)} orphans, {sum(c.is_brand for c in result.comments)} brand replies, "
              f"{len(result.errors)} errors")
        print(f"  read_any (read + thread)  {median:6.2f} s   median of {args.rounds}  (target ≤ 5 s)  "
              f"{n / median:,.0f} comments/s")
        print(f"  thread_for + fit_thread   {thread_s:6.2f} s   all {n} comments, ≤ 600 tokens; "
              f"longest kept thread {max(depth, default=0)} messages")
        print(f"  re-import equal           {'yes' if same else 'NO'}")
        print(f"  peak memory               {peak_mb:6.1f} MB traced (Python allocations of one import), "
              f"{rss_mb:.0f} MB max RSS (process)")
        print(f"  redreply import           {first_s:6.2f} s   {queued} comments queued, end to end  (target ≤ 5 s)")
        print(f"  redreply import again     {again_s:6.2f} s   queue {'unchanged' if unchanged else 'CHANGED'}")


if __name__ == "__main__":
    main()
