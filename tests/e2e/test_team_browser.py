"""The team desk in a real headless Chromium: sign-in first, roles, the browser download, and 繁體.

One `redreply ui --demo` server over a prepared demo data dir, with accounts made by `redreply users add
… --password-stdin` before it starts (so it asks everybody to sign in, even on loopback). Each test opens
a fresh Streamlit session (a page load), signs in as its role and drives the desk like a person.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from agent.review.store.queue import ReviewQueue
from agent.review.team.suggestions import latest
from tests.e2e.test_browser import (
    CHROMEDRIVER,
    CHROMIUM,
    SHOTS,
    _idle,
    _require_browser,
    _wait_css,
    _wait_text,
    serve_desk,
    set_reply,
)
from tests.servers import chrome_options
from tests.ui.demo_data import ROOT, clone, demo_template
from ui.i18n import catalog

pytestmark = pytest.mark.e2e

PASSWORD = "correct-horse-42"
ITEM, ITEM_COMMENT = "d-05", "听说好多人用这个精华烂脸"
SUGGESTED = "看到你提到用后不适，我们很重视。请先停用并用清水洗净，麻烦私信我们订单号，会有专人跟进。"
APPROVED = SUGGESTED + "如仍不适请及时就医。"


def _users_add(env: dict[str, str], data_dir: Path, name: str, role: str, acting_as: str | None = None
               ) -> subprocess.Popen:  # type: ignore[type-arg]
    """`redreply users add NAME --role ROLE --password-stdin`, as the documented CLI does it."""
    run_env = {**env, "REDREPLY_ACCOUNT": acting_as} if acting_as else env
    proc = subprocess.Popen([sys.executable, "-m", "agent.cli", "--data-dir", str(data_dir), "users", "add", name,
                             "--role", role, "--password-stdin"], cwd=ROOT, env=run_env, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert proc.stdin is not None
    proc.stdin.write(PASSWORD + "\n")
    proc.stdin.close()
    return proc


def _finished(proc: subprocess.Popen) -> None:  # type: ignore[type-arg]
    assert proc.wait(timeout=60) == 0, proc.stdout.read() if proc.stdout else ""


@contextlib.contextmanager
def serve_team_desk(tmp_path_factory, name: str,
                    prepare: Callable[[Path], None] | None = None) -> Iterator[tuple[str, Path]]:
    """The demo queue (and whatever `prepare` adds to its data dir) served with three accounts: ada (admin),
    sue (suggester), amy (approver). Yields the URL and the data dir."""
    _require_browser()
    tmp = tmp_path_factory.mktemp(f"e2e-{name}")
    data_dir = clone(demo_template(tmp_path_factory.mktemp(f"e2e-{name}-demo")), tmp / "data")
    if prepare is not None:
        prepare(data_dir)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "REDREPLY_REVIEWER": "e2e-reviewer"}
    for key in ("REDREPLY_DATA_DIR", "REDREPLY_ACCOUNT", "REDREPLY_LANGUAGE"):
        env.pop(key, None)
    _finished(_users_add(env, data_dir, "ada", "admin"))  # the first account, as the local admin
    both = [_users_add(env, data_dir, "sue", "suggester", "ada"), _users_add(env, data_dir, "amy", "approver", "ada")]
    for proc in both:
        _finished(proc)
    with serve_desk(data_dir, env, tmp / "server.log") as url:
        yield url, data_dir


@pytest.fixture(scope="module")
def team_server(tmp_path_factory):
    with serve_team_desk(tmp_path_factory, "team") as served:
        yield served


@pytest.fixture(scope="module")
def downloads(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("downloads")


def open_chromium(profile: Path, downloads: Path | None = None):
    """A headless Chromium at 1440 px with its own profile (its own cookies: one person); `downloads` saves there."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = chrome_options(CHROMIUM, profile, "--window-size=1440,1500", "--force-device-scale-factor=1")
    if downloads is not None:
        opts.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                               "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    driver.set_page_load_timeout(60)
    if downloads is not None:
        # Headless Chromium ignores the download prefs unless downloads are allowed through the DevTools protocol.
        driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    return driver


@pytest.fixture(scope="module")
def browser(tmp_path_factory, downloads):
    driver = open_chromium(tmp_path_factory.mktemp("chromium-profile"), downloads)
    try:
        yield driver
    finally:
        driver.quit()


def body(driver) -> str:
    return str(driver.find_element("tag name", "body").text)


def sign_in(driver, url: str, name: str) -> None:
    """Signed out first (the session cookie would sign the last account in again), then through the form."""
    driver.get(url)
    driver.delete_all_cookies()
    driver.get(url)
    _wait_css(driver, 'input[aria-label="Password"]')
    _idle(driver)
    driver.find_element("css selector", 'input[aria-label="Name"]').send_keys(name)
    driver.find_element("css selector", 'input[aria-label="Password"]').send_keys(PASSWORD)
    button(driver, "Sign in").click()
    _wait_text(driver, f"Signed in as {name}")
    _idle(driver)


def button(driver, label: str, timeout: float = 30):
    """The button once it is on the page (a run may still be drawing the rest of it)."""
    from selenium.webdriver.support.ui import WebDriverWait

    xpath = f"//button[contains(normalize-space(.), {json.dumps(label, ensure_ascii=False)})]"
    return WebDriverWait(driver, timeout).until(lambda d: d.find_elements("xpath", xpath),
                                                f"no button '{label}'")[0]


def choose(selectbox, text: str) -> None:
    """Pick an option of an st.selectbox as a person does: type to filter, Enter takes the first match."""
    from selenium.webdriver.common.keys import Keys

    box = selectbox.find_element("css selector", "input")
    box.click()
    box.send_keys(text, Keys.ENTER)
    _idle(selectbox.parent)


def go_to_page(driver, title: str) -> None:
    """Through the sidebar's navigation: the same session (a new page load would sign out)."""
    link = next(a for a in driver.find_elements("css selector", '[data-testid="stSidebarNavLink"]')
                if a.text.strip().splitlines()[-1:] == [title])  # the icon, then the title
    link.click()
    _idle(driver)


def test_an_anonymous_visitor_sees_only_the_sign_in(team_server, browser):
    url, _ = team_server
    for path in ("/", f"/item?item={ITEM}", "/audit", "/knowledge"):
        browser.get(url + path)
        _wait_css(browser, 'input[aria-label="Password"]')
        _idle(browser)
        text = body(browser)
        assert "RedReply · sign in" in text
        assert ITEM_COMMENT not in text and "Review queue" not in text and ITEM not in text
        assert not browser.find_elements("css selector", '[data-testid="stDataFrame"], textarea, '
                                                         '[data-testid="stSidebarNavLink"]')


def test_a_suggester_edits_a_draft_and_has_no_working_approve(team_server, browser):
    url, data_dir = team_server
    sign_in(browser, f"{url}/item?item={ITEM}", "sue")  # a link to the item: it opens after the sign-in
    _wait_text(browser, f"{ITEM} · needs_review")
    assert ITEM_COMMENT in body(browser)
    set_reply(browser, SUGGESTED)
    approve = button(browser, "Approve")
    assert not approve.is_enabled() and not button(browser, "Reject").is_enabled()
    browser.execute_script("arguments[0].click()", approve)  # even a forced click does nothing
    button(browser, "Save as a suggestion").click()
    _wait_text(browser, "Suggestion saved for an approver")

    queue = ReviewQueue(data_dir / "queue.sqlite")
    assert queue.get(ITEM).status == "needs_review" and queue.decisions(ITEM) == []
    suggestion = latest(queue, ITEM)
    assert suggestion is not None and (suggestion.account, suggestion.reply_text) == ("sue", SUGGESTED)


def test_an_approver_approves_downloads_the_file_and_reads_the_desk_in_traditional(team_server, browser, downloads):
    url, data_dir = team_server
    sign_in(browser, f"{url}/item?item={ITEM}", "amy")
    _wait_text(browser, f"{ITEM} · needs_review")
    set_reply(browser, APPROVED)
    button(browser, "Approve").click()
    _wait_text(browser, f"{ITEM} approved by amy")
    queue = ReviewQueue(data_dir / "queue.sqlite")
    assert (queue.get(ITEM).status, queue.get(ITEM).decided_by) == ("approved", "amy")

    # The download reaches this computer: Chromium saves it, and the file holds the approved reply.
    go_to_page(browser, "Audit & export")
    _wait_text(browser, "Download to this computer")
    button(browser, "Download JSON").click()
    saved = downloads / "approved.json"
    deadline = time.monotonic() + 30
    while not saved.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    rows = json.loads(saved.read_text(encoding="utf-8"))
    assert [(r["id"], r["reply"], r["decided_by"]) for r in rows] == [(ITEM, APPROVED, "amy")]

    # 繁體: the language selector, then the queue and an item with no English label left.
    select = next(s for s in browser.find_elements("css selector", '[data-testid="stSelectbox"]')
                  if "Language" in s.text)
    choose(select, "繁體中文")
    _wait_text(browser, "已登入：amy")
    _idle(browser)
    go_to_page(browser, "佇列")
    _wait_text(browser, "審核佇列")
    _wait_css(browser, '[data-testid="stDataFrame"] canvas')
    _idle(browser)
    time.sleep(1.0)  # the grid paints on a canvas after the run
    SHOTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(SHOTS / "queue-zh_Hant.png"))
    assert english_labels(body(browser), data_dir) == set()
    go_to_page(browser, "條目")  # the approved item, then the next one, still to review: its buttons and boxes
    _wait_text(browser, f"{ITEM} · 已通過")
    _wait_text(browser, "分診")
    assert english_labels(body(browser), data_dir, ITEM) == set()
    button(browser, "上一條").click()  # decided items sort last: the one before is still to review
    _wait_text(browser, "重新生成的要求")
    _idle(browser)
    shown, status = browser.find_element("css selector", "h1").text.split(" · ")
    assert shown != ITEM and status == "待審核"
    assert english_labels(body(browser), data_dir, shown) == set()


# Words of the msgids that are names, not English to translate: the product, formats, settings, tools.
NAMES = {"redreply", "csv", "json", "jsonl", "mediacrawler", "spider_xhs", "xhs", "api", "user", "glowskin", "posted_at",
         "id", "ids"}


WORD = re.compile(r"[A-Za-z_]{2,}")


def english_labels(text: str, data_dir: Path, item_id: str | None = None) -> set[str]:
    """English words of the desk's own msgids on the page. Data values are left out: the data dir, the model,
    file paths, and the words of the item's own texts (comment, triage signals, sources, drafts, evidence)."""
    words = {w.lower() for m in catalog("zh_Hant") for w in WORD.findall(re.sub(r"\{[^}]*\}", "", m))
             if w.lower() not in NAMES and not w.isupper()}
    text = text.replace(str(data_dir), " ")  # the data dir is data (the offline drafter is named in the desk's words)
    text = text.replace("Skip to main content", " ")  # Streamlit's own accessibility link, not the desk's
    # The select box's screen-reader announcement ("3 options available."), left behind after choosing.
    text = re.sub(r"\d+ results? available|\d+ options? available|option \S+ (?:focused|selected)[^.\n]*", " ", text)
    text = re.sub(r"\S*/\S*", " ", text)  # knowledge file paths of the cited sources
    text = re.sub(r"\b(?:cluster|item):[\w-]+", " ", text)  # case ids ("cluster:d-09") are data, like item ids
    text = re.sub(r"\b[a-z]+-\d+\b", " ", text)  # item ids ("spam-07") in the desk's messages
    data = {w.lower() for w in WORD.findall(" ".join(item_texts(data_dir, item_id)))} if item_id else set()
    return {w for w in WORD.findall(text) if w.lower() in words and w.lower() not in data}


def item_texts(data_dir: Path, item_id: str) -> list[str]:
    """The free texts of an item (not its enum values, nor its checks' wording: those the desk must show translated)."""
    item = ReviewQueue(data_dir / "queue.sqlite").get(item_id)
    r = item.result
    texts = [item.comment.text, item.final_reply or "", item.final_appeal or "", item.comment.author or "",
             item.comment.note_title or ""]
    if item.comment.context is not None:
        texts += [m.text for m in item.comment.context.thread] + [m.author or "" for m in item.comment.context.thread]
        texts += [item.comment.context.note.title or ""] if item.comment.context.note else []
    if r is not None:
        texts += [r.triage.rationale or "", *r.triage.signals, r.reply.text, json.dumps(r.evidence.order or {})]
        texts += [f"{s.title} {s.passage}" for s in r.sources] + [s.title for s in r.sources]
        # A failed check's name and detail are the desk's own words: only the values its findings quote are data.
        texts += [v for c in r.checks for f in c.findings for v in f.values.values()]
        if r.appeal:
            texts += [r.appeal.explanation, r.appeal.reason_label, *r.appeal.evidence_checklist, *r.appeal.next_steps]
    return texts


# Characters only Simplified Chinese writes: none of the desk's own 繁體 text may hold one.
SIMPLIFIED_ONLY = set("据审个与为这说读会时间处条发从们后评论账号认应实过还么议")


def simplified_lines(driver, data_dir: Path, item_id: str | None = None) -> list[str]:
    """Lines of the page holding a Simplified-only character that are not the item's own texts (the comment, the
    draft, a passage quoted as it was written) nor a text to copy (a case rung's draft, in a code block)."""
    text = body(driver)
    for block in driver.find_elements("css selector", '[data-testid="stCode"]'):
        text = text.replace(block.text, " ")
    data = [t for t in item_texts(data_dir, item_id) if len(t) >= 4] if item_id else []
    return [line for line in text.splitlines() if set(line) & SIMPLIFIED_ONLY
            and not any(line in d or d in line for d in data)]
