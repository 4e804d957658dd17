"""Review-desk timings on the demo queue: time to first render and the time of one action.

    python bench/ui.py [--from DATA_DIR] [--no-browser]

Targets (printed, not asserted): first render ≤ 5 s; an approve / regenerate ≤ 1 s offline; the same
with sign-in on (an approver account, signed in through the form).
--from reuses an already seeded data dir (copied, never modified); otherwise the demo queue is
built in a temporary dir first (knowledge ingest + drafting, also timed).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from agent.config import Settings, configure_offline_libraries  # noqa: E402
from bench.write_docs import add_flag, publish  # noqa: E402
from tests.servers import chrome_options, free_port, stop  # noqa: E402
from tests.ui.demo_data import clone  # noqa: E402
from ui.health import is_healthy  # noqa: E402

APP = ROOT / "ui" / "app.py"
CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def row(label: str, seconds: float | None, target: float | None = None, note: str = "") -> None:
    value = "   n/a" if seconds is None else f"{seconds:6.2f} s"
    flag = "" if seconds is None or target is None else ("  ok" if seconds <= target else f"  > target {target:g} s")
    print(f"  {label:<58} {value}{flag}{('  ' + note) if note else ''}")


def seed(data_dir: Path) -> float:
    from ui.demo import seed_demo

    return timed(lambda: seed_demo(Settings(data_dir=data_dir)))


def approvable(data_dir: Path, n: int) -> list[str]:
    """`n` demo items an approver can approve as drafted (no blank left to fill, no check blocking approval):
    the offline drafts change with the knowledge and the drafting rules, so none is named in advance."""
    from agent.placeholders import placeholder_slots
    from agent.review.store.queue import ReviewQueue

    found = [i.id for i in ReviewQueue(Settings(data_dir=data_dir).queue_path).items()
             if i.status == "needs_review" and i.result is not None and not placeholder_slots(i.result.reply_text)
             and not any(c.blocks_approval for c in i.result.failed_checks)]
    if len(found) < n:
        raise SystemExit(f"error: the demo queue has {len(found)} item(s) to approve as drafted, {n} needed")
    return sorted(found)[:n]


def bench_apptest(data_dir: Path) -> None:
    from streamlit import config
    from streamlit.testing.v1 import AppTest

    # As `redreply ui` starts it: on loopback, so a desk with no account opens as the local admin.
    config.set_option("server.address", "127.0.0.1")

    os.environ["REDREPLY_DATA_DIR"] = str(data_dir)
    at = AppTest.from_file(str(APP), default_timeout=120)
    row("AppTest: queue page, first run (cold process)", timed(at.run), 5)
    row("AppTest: queue page, rerun", timed(at.run), 5)
    first, second = approvable(data_dir, 2)  # Approve is on for both
    at2 = AppTest.from_file(str(APP), default_timeout=120)
    at2.query_params["item"] = first
    at2.run()
    row(f"AppTest: item page {first}", timed(lambda: at2.switch_page("page_item.py").run()), 5)
    row(f"AppTest: approve {first}, first action (opens the store)",
        timed(lambda: at2.button(key="approve").click().run()), None, "one-off per process")
    at2.session_state["item"] = "d-02"
    at2.run()
    row("AppTest: regenerate d-02 更短 (click → rerun)",
        timed(lambda: at2.button(key="rewrite_shorter").click().run()), 1)
    row("AppTest: regenerate d-02 更温暖 (click → rerun)",
        timed(lambda: at2.button(key="rewrite_warmer").click().run()), 1)
    at2.session_state["item"] = second
    at2.run()
    row(f"AppTest: approve {second} (click → rerun)", timed(lambda: at2.button(key="approve").click().run()), 1)
    assert not at2.exception, at2.exception


def bench_signed_in(data_dir: Path) -> None:
    """The same pages with sign-in on: an approver account in the desk's database, signed in
    through the form, then the queue, an item and an approval. The password hash is checked once per sign-in
    (argon2, deliberately slow); each later rerun only checks the session."""
    from streamlit.testing.v1 import AppTest

    from agent.review.team.accounts import Accounts

    os.environ["REDREPLY_DATA_DIR"] = str(data_dir)
    Accounts(Settings(data_dir=data_dir).queue_path).add("bench", "approver", "bench-password-1")
    at = AppTest.from_file(str(APP), default_timeout=120)
    row("signed in: sign-in page, first run (cold process)", timed(at.run), 5)
    at.text_input(key="sign_in_name").set_value("bench")
    at.text_input(key="sign_in_password").set_value("bench-password-1")
    row("signed in: sign in → queue page", timed(lambda: at.button[0].click().run()), 5)
    row("signed in: queue page, rerun", timed(at.run), 5)
    at.query_params["item"] = "d-16"
    row("signed in: item page d-16", timed(lambda: at.switch_page("page_item.py").run()), 5)
    [chosen] = approvable(data_dir, 1)
    at.session_state["item"] = chosen
    at.run()
    row(f"signed in: approve {chosen} (click → rerun)", timed(lambda: at.button(key="approve").click().run()), 1)
    assert not at.exception, at.exception


def bench_desk(data_dir: Path) -> None:
    from agent.review.service import ReviewDesk
    from agent.schemas import ReviewDecision

    settings = Settings(data_dir=data_dir)
    desk = ReviewDesk(settings)
    row("ReviewDesk: open (queue + graph)", timed(lambda: ReviewDesk(settings)), 1)
    row("ReviewDesk: open the store (freshness check, embedder)", timed(lambda: desk.store), None,
        "one-off per process; a decision needs it")
    [chosen] = approvable(data_dir, 1)
    row(f"ReviewDesk: approve {chosen}", timed(lambda: desk.decide(chosen, ReviewDecision(action="approve",
                                                                                           reviewer="bench"))), 1)
    row("ReviewDesk: regenerate d-03 更短",
        timed(lambda: desk.decide("d-03", ReviewDecision(action="regenerate", reviewer="bench", instruction="更短"))),
        1)
    row("ReviewDesk: regenerate d-03 更正式",
        timed(lambda: desk.decide("d-03", ReviewDecision(action="regenerate", reviewer="bench",
                                                         instruction="更正式"))), 1)
    row("ReviewDesk: reject d-14", timed(lambda: desk.decide("d-14", ReviewDecision(action="reject", reviewer="bench",
                                                                                   reason="bench"))), 1)


def bench_server(data_dir: Path, browser: bool) -> None:
    port = free_port()
    env = {**os.environ, "REDREPLY_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "agent.cli", "ui", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"http://localhost:{port}"
    try:
        healthy = None
        while time.perf_counter() - start < 120 and proc.poll() is None:
            if is_healthy(url + "/_stcore/health"):
                healthy = time.perf_counter() - start
                break
            time.sleep(0.05)
        row("server: `redreply ui` start → health check answers", healthy, 5)
        if not browser:
            return
        if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
            row("browser: first render", None, note="chromium not installed")
            return
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
        from selenium.webdriver.support.ui import WebDriverWait

        profile = tempfile.mkdtemp(prefix="bench-chromium-")
        opts = chrome_options(CHROMIUM, Path(profile))
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
        try:
            def first_render(path: str, text: str) -> float:
                t0 = time.perf_counter()
                driver.get(url + path)
                WebDriverWait(driver, 60).until(lambda d: text in d.find_element("tag name", "body").text)
                return time.perf_counter() - t0

            row("browser: queue page, navigate → table caption shown (cold session)",
                first_render("/", "item(s)"), 5)
            row("browser: queue page again (new session, warm server)", first_render("/", "item(s)"), 5)
            row("browser: item page d-05 → title shown", first_render("/item?item=d-05", "d-05 · "), 5)
        finally:
            driver.quit()
            shutil.rmtree(profile, ignore_errors=True)
    finally:
        stop(proc, group=True)


def _has_demo_queue(data_dir: Path) -> bool:
    from agent.review.store.queue import ReviewQueue

    path = Settings(data_dir=data_dir).queue_path
    return path.exists() and {"d-02", "d-03", "d-06", "d-14", "d-16", "d-20"} <= set(
        ReviewQueue(path).ids_with_status("needs_review"))


def grow_queue(data_dir: Path, n: int = 5000) -> None:
    """The demo queue grown to `n` items: copies of its drafted items under new ids (drafting 5,000 comments
    would time the drafter, not the page)."""
    from agent.review.store.queue import ReviewQueue

    queue = ReviewQueue(Settings(data_dir=data_dir).queue_path)
    drafted = [it for it in queue.items() if it.result is not None]
    copies = [drafted[i % len(drafted)] for i in range(n - len(queue.items()))]
    queue.accept([it.comment.model_copy(update={"id": f"big-{i:05d}"}) for i, it in enumerate(copies)], "glowskin")
    for i, it in enumerate(copies):
        assert it.result is not None
        queue.store_draft(it.result.model_copy(update={"id": f"big-{i:05d}"}))


def bench_big_queue(data_dir: Path, n: int = 5000) -> None:
    from streamlit import config
    from streamlit.testing.v1 import AppTest

    grow_queue(data_dir, n)
    config.set_option("server.address", "127.0.0.1")
    os.environ["REDREPLY_DATA_DIR"] = str(data_dir)
    at = AppTest.from_file(str(APP), default_timeout=300)
    row(f"AppTest: queue page at {n:,} items, first run", timed(at.run), 5)
    row(f"AppTest: queue page at {n:,} items, warm rerun", timed(at.run), 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="source", type=Path, help="an already seeded demo data dir (copied)")
    parser.add_argument("--no-browser", action="store_true", help="skip the headless-Chromium figures")
    add_flag(parser)
    args = parser.parse_args()
    with publish("ui", args.write_docs):
        configure_offline_libraries()
        with tempfile.TemporaryDirectory(prefix="redreply-bench-ui-") as tmp:
            base = Path(tmp)
            print("RedReply review desk: demo queue (20 comments, brand glowskin), offline model"
                  + (f"; queue from {args.source}" if args.source else ""))
            if args.source:
                if not _has_demo_queue(args.source):
                    print(f"error: {args.source} does not hold the demo queue; add it with `redreply batch "
                          "ui/demo_comments.jsonl --brand glowskin --out demo.jsonl` (REDREPLY_DATA_DIR set to it)",
                          file=sys.stderr)
                    sys.exit(2)
                template = clone(args.source.resolve(), base / "template")
                from agent.review.service import open_store

                row("bring the copied index up to date with knowledge/ (if changed)",
                    timed(lambda: open_store(Settings(data_dir=template))), None, "one-off")
            else:
                template = base / "template"
                row("build the demo queue (ingest + accept + draft 20)", seed(template), None, "one-off")
            print("first render (target ≤ 5 s)")
            bench_server(clone(template, base / "server"), browser=not args.no_browser)
            print("actions (target ≤ 1 s)")
            bench_desk(clone(template, base / "desk"))
            print("through the app (AppTest, in process)")
            bench_apptest(clone(template, base / "apptest"))
            print("through the app with sign-in on (an approver account)")
            bench_signed_in(clone(template, base / "signed-in"))
            print("a team's day: the queue page at 5,000 items (target: warm rerun ≤ 1 s)")
            bench_big_queue(clone(template, base / "big"))


if __name__ == "__main__":
    main()
