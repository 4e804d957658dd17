"""Kill the review desk's server at random points while it drafts an import, repeatedly.

Each round starts `redreply ui` on loopback, opens the queue in headless Chromium (that opens the
desk, which goes on drafting what was accepted but not drafted) and SIGKILLs the server group a
random moment later. At the end every accepted comment is drafted, none twice, and the reviews
made before the crashes are still there.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time

import pytest

from agent.config import Settings
from agent.review.service import ReviewDesk
from agent.review.store.queue import ReviewQueue
from agent.schemas import CommentIn, ReviewDecision
from tests.e2e.test_browser import _require_browser, _wait_text, browser, start_desk  # noqa: F401
from tests.ui.demo_data import ROOT, clone, demo_template

pytestmark = pytest.mark.e2e

TEXTS = ["物流太慢了，等了一个星期", "面膜敷完脸好干", "精油直接涂脸上刺痛", "客服态度好差，问了半天不回",
         "颜色和图片差好多", "收到的精华漏液了，盒子都湿了"]


def _start(data_dir, tmp_path, n: int) -> tuple[subprocess.Popen, str]:  # type: ignore[type-arg]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("REDREPLY_DATA_DIR", None)
    return start_desk(data_dir, env, tmp_path / f"server-{n}.log")


def _kill(proc: subprocess.Popen) -> None:  # type: ignore[type-arg]
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)


def test_the_app_killed_repeatedly_while_drafting_loses_nothing(tmp_path_factory, tmp_path, browser):  # noqa: F811
    _require_browser()
    data_dir = clone(demo_template(tmp_path_factory.mktemp("crash-demo")), tmp_path / "data")
    desk = ReviewDesk(Settings(data_dir=data_dir))
    desk.decide("d-05", ReviewDecision(action="approve", reviewer="before-crash"))
    comments = [CommentIn(id=f"k{i:02d}", text=f"{TEXTS[i % len(TEXTS)]} #{i}") for i in range(36)]
    desk.accept(comments, "glowskin")  # what an import in the app saves before drafting
    ids = [c.id for c in comments]
    queue = ReviewQueue(data_dir / "queue.sqlite")

    def undrafted() -> int:
        return sum(1 for i in ids if queue.get(i).status == "pending")

    rng = random.Random(7)
    progress = [undrafted()]
    for n in range(3):
        proc, url = _start(data_dir, tmp_path, n)
        try:
            browser.get(url + "/")
            _wait_text(browser, "Review queue")
            # Killed while it drafts: once this round has drafted one (on a loaded machine the desk can take
            # longer to start drafting than any fixed pause), then a random moment later.
            before, deadline = progress[-1], time.monotonic() + 60
            while 0 < undrafted() == before and time.monotonic() < deadline:
                time.sleep(0.1)
            time.sleep(rng.uniform(0.0, 1.5))
        finally:
            _kill(proc)
        progress.append(undrafted())

    proc, url = _start(data_dir, tmp_path, 3)
    try:
        browser.get(url + "/")
        _wait_text(browser, "Review queue")
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and undrafted():
            time.sleep(0.5)
    finally:
        _kill(proc)

    assert progress[0] == 36 and progress[-1] < 36, progress  # the killed servers did draft some
    items = {i: queue.get(i) for i in ids}
    assert {it.status for it in items.values()} == {"needs_review"}, progress  # every accepted comment drafted
    assert {it.version for it in items.values()} == {1}  # and each stored once: none drafted twice
    assert queue.get("d-05").status == "approved" and queue.get("d-05").decided_by == "before-crash"
