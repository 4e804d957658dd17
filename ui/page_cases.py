"""Cases: each appeal followed up the escalation ladder. Due and overdue rungs first (⏳); each case's
current draft is copy-ready; the buttons record what a person did on the platform. Nothing is submitted
from here: RedReply drafts and keeps the deadlines, a person acts.
"""

import pandas as pd
import streamlit as st

from agent.cases.rules import RESULTS, checklist_for, track_rungs, truthful_reasons
from agent.drafting.ladder import checklist_text
from agent.errors import UserError
from agent.review.desk import CaseDesk, desk_rows, due_count
from ui import shared
from ui.check_text import check_detail
from ui.i18n import label, labeler, t
from ui.labels import enum_cells, headers, when
from ui.plan_text import fallback_text, own_words
from ui.service_text import service_text

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
            extortion = cases_desk.book.get(case_id).track == "extortion"  # one report, no second reason
            cases_desk.escalate(case_id, who, reason=None if extortion or reason in (None, "best true reason")
                                else reason)
        elif action == "checklist":
            cases_desk.tick(case_id, st.session_state.get("case_done") or [], who)
        shared.flash("success", t("{case}: {action} recorded by {name}", case=case_id, action=label(action), name=who))
    except UserError as e:
        shared.flash("error", service_text(str(e)))


st.title(t("Cases"))
st.caption(t("A person submits each step on the platform (or by mail, or through the lawyer) and records the answer "
             "here. RedReply drafts the next rung and keeps its deadline; it never submits anything."))
cases = cases_desk.book.cases(open_only=not st.toggle(t("Show closed cases"), key="cases_closed"))
now = shared.now()
if not cases:
    st.info(t("No cases yet: a case opens when a draft carries an appeal."))
    st.stop()

m = st.columns(3)
m[0].metric(t("Cases"), len(cases))
m[1].metric(t("⏳ Due or overdue"), due_count(cases, now))
m[2].metric(t("Waiting for a person"), sum(c.status in ("drafted", "rejected", "no_answer") and not c.closed
                                           for c in cases))
rows = [{**r, "deadline": when(r["deadline"], relative=False) if r["deadline"] else ""}  # the team's time zone
        for r in desk_rows(cases, now)]
st.dataframe(pd.DataFrame(enum_cells(rows, "rung", "status", "reason", "next")), hide_index=True, key="cases_table",
             column_config=headers(rows[0]) if rows else None)

labels = {r["id"]: f"{r['due'] or '·'} {r['id']} — {label(r['rung'])} · {label(r['status'])}" for r in rows}
case_id = st.selectbox(t("Case"), list(labels), format_func=labels.__getitem__, key="case_pick")
case = cases_desk.book.get(case_id)
rung = label(case.rung)
st.subheader(f"{case.id} · {rung} · {label(case.status)}")
if case.track == "extortion":  # its own steps, apart from the ladder: the police, not the platform's channels
    st.warning(t("Extortion: its own track, not the ladder: {steps}",
                 steps=" → ".join(label(r) for r in track_rungs(case.track))))
st.caption(t("{brand} · {kind} of {n} ({members}) · reason {reason} · tried {tried} · deadline {deadline}",
             brand=case.brand, kind=label(case.kind), n=len(case.members), members=", ".join(case.members[:8]),
             reason=label(case.reason), tried=", ".join(label(r) for r in case.tried) or "—",
             deadline=when(case.due_at, relative=False)))

text = cases_desk.current_draft(case)
st.markdown(t("**Draft for {rung}** (copy it, fill the 【待确认】 blanks, submit it yourself)", rung=rung))
st.code(text or t("(no draft)"), language=None, wrap_lines=True)
for check in cases_desk.checks(text, case):
    (st.success if check.passed else st.warning)(f"{label(check.name)}: {t('ok') if check.passed else check_detail(check)}")
for note in cases_desk.reviewer_notes(case):  # for the person filing: never part of the text to paste
    st.info(t("For you, not to paste: {note}", note=own_words(note)))
written = cases_desk.draft_record(case)
if written is not None and written.model:  # who wrote the draft, and why the offline template stood in
    st.caption(t("Written by {model}", model=label(written.model)) + (
        " · " + t("the offline template stood in: {why}", why=fallback_text(written.fallback)) if written.fallback else ""))
if written is not None and written.rejected is not None:
    with st.expander(t("The model's draft, not offered: it failed a hard check")):
        st.code(written.rejected.text, language=None, wrap_lines=True)
        for failed in written.rejected.failed_checks:
            st.warning(f"{label(failed.name)}: {check_detail(failed)}")
for draft in cases_desk.book.drafts(case.id):
    if draft.kind == "recovery":
        st.markdown(t("**Recovery note** (review it like any draft before posting)"))
        st.code(draft.text, language=None, wrap_lines=True)

shown_as = labeler()  # the options' labels, in this run's language
c = st.columns(4)
c[0].button(t("Record: submitted"), key="case_submit", on_click=record, args=("submit", case.id),
            disabled=case.status != "drafted" or case.closed)
c[1].selectbox(t("Answer"), RESULTS, key="case_result", format_func=shown_as)
c[1].button(t("Record the answer"), key="case_outcome", on_click=record, args=("outcome", case.id),
            disabled=case.closed)
BEST, best = "best true reason", t("best true reason")  # the option's value (record() reads it), its label
c[2].selectbox(t("Second report reason"), [BEST, *truthful_reasons(case.violations, case.cluster)],
               key="case_reason", format_func=lambda r: best if r == BEST else shown_as(r),
               disabled=case.track == "extortion")  # extortion is reported once, then goes to the police
c[2].button(t("Escalate: draft the next rung"), key="case_escalate", on_click=record, args=("escalate", case.id),
            disabled=case.closed)
c[3].multiselect(t("Evidence fixed"), [k for k in checklist_for(case.cluster, case.track) if k not in case.checklist],
                 key="case_done", format_func=shown_as, placeholder=t("Choose options"))
c[3].button(t("Tick"), key="case_tick", on_click=record, args=("checklist", case.id))

with st.expander(t("Evidence-fixing checklist (the lawyer's brief, or extortion's police report, waits for all of it)")):
    st.text(own_words(checklist_text(case)))
with st.expander(t("Audit trail")):
    events = [e.model_dump() for e in cases_desk.book.events(case.id)]
    st.dataframe(pd.DataFrame(enum_cells(events, "action", "rung", "reason")), hide_index=True, key="case_audit",
                 column_config=headers(events[0]) if events else None)
