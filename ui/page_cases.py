"""Cases: each appeal followed up the escalation ladder. Due and overdue rungs first (⏳); each case's
current draft is copy-ready; the buttons record what a person did on the platform. Nothing is submitted
from here: RedReply drafts and keeps the deadlines, a person acts.
"""

import pandas as pd
import streamlit as st

from agent.drafting.ladder import checklist_text
from agent.errors import UserError
from agent.review.case_desk import CaseDesk
from agent.review.case_rules import RESULTS, RUNGS, checklist_for, truthful_reasons
from agent.review.case_stats import desk_rows, due_count
from ui import shared
from ui.i18n import t

settings = shared.settings()
cases_desk = CaseDesk(settings, shared.desk().queue, client=shared.desk().client)  # the desk's model drafts rungs
if not st.session_state.get("cases_backfilled"):
    cases_desk.open_missing()  # appealed drafts stored before cases existed get theirs, once per session
    st.session_state["cases_backfilled"] = True


def record(action: str, case_id: str) -> None:
    """One button's transition; a rule it breaks is shown as the case book words it, and nothing is recorded."""
    who = shared.reviewer()
    try:
        if action == "submit":
            cases_desk.submit(case_id, who)
        elif action == "outcome":
            cases_desk.outcome(case_id, st.session_state["case_result"], who)
        elif action == "escalate":
            reason = st.session_state.get("case_reason")
            cases_desk.escalate(case_id, who, reason=None if reason in (None, "best true reason") else reason)
        elif action == "checklist":
            cases_desk.tick(case_id, st.session_state.get("case_done") or [], who)
        shared.flash("success", f"{case_id}: {action} recorded by {who}")
    except UserError as e:
        shared.flash("error", str(e))


st.title("Cases")
st.caption("A person submits each step on the platform (or by mail, or through the lawyer) and records the "
           "answer here. RedReply drafts the next rung and keeps its deadline; it never submits anything.")
cases = cases_desk.book.cases(open_only=not st.toggle("Show closed cases", key="cases_closed"))
now = shared.now()
if not cases:
    st.info("No cases yet: a case opens when a draft carries an appeal.")
    st.stop()

m = st.columns(3)
m[0].metric("Cases", len(cases))
m[1].metric("⏳ Due or overdue", due_count(cases, now))
m[2].metric("Waiting for a person", sum(c.status in ("drafted", "rejected", "no_answer") and not c.closed
                                        for c in cases))
rows = desk_rows(cases, now)
st.dataframe(pd.DataFrame(rows), hide_index=True, key="cases_table")

labels = {r["id"]: f"{r['due'] or '·'} {r['id']} — {r['step']} · {r['status']}" for r in rows}
case_id = st.selectbox("Case", list(labels), format_func=labels.__getitem__, key="case_pick")
case = cases_desk.book.get(case_id)
st.subheader(f"{case.id} · {RUNGS[case.rung].label} · {case.status}")
st.caption(f"{case.brand} · {case.kind} of {len(case.members)} ({', '.join(case.members[:8])}) · reason "
           f"{case.reason} · tried {', '.join(case.tried) or '—'} · deadline {case.due_at or '—'}")

text = cases_desk.current_draft(case)
st.markdown(f"**Draft for {RUNGS[case.rung].label}** (copy it, fill the 【待确认】 blanks, submit it yourself)")
st.code(text or "(no draft)", language=None, wrap_lines=True)
for check in cases_desk.checks(text):
    (st.success if check.passed else st.warning)(f"{check.name}: {'ok' if check.passed else check.detail}")
written = cases_desk.draft_record(case)
if written is not None and written.model:  # who wrote the draft, and why the offline template stood in
    st.caption(t("Written by {model}", model=written.model) + (
        " · " + t("the offline template stood in: {why}", why=written.fallback) if written.fallback else ""))
if written is not None and written.rejected is not None:
    with st.expander(t("The model's draft, not offered: it failed a hard check")):
        st.code(written.rejected.text, language=None, wrap_lines=True)
        for failed in written.rejected.failed_checks:
            st.warning(f"{failed.name}: {failed.detail}")
for draft in cases_desk.book.drafts(case.id):
    if draft.kind == "recovery":
        st.markdown("**Recovery note** (review it like any draft before posting)")
        st.code(draft.text, language=None, wrap_lines=True)

c = st.columns(4)
c[0].button("Record: submitted", key="case_submit", on_click=record, args=("submit", case.id),
            disabled=case.status != "drafted" or case.closed)
c[1].selectbox("Answer", RESULTS, key="case_result")
c[1].button("Record the answer", key="case_outcome", on_click=record, args=("outcome", case.id),
            disabled=case.closed)
c[2].selectbox("Second report reason", ["best true reason", *truthful_reasons(case.violations, case.cluster)],
               key="case_reason")
c[2].button("Escalate: draft the next rung", key="case_escalate", on_click=record, args=("escalate", case.id),
            disabled=case.closed)
c[3].multiselect("Evidence fixed", [k for k in checklist_for(case.cluster) if k not in case.checklist],
                 key="case_done")
c[3].button("Tick", key="case_tick", on_click=record, args=("checklist", case.id))

with st.expander("Evidence-fixing checklist (the lawyer's brief waits for all of it)"):
    st.text(checklist_text(case))
with st.expander("Audit trail"):
    st.dataframe(pd.DataFrame([e.model_dump() for e in cases_desk.book.events(case.id)]), hide_index=True,
                 key="case_audit")
