"""A second report's reason is one the comment shows (the words the first report was chosen on), not just one
the triage listed; when none is left, the rung is a note saying no other reason fits, with nothing to file.
Driven as a user does: the comment drafted into the queue, then `redreply case …`."""

from __future__ import annotations

import pytest

from agent.config import Settings
from agent.review.casework.case_desk import CaseDesk


@pytest.fixture
def cli(run_cli):
    return run_cli


def first_report_rejected(cli, brand: str, text: str) -> str:
    cli("draft", "--queue", "--brand", brand, "--id", "c-1", text)
    cli("case", "submit", "c-1")
    cli("case", "outcome", "c-1", "--result", "rejected")
    return cli("case", "escalate", "c-1").split("--- for you")[0]


# An insult the first report named, and a copying claim with none of the brand's marks reused: the triage
# lists an IP infringement, but nothing in the comment shows a right of the brand's taken.
@pytest.mark.parametrize("brand, text", [
    ("threadline", "设计师是抄袭狗吧，这款完全是抄的某日牌"),
    ("glowskin", "你们家设计师是抄袭狗吧，这瓶精华的包装完全是抄的大牌"),
])
def test_with_no_other_reason_the_comment_shows_the_second_report_says_so(cli, brand, text):
    second = first_report_rejected(cli, brand, text)
    assert "不建议换理由再次举报" in second and "侵犯著作权、商标权" not in second
    assert "举报理由：" not in second  # a note for the person, not a report to file
    assert "nothing to submit" in cli("case", "submit", "c-1", code=2)
    backend = cli("case", "escalate", "c-1").split("--- for you")[0]
    assert "【商家/品牌后台申诉" in backend
    assert "换理由再次举报" not in backend  # never filed, so never told as filed and rejected
    assert "平台举报（包含辱骂、人身攻击）：驳回" in backend


def test_the_second_report_skips_a_listed_reason_the_comment_does_not_show(cli):
    # The triage lists a rumor, an insult and a redirect; the comment calls the owner a cheat (the rumor
    # reported first) and writes out a WeChat id, but insults nobody in words the abuse report could quote.
    second = first_report_rejected(cli, "threadline", "这家店老板是骗子，卖假货，大家别买，加我微信 abc12345 我有正品渠道")
    assert "举报理由：垃圾广告营销、导流" in second and "微信 ab****45" in second
    assert "侮辱性用语" not in second
    case = CaseDesk(Settings()).book.get("c-1")
    assert (case.rung, case.reason) == ("second_report", "spam_redirect")


def test_a_reason_asked_for_that_the_comment_does_not_show_is_refused_in_one_line(cli):
    cli("draft", "--queue", "--brand", "threadline", "--id", "c-1", "这家店老板是骗子，卖假货，大家别买，加我微信 abc12345 我有正品渠道")
    cli("case", "submit", "c-1")
    cli("case", "outcome", "c-1", "--result", "rejected")
    err = cli("case", "escalate", "c-1", "--reason", "abuse", code=2)
    assert "nothing in the comments of case c-1 shows 'abuse'" in err
    assert CaseDesk(Settings()).book.get("c-1").rung == "platform_report"  # nothing moved
