"""`redreply ui --demo` on a new data dir: the desk answers first, then the demo queue is accepted (pending)
and drafted in the background, and the queue page shows it. Run with `pytest -m server` (or `-m ""`)."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from agent.cli.ui_cmds import app_path, queue_demo_when_up
from tests.servers import free_port
from ui.health import health_url, is_healthy

pytestmark = pytest.mark.server

ROOT = Path(__file__).resolve().parents[2]
DEMO_IDS = [json.loads(line)["id"] for line in (ROOT / "ui" / "demo_comments.jsonl").read_text(encoding="utf-8")
            .splitlines() if line.strip()]


def _statuses(queue: Path) -> dict[str, str]:
    if not queue.exists():
        return {}
    try:
        with sqlite3.connect(f"file:{queue}?mode=ro", uri=True, timeout=1) as db:
            return dict(db.execute("SELECT id, status FROM items").fetchall())
    except sqlite3.Error:
        return {}


def test_the_desk_answers_first_then_the_demo_queue_is_queued_and_drafted(tmp_path):
    port, data_dir = free_port(), tmp_path / "data"
    log = (tmp_path / "ui.log").open("wb")
    proc = subprocess.Popen([sys.executable, "-m", "agent.cli", "ui", "--demo", "--port", str(port)], cwd=ROOT,
                            env={**os.environ, "REDREPLY_DATA_DIR": str(data_dir)},
                            stdout=log, stderr=subprocess.STDOUT)
    seen: list[tuple[bool, dict[str, str]]] = []  # (healthy, statuses) at each poll
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and proc.poll() is None:
            seen.append((is_healthy(health_url("127.0.0.1", port)), _statuses(data_dir / "queue.sqlite")))
            if seen[-1][1] and all(seen[-1][1].get(i) == "needs_review" for i in DEMO_IDS):
                break
            time.sleep(0.05)
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)
        log.close()
    output = (tmp_path / "ui.log").read_text(encoding="utf-8", errors="replace")
    assert seen and all(seen[-1][1].get(i) == "needs_review" for i in DEMO_IDS), output[-3000:]
    first_healthy = next(n for n, (ok, _) in enumerate(seen) if ok)
    first_queued = next(n for n, (_, st) in enumerate(seen) if st)
    assert first_healthy <= first_queued  # nothing is queued (let alone drafted) before the desk answers
    assert any("pending" in st.values() for _, st in seen)  # accepted first, drafted after
    assert "demo queue: drafting 20 comment(s) in the background" in output
    assert "missing ScriptRunContext" not in output and "Traceback" not in output


def test_the_queue_page_shows_the_demo_queue_pending_then_drafted(tmp_path, monkeypatch, desk_on_loopback):
    monkeypatch.setenv("REDREPLY_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("REDREPLY_MODEL", raising=False)
    # What `redreply ui --demo` runs beside the server (here with no server to wait for).
    queue_demo_when_up(health_url("127.0.0.1", free_port()), timeout_s=0)
    at = AppTest.from_file(str(app_path()), default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    frame = at.dataframe(key="queue_table").value
    assert set(DEMO_IDS) <= set(frame["id"])
    progress = [p.proto.text for p in at.get("progress")]
    assert "pending" in set(frame["status"]) or any(t.startswith("drafted 20/20") for t in progress), progress
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        at.run()
        frame = at.dataframe(key="queue_table").value
        if set(frame.loc[frame["id"].isin(DEMO_IDS), "status"]) == {"needs_review"}:
            break
        time.sleep(0.5)
    assert set(frame.loc[frame["id"].isin(DEMO_IDS), "status"]) == {"needs_review"}
