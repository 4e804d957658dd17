"""The cases page through AppTest: cases of the demo queue's appeals, due first; recording a submission, an
answer and an escalation; a rule broken is an error shown, nothing recorded; the insight page's case section."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from agent.review.casework.case_desk import CaseDesk
from tests.ui.demo_data import APP

pytestmark = pytest.mark.slow


def cases_page() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    at.switch_page("page_cases.py").run()
    assert not at.exception, at.exception
    return at


def test_cases_page_records_the_ladder(ui_settings):
    at = cases_page()
    ids = list(at.dataframe[0].value["id"])
    assert ids, "the demo queue's appeals should have opened cases"
    case_id = at.selectbox(key="case_pick").value
    at.button(key="case_escalate").click().run()  # not submitted yet: refused, nothing recorded
    assert "not submitted yet" in " | ".join(e.value for e in at.error)
    at.button(key="case_submit").click().run()
    at.selectbox(key="case_result").set_value("rejected")
    at.button(key="case_outcome").click().run()
    at.button(key="case_escalate").click().run()
    assert not at.exception, at.exception
    case = CaseDesk(ui_settings).book.get(case_id)
    assert case.rung != "platform_report" and case.status == "drafted"
    assert [e.action for e in CaseDesk(ui_settings).book.events(case_id)] == ["open", "submit", "outcome", "escalate"]
    assert any("【" in c.value for c in at.code)  # the new rung's draft, copy-ready


def test_an_extortion_case_shows_its_own_track(ui_settings):
    at = cases_page()
    kinds = dict(zip(at.dataframe[0].value["id"], at.dataframe[0].value["kind"], strict=True))
    assert kinds["d-12"] == "extortion"  # the demo's money-for-deletion demand
    at.selectbox(key="case_pick").set_value("d-12").run()
    assert any("evidence_preserved → police_report → legal_brief" in w.value for w in at.warning)
    assert "dm_records" in at.multiselect(key="case_done").options


def test_insight_shows_the_case_figures(ui_settings):
    at = cases_page()
    at.switch_page("page_insight.py").run()
    assert not at.exception, at.exception
    assert any(s.value == "Appeals as cases" for s in at.subheader)
