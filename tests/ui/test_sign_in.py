"""Sign-in through AppTest: anonymous visitors see only the sign-in; roles show in the buttons and the service
refuses anyway; wrong password, disabled account and expired session each get one clear message."""

from __future__ import annotations

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

from agent.review.service import ReviewDesk
from agent.review.team.accounts import Accounts
from agent.review.team.roles import PermissionDenied
from agent.schemas import ReviewDecision
from tests.ui.demo_data import APP

pytestmark = pytest.mark.slow
PASSWORD = "password-123"


@pytest.fixture
def accounts(ui_settings):
    a = Accounts(ui_settings.queue_path)
    a.add("ada", "admin", PASSWORD)
    a.add("sue", "suggester", PASSWORD, ("glowskin",))
    a.add("amy", "approver", PASSWORD, ("glowskin",), "zh_Hant")
    return a


def run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, at.exception
    return at


def signed_in(name: str, password: str = PASSWORD) -> AppTest:
    at = run(AppTest.from_file(str(APP), default_timeout=120))
    at.text_input(key="sign_in_name").set_value(name)
    at.text_input(key="sign_in_password").set_value(password)
    at.button[0].click()
    return run(at)


def test_local_admin_on_loopback_without_accounts(ui_settings):
    at = run(AppTest.from_file(str(APP), default_timeout=120))
    assert any("Local admin" in i.value for i in at.sidebar.info)
    assert at.dataframe(key="queue_table") is not None


def test_beyond_loopback_without_accounts_asks_for_one(ui_settings):
    config.set_option("server.address", "0.0.0.0")
    at = run(AppTest.from_file(str(APP), default_timeout=120))
    assert "redreply users add" in at.warning[0].value
    assert not at.dataframe and not at.text_input


def test_anonymous_sees_only_the_sign_in(accounts):
    at = run(AppTest.from_file(str(APP), default_timeout=120))
    assert [w.key for w in at.text_input] == ["sign_in_name", "sign_in_password"]
    assert not at.dataframe and not at.sidebar.selectbox and at.title[0].value == "RedReply · sign in"


def test_wrong_password_and_disabled_account(accounts):
    at = signed_in("sue", "nope-nope")
    assert at.error[0].value == "wrong name or password" and not at.dataframe
    accounts.disable("sue")
    at = signed_in("sue")
    assert at.error[0].value == "this account is disabled: ask an admin"


def test_expired_session_asks_to_sign_in_again(accounts, monkeypatch):
    at = signed_in("amy")
    assert at.dataframe
    accounts.conn.execute("UPDATE sessions SET expires_at = 0")
    run(at)
    # amy reads the desk in 繁體: the service's refusal too
    assert at.error[0].value == "登入已過期：請重新登入" and not at.dataframe


def test_suggester_cannot_approve_button_and_service(accounts, ui_settings):
    at = signed_in("sue")
    at.query_params["item"] = "d-14"
    at.switch_page("page_item.py")
    run(at)
    assert at.button(key="approve").disabled and at.button(key="reject").disabled
    assert not at.button(key="suggest").disabled and not at.button(key="regenerate").disabled
    desk = ReviewDesk(ui_settings)
    with pytest.raises(PermissionDenied, match="suggester cannot approve"):
        desk.decide("d-14", ReviewDecision(action="approve"), actor=accounts.get("sue"))
    at.button(key="suggest").click()
    run(at)
    assert desk.queue.get("d-14").status == "needs_review"
    assert any("Suggestion saved" in s.value for s in at.success)


def test_approver_approves_as_the_account(accounts, ui_settings):
    at = signed_in("amy")
    at.query_params["item"] = "d-14"
    at.switch_page("page_item.py")
    run(at)
    assert not at.button(key="approve").disabled
    at.button(key="approve").click()
    run(at)
    item = ReviewDesk(ui_settings).queue.get("d-14")
    assert item.status == "approved" and item.decided_by == "amy"


def test_an_account_in_traditional_chinese_sees_the_queue_in_traditional(accounts):
    at = signed_in("amy")  # amy's language is zh_Hant
    assert at.title[0].value == "審核佇列"
    assert at.multiselect(key="f_status").label == "狀態"
