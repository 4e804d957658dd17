"""`redreply ui [--demo] [--port 8501] [--host 127.0.0.1]`: the review desk (Streamlit), headless and offline."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from agent.config import Settings


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("ui", help="open the review desk (Streamlit) on http://localhost:8501")
    p.add_argument("--demo", action="store_true",
                   help="ingest the knowledge if needed and load the demo comments (glowskin) into the queue first")
    p.add_argument("--port", type=int, default=8501)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: loopback only)")
    p.add_argument("--model", help="'offline' or a litellm model name")
    p.set_defaults(func=cmd_ui)


def app_path() -> Path:
    import ui

    return Path(ui.__file__).resolve().parent / "app.py"


def streamlit_argv(host: str, port: int) -> list[str]:
    return [sys.executable, "-m", "streamlit", "run", str(app_path()),
            "--server.headless", "true", "--browser.gatherUsageStats", "false",
            "--browser.serverAddress", "localhost", "--server.address", host, "--server.port", str(port),
            "--client.toolbarMode", "minimal"]


def seed_demo(settings: Settings) -> tuple[list[str], list[str]]:
    """Ingest the knowledge when the store is empty or out of date, then queue and draft the demo comments."""
    from agent.review.service import ReviewDesk, open_store
    from ui.demo import load_demo

    store = open_store(settings)  # ensure_ingested: only what changed is embedded
    return load_demo(ReviewDesk(settings, store=store))


def cmd_ui(args: argparse.Namespace, settings: Settings) -> int:
    if args.demo:
        drafted, skipped = seed_demo(settings)
        print(f"demo queue: {len(drafted)} comment(s) drafted, {len(skipped)} already queued", file=sys.stderr)
    env = dict(os.environ)
    # The app reads its settings from the environment: pass on what the flags chose.
    env["REDREPLY_DATA_DIR"] = str(settings.data_dir)
    env["REDREPLY_MODEL"] = settings.model
    argv = streamlit_argv(args.host, args.port)
    print(f"review desk on http://{'localhost' if args.host in ('127.0.0.1', '0.0.0.0') else args.host}:{args.port}"
          " (Ctrl-C to stop)", file=sys.stderr)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execvpe(argv[0], argv, env)  # replaces this process: Ctrl-C and signals reach Streamlit directly
