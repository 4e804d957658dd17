"""A team's working day in a real headless Chromium: a suggestion reaching the approver, a sign-in that lasts
a reload (and an expired cookie that doesn't), bulk work over 50 spam rows, and the 繁體 desk with no English
or Simplified word of its own.

Its own server over the demo queue plus 50 drafted spam comments, with accounts from `redreply users add`.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from agent.config import Settings
from agent.review.service import ReviewDesk
from agent.review.store.queue import ReviewQueue
from agent.review.team.accounts import Accounts
from agent.review.team.session_tokens import COOKIE, desk_key, issue
from agent.schemas import CommentIn
from tests.e2e.test_browser import _idle, _wait_css, _wait_text, set_reply
from tests.e2e.test_team_browser import (
    PASSWORD,
    body,
    browser,
    button,
    choose,
    downloads,
    english_labels,
    go_to_page,
    open_chromium,
    serve_team_desk,
    sign_in,
    simplified_lines,
)

pytestmark = pytest.mark.e2e
__all__ = ["browser", "downloads"]  # the module's browser fixtures, shared

SPAM = [CommentIn(id=f"spam-{i:02d}", text=f"加我vx领取{i}元优惠券，私我有惊喜") for i in range(50)]
ITEM = "d-03"
SUGGESTED = "抱歉让你失望了，我们会认真看你的反馈，麻烦私信我们订单号，专人帮你处理。"


def click(driver, label: str, timeout: float = 60) -> None:
    """Click a button once the page has drawn it enabled: a button drawn by an earlier run may still be on the
    page, disabled or bound to what that run saw, while the run the last action asked for is drawing its own."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    xpath = f"//button[contains(normalize-space(.), {json.dumps(label, ensure_ascii=False)})]"

    def clicked(d) -> bool:
        try:
            found = [b for b in d.find_elements("xpath", xpath) if b.is_enabled()]
            if found:
                found[0].click()
            return bool(found)
        except StaleElementReferenceException:  # redrawn between the look and the click: look again
            return False

    WebDriverWait(driver, timeout, poll_frequency=0.2).until(clicked, f"button '{label}' never enabled")
    _idle(driver)


def _draft_spam(data_dir: Path) -> None:
    desk = ReviewDesk(Settings(data_dir=data_dir))
    desk.accept(SPAM, "glowskin")
    desk.draft_all([c.id for c in SPAM], concurrency=2)
    desk.close()


@pytest.fixture(scope="module")
def day_server(tmp_path_factory):
    with serve_team_desk(tmp_path_factory, "day", _draft_spam) as served:
        yield served


@pytest.fixture(scope="module")
def second_browser(tmp_path_factory):
    """A second person's browser beside the first: its own profile, so its own cookie and session."""
    driver = open_chromium(tmp_path_factory.mktemp("chromium-profile-2"))
    try:
        yield driver
    finally:
        driver.quit()


def selectbox(driver, label: str):
    return next(s for s in driver.find_elements("css selector", '[data-testid="stSelectbox"]') if label in s.text)


def test_an_admin_assigns_an_item_its_reviewer_finds_it_as_theirs_and_sees_who_has_it_open(
        day_server, browser, second_browser):
    url, data_dir = day_server
    queue = ReviewQueue(data_dir / "queue.sqlite")
    target = next(i.id for i in queue.items() if i.status == "needs_review" and i.id.startswith("d-") and i.id != ITEM)
    accounts = Accounts(data_dir / "queue.sqlite")
    accounts.add("bob", "suggester", PASSWORD)

    # ada, the admin, assigns the item to sue from its page.
    sign_in(browser, f"{url}/item?item={target}", "ada")
    _wait_text(browser, f"{target} · needs_review")
    choose(selectbox(browser, "Assign to"), "sue")
    click(browser, "Assign")
    _wait_text(browser, "Assigned to sue")
    assert queue.get(target).assignee == "sue"

    # bob is disabled between ada choosing him and her click: the assignment is refused in one line, sue keeps it.
    choose(selectbox(browser, "Assign to"), "bob")
    accounts.disable("bob")
    click(browser, "Assign")
    _wait_text(browser, "account bob is disabled: assign the item to an active account")
    assert queue.get(target).assignee == "sue"

    # sue, in her own browser: "Assigned to me" leaves her item alone in the queue, and its page says it is hers
    # and that ada has it open.
    sign_in(second_browser, url, "sue")
    second_browser.find_element("xpath", "//label[contains(., 'Assigned to me')]").click()
    _wait_text(second_browser, "1 of ")
    click(second_browser, "Open")  # the one row the queue shows her, opened
    _wait_text(second_browser, f"{target} · needs_review")
    _wait_text(second_browser, "Assigned to you")
    _wait_text(second_browser, "Also open now by ada")

    # ada's page, left open, learns that sue has opened the item too (no reload: the page checks on its own).
    _wait_text(browser, "Also open now by sue", timeout=60)


def test_a_suggestion_reaches_the_approver_and_use_and_approve_keeps_both_texts(day_server, browser):
    url, data_dir = day_server
    queue = ReviewQueue(data_dir / "queue.sqlite")
    draft = queue.get(ITEM).result.reply.text
    sign_in(browser, f"{url}/item?item={ITEM}", "sue")
    _wait_text(browser, f"{ITEM} · needs_review")
    set_reply(browser, SUGGESTED)
    _idle(browser)
    assert "sue is a suggester" in body(browser)  # the disabled approve says why
    button(browser, "Save as a suggestion").click()
    _wait_text(browser, "Suggestion saved for an approver")

    sign_in(browser, f"{url}/item?item={ITEM}", "amy")
    _wait_text(browser, "sue suggested at")
    button(browser, "Use and approve").click()
    _wait_text(browser, f"{ITEM} approved by amy")
    last = queue.decisions(ITEM)[-1]
    assert (last.reviewer, last.draft_reply, last.final_reply) == ("amy", draft, SUGGESTED)
    assert last.suggestion_seq is not None and queue.get(ITEM).final_reply == SUGGESTED


def test_a_reload_keeps_the_session_and_an_expired_cookie_does_not(day_server, browser):
    url, data_dir = day_server
    sign_in(browser, url, "amy")
    from selenium.webdriver.support.ui import WebDriverWait

    cookie = WebDriverWait(browser, 30).until(lambda d: d.get_cookie(COOKIE), "the server set no session cookie")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"  # set by the server: no script on the page reads it
    assert COOKIE not in browser.execute_script("return document.cookie")
    browser.get(f"{url}/item?item=d-06")  # a reload, through a link
    _wait_text(browser, "Signed in as amy")
    _wait_text(browser, "d-06 · ")
    accounts = Accounts(data_dir / "queue.sqlite", clock=lambda: time.time() - 3 * 3600)
    expired = issue(accounts, desk_key(accounts), "amy", 3600)  # signed by this desk, ran out two hours ago
    browser.delete_all_cookies()
    browser.add_cookie({"name": COOKIE, "value": expired, "path": "/"})
    browser.get(url)
    _wait_css(browser, 'input[aria-label="Password"]')
    _wait_text(browser, "your session expired")
    browser.delete_all_cookies()
    browser.add_cookie({"name": COOKIE, "value": expired[:-2] + "00", "path": "/"})  # tampered
    browser.get(url)
    _wait_text(browser, "not valid here")


def test_fifty_spam_rows_left_in_one_bulk_action_and_one_brought_back(day_server, browser):
    url, data_dir = day_server
    sign_in(browser, url, "amy")
    _wait_css(browser, 'input[aria-label="Search"]').send_keys("spam-\n")
    _wait_text(browser, "all 50 that match the filter")
    browser.find_element("xpath", "//label[contains(., 'all 50 that match the filter')]").click()
    click(browser, "Apply")  # enabled only once the run with "all 50" on has drawn the bar
    _wait_text(browser, "Done on 50 item(s).")
    queue = ReviewQueue(data_dir / "queue.sqlite")
    assert {queue.get(c.id).status for c in SPAM} == {"left"}
    browser.get(f"{url}/item?item=spam-07")
    _wait_text(browser, "spam-07 · left")
    click(browser, "Bring it back")
    _wait_text(browser, "spam-07 is back in the queue")
    assert queue.get("spam-07").status == "needs_review"
    assert sum(queue.get(c.id).status == "left" for c in SPAM) == 49


def test_the_traditional_desk_has_no_english_word_of_its_own(day_server, browser):
    url, data_dir = day_server
    browser.get(url)
    browser.delete_all_cookies()
    browser.get(url)
    _wait_css(browser, 'input[aria-label="Password"]')
    select = next(s for s in browser.find_elements("css selector", '[data-testid="stSelectbox"]')
                  if "Language" in s.text)
    choose(select, "繁體中文")
    _wait_text(browser, "登入")
    _idle(browser)  # the rerun may still be replacing the English page
    assert english_labels(body(browser), data_dir) == set()
    browser.find_element("css selector", 'input[aria-label="帳號"]').send_keys("amy")
    browser.find_element("css selector", 'input[aria-label="密碼"]').send_keys("correct-horse-42")
    button(browser, "登入").click()
    _wait_text(browser, "已登入：amy")
    _idle(browser)
    assert english_labels(body(browser), data_dir) == set()
    assert simplified_lines(browser, data_dir) == []
    for page in ("案件", "稽核與匯出"):
        go_to_page(browser, page)
        _idle(browser)
        assert english_labels(body(browser), data_dir) == set(), page
        assert simplified_lines(browser, data_dir) == [], page

    # The service's refusals: a bulk "draft what is pending" over an item under review skips it, saying why.
    go_to_page(browser, "佇列")
    _wait_css(browser, 'input[aria-label="搜尋"]').send_keys("spam-0\n")
    _wait_text(browser, "符合篩選條件的全部 ")
    browser.find_element("xpath", "//label[contains(., '符合篩選條件的全部 ')]").click()
    _idle(browser)
    choose(next(s for s in browser.find_elements("css selector", '[data-testid="stSelectbox"]') if "批次操作" in s.text),
           "為待撰寫的產生草稿")
    click(browser, "執行")
    _wait_text(browser, "已略過 spam-0")
    assert "只為待撰寫的產生草稿" in body(browser)
    assert english_labels(body(browser), data_dir) == set()
    assert simplified_lines(browser, data_dir) == []

    # An item whose draft failed checks: their names and details, and the rest of the page, in 繁體.
    Accounts(data_dir / "queue.sqlite").set_language("amy", "zh_Hant")  # a link opens in the account's language
    queue = ReviewQueue(data_dir / "queue.sqlite")
    failing = next(i.id for i in queue.items() if i.status == "needs_review" and i.result
                   and any(c.findings for c in i.result.failed_checks))
    browser.get(f"{url}/item?item={failing}")
    _wait_text(browser, f"{failing} · 待審核")
    _wait_text(browser, "分診")
    _idle(browser)
    shown = body(browser)
    assert "✗ " in shown
    assert english_labels(shown, data_dir, failing) == set()
    left = simplified_lines(browser, data_dir, failing)
    assert not left, "\n".join(left)
