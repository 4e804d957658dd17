"""The review desk in a real headless Chromium: open an item, edit the reply, approve, export.

Starts `redreply ui --demo` on a free loopback port over a prepared demo data dir (the demo load is
then a no-op), drives Debian's Chromium with selenium, saves screenshots to docs/screenshots/.
In CI (CI=true) a missing Chromium fails the test; locally it skips.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from agent.review.store.queue import ReviewQueue
from tests.servers import chrome_options, free_port, stop, wait_up
from tests.ui.demo_data import ROOT, clone, demo_template
from ui.health import health_url, is_healthy

pytestmark = pytest.mark.e2e

CHROMIUM = os.environ.get("REDREPLY_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("REDREPLY_CHROMEDRIVER", "/usr/bin/chromedriver")
SHOTS = ROOT / "docs" / "screenshots"
EDITED = "看到你提到用后不适，我们非常重视。请先停用并用清水洗净，如仍不适请及时就医。麻烦私信我们购买凭证和具体情况，会有专人一对一跟进。"


def _require_browser() -> None:
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not (Path(p).exists() or shutil.which(p))]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("selenium (pip install selenium)")
    if missing:
        message = f"the browser test needs {', '.join(missing)} (apt-get install chromium chromium-driver)"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture
def server(tmp_path_factory, tmp_path):
    _require_browser()
    data_dir = clone(demo_template(tmp_path_factory.mktemp("e2e-demo")), tmp_path / "data")
    env = {**os.environ, "REDREPLY_REVIEWER": "e2e-reviewer", "PYTHONPATH": str(ROOT)}
    env.pop("REDREPLY_DATA_DIR", None)
    with serve_desk(data_dir, env, tmp_path / "server.log") as url:
        yield url, data_dir


def start_desk(data_dir: Path, env: dict[str, str], log: Path,
               *flags: str) -> tuple[subprocess.Popen, str]:  # type: ignore[type-arg]
    """`redreply ui` (with `flags`) on a free loopback port, in a process group of its own, once it answers:
    its process and its URL."""
    port = free_port()
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "agent.cli", "--data-dir", str(data_dir), "ui", *flags,
             "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_up(lambda: is_healthy(health_url("127.0.0.1", port)), proc, "the server", log=log)
    except BaseException:
        stop(proc, group=True)
        raise
    return proc, f"http://localhost:{port}"


@contextlib.contextmanager
def serve_desk(data_dir: Path, env: dict[str, str], log: Path) -> Iterator[str]:
    """`redreply ui --demo` on a free loopback port, until the block ends; yields its URL."""
    proc, url = start_desk(data_dir, env, log, "--demo")
    try:
        yield url
    finally:
        stop(proc, group=True)


@pytest.fixture
def browser(tmp_path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = chrome_options(CHROMIUM, tmp_path / "chromium-profile", "--window-size=1440,1500", "--lang=zh-CN",
                          "--force-device-scale-factor=1")
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def _wait_text(driver, text: str, timeout: float = 60) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, timeout).until(lambda d: text in d.find_element("tag name", "body").text,
                                         f"'{text}' never appeared")


def _wait_css(driver, selector: str, timeout: float = 60):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(lambda d: d.find_elements("css selector", selector),
                                                f"nothing matched {selector}")[0]


# Streamlit's frontend shows its "running" icon only once a run has gone on for this long (its status widget's
# delay), from the moment the click or keystroke asks for the run: an earlier look sees no run at all.
RUNNING_ICON_DELAY_S = 0.5
# Busy: the running icon or a spinner, or an element the current run has not drawn again yet (data-stale).
BUSY = ('[data-testid="stStatusWidget"] [data-testid="stSpinner"], [data-testid="stStatusWidgetRunningIcon"], '
        '[data-testid="stElementContainer"][data-stale="true"]')


def _idle(driver, timeout: float = 60) -> None:
    """Wait until Streamlit has finished the run the last action asked for: first past the delay before its
    running icon can show, then until neither the icon nor an element the run has still to redraw is left."""
    from selenium.webdriver.support.ui import WebDriverWait

    time.sleep(RUNNING_ICON_DELAY_S + 0.2)
    WebDriverWait(driver, timeout, poll_frequency=0.2).until(
        lambda d: not d.find_elements("css selector", BUSY), "the page never finished its run")
    time.sleep(0.2)


def set_reply(driver, text: str) -> None:
    """Replace the item page's reply text as a person does, and commit it (Ctrl+Enter)."""
    from selenium.webdriver.common.keys import Keys

    box = _wait_css(driver, 'textarea[aria-label="Reply"]')
    box.click()
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(Keys.BACKSPACE)
    box.send_keys(text)
    box.send_keys(Keys.CONTROL, Keys.ENTER)  # commit the text area
    _idle(driver)


def _button(driver, label: str):
    return driver.find_element("xpath", f"//button[.//p[contains(normalize-space(.), {json.dumps(label)})]]")


def _shot(driver, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SHOTS / name))


def test_review_an_item_and_export_it_in_a_real_browser(server, browser):
    url, data_dir = server

    # The queue: the demo items, most urgent first.
    browser.get(url + "/")
    _wait_text(browser, "Review queue")
    _wait_text(browser, "20 of 20 item(s)")
    _wait_css(browser, '[data-testid="stDataFrame"] canvas')
    _idle(browser)
    time.sleep(1.0)  # the grid paints on a canvas after the run
    _shot(browser, "queue.png")

    # An item opened by its link (?item=…): the comment, triage, the duplicate cluster, the reply and appeal.
    browser.get(url + "/item?item=d-09")
    _wait_text(browser, "d-09 · needs_review")
    _wait_text(browser, "Open d-10")
    _idle(browser)
    _shot(browser, "item.png")

    browser.get(url + "/item?item=d-05")
    _wait_text(browser, "d-05 · needs_review")
    _idle(browser)
    assert "听说好多人用这个精华烂脸" in browser.find_element("tag name", "body").text

    # Edit the reply, then approve.
    set_reply(browser, EDITED)
    _button(browser, "Approve").click()
    _wait_text(browser, "d-05 approved by e2e-reviewer")
    _wait_text(browser, "d-05 · approved")

    # Export the approved reply as JSON.
    browser.get(url + "/audit")
    _wait_text(browser, "Export approved replies and appeals")
    _idle(browser)
    browser.find_element("xpath", "//label[.//p[normalize-space(.)='json']]").click()
    _idle(browser)
    _button(browser, "Export approved").click()
    _wait_text(browser, "Exported 1 approved item(s)")
    _wait_text(browser, "Download approved-")

    [exported] = list((data_dir / "exports").glob("approved-*.json"))
    rows = json.loads(exported.read_text(encoding="utf-8"))
    assert [(r["id"], r["reply"], r["decided_by"]) for r in rows] == [("d-05", EDITED, "e2e-reviewer")]
    assert rows[0]["comment"].startswith("听说好多人用这个精华烂脸")
    queue = ReviewQueue(data_dir / "queue.sqlite")
    assert queue.get("d-05").status == "exported"
    [decision] = queue.decisions("d-05")
    assert decision.action == "edit" and decision.final_reply == EDITED and decision.reviewer == "e2e-reviewer"
