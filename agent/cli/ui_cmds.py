"""`redreply ui [--demo] [--port 8501] [--host 127.0.0.1]`: the review desk (Streamlit), headless and offline.

With --demo the desk starts first: Streamlit runs in this process, and a background thread opens the
desk's queue and knowledge store meanwhile (a new data dir takes its vectors from the bundled embeddings:
nothing to embed). Once the desk answers, the thread queues the demo comments (persisted: the queue page
lists them as pending at once) and drafts them on the desk's own background drafting job, whose progress
the queue page shows. Without --demo, this process becomes Streamlit (exec).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import threading
import time
from pathlib import Path

from agent.config import Settings
from ui.health import health_url, is_healthy


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("ui", help="open the review desk (Streamlit) on http://localhost:8501")
    p.add_argument("--demo", action="store_true",
                   help="once the desk is up, load the demo comments (glowskin) into the queue and draft them "
                        "in the background")
    p.add_argument("--port", type=int, default=8501)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: loopback only)")
    p.add_argument("--model", help="'offline' or a litellm model name")
    p.set_defaults(func=cmd_ui)


def app_path() -> Path:
    import ui

    return Path(ui.__file__).resolve().parent / "app.py"


def server_path() -> Path:
    """The pages plus the desk's cookie route (ui/server.py), which `streamlit run` serves."""
    return app_path().with_name("server.py")


def streamlit_argv(host: str, port: int) -> list[str]:
    return [sys.executable, "-m", "streamlit", "run", str(server_path()),
            "--server.headless", "true", "--browser.gatherUsageStats", "false",
            "--browser.serverAddress", "localhost", "--server.address", host, "--server.port", str(port),
            "--client.toolbarMode", "minimal"]


def wait_healthy(url: str, timeout_s: float) -> bool:
    """Poll Streamlit's health endpoint until it answers (True) or the time is up (False)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if is_healthy(url):
            return True
        time.sleep(0.05)
    return False


def queue_demo_when_up(url: str, timeout_s: float = 120.0) -> None:
    """While the desk starts, open its queue and knowledge store; once it answers, queue the demo comments
    and draft them on the desk's background job."""
    try:
        # Streamlit warns of each cached call made outside a page run: this thread makes them on purpose.
        this = threading.current_thread().name
        logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
            lambda record: record.threadName != this)
        from ui import shared
        from ui.demo import accept_demo

        desk = shared.desk()  # the pages' desk; created now, it also drafts what an earlier run left pending
        _ = desk.store  # the knowledge store, opened while the server starts (a new one takes the bundled vectors)
        wait_healthy(url, timeout_s)  # late or not, the demo is queued: the desk may just be slow to start
        todo, known = accept_demo(desk)
        jobs = shared.jobs()
        current = jobs.get("current")
        todo = [i for i in todo if current is None or i not in current.ids]
        if todo:
            job = shared.start_drafting(desk, todo, concurrency=2)
            if current is None or not current.running:
                jobs["current"] = job  # the queue page shows its progress
        print(f"demo queue: drafting {len(todo)} comment(s) in the background, {len(known)} already queued",
              file=sys.stderr)
    except Exception as e:  # the desk stays up without its demo queue
        print(f"demo queue: not loaded ({type(e).__name__}: {e})", file=sys.stderr)


def run_streamlit(argv: list[str]) -> int:
    """Streamlit's own command line (`streamlit run …`), in this process."""
    from streamlit.web import cli as streamlit_cli

    try:
        streamlit_cli.main(args=argv[3:], prog_name="streamlit")
    except SystemExit as e:
        return e.code if isinstance(e.code, int) else int(e.code is not None)
    return 0


def cmd_ui(args: argparse.Namespace, settings: Settings) -> int:
    # The app reads its settings from the environment: pass on what the flags chose.
    os.environ["REDREPLY_DATA_DIR"] = str(settings.data_dir)
    os.environ["REDREPLY_MODEL"] = settings.model
    argv = streamlit_argv(args.host, args.port)
    print(f"review desk on http://{'localhost' if args.host in ('127.0.0.1', '0.0.0.0') else args.host}:{args.port}"
          " (Ctrl-C to stop)", file=sys.stderr)
    if args.demo:
        # Streamlit and the desk's modules are imported here, before the demo thread starts: two threads
        # importing streamlit.web at once dead-lock on its module lock.
        from streamlit.web import cli as _streamlit_cli  # noqa: F401

        from ui import demo as _demo  # noqa: F401
        from ui import shared as _shared  # noqa: F401

        # In this process, so the demo job is the desk's own: one store, one queue, progress on the queue page.
        threading.Thread(target=queue_demo_when_up, args=(health_url(args.host, args.port),),
                         name="redreply-demo", daemon=True).start()
        return run_streamlit(argv)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execvpe(argv[0], argv, dict(os.environ))  # replaces this process: Ctrl-C and signals reach Streamlit directly
