"""The insight page's section on cases: where the cases stand, which report reasons and which rungs get
content taken down, and how long that takes. Figures from agent.review.case_stats; this only draws them.
"""

import altair as alt
import pandas as pd
import streamlit as st

from agent.review.case_desk import CaseDesk
from agent.review.case_stats import (
    by_rung_and_outcome,
    due_count,
    median_takedown_h,
    success_by_reason,
    success_by_rung,
)
from agent.review.queue import ReviewQueue
from ui import shared


def render(queue: ReviewQueue) -> None:
    book = CaseDesk(shared.settings(), queue).book
    cases, events = book.cases(), book.events()
    st.subheader("Appeals as cases")
    if not cases:
        st.caption("No cases yet: a case opens when a draft carries an appeal.")
        return
    taken = median_takedown_h(cases)
    m = st.columns(4)
    m[0].metric("Open cases", sum(not c.closed for c in cases))
    m[1].metric("⏳ Due or overdue", due_count(cases, shared.now()))
    m[2].metric("Taken down", sum(c.closed for c in cases))
    m[3].metric("Median time to takedown", "—" if taken is None else f"{taken:.1f} h",
                help="From the first submission to the answer that took the content down")
    data = by_rung_and_outcome(cases)
    chart = alt.Chart(pd.DataFrame(data), title="Cases by rung and status").mark_bar().encode(
        x=alt.X("rung:N", sort=[r["rung"] for r in data], title=None), y=alt.Y("cases:Q", title=None),
        color=alt.Color("status:N", title=None), tooltip=["rung", "status", "cases"]).properties(height=260)
    st.altair_chart(chart, width="stretch")
    c = st.columns(2)
    c[0].markdown("**Success rate per report reason**")
    c[0].dataframe(pd.DataFrame(success_by_reason(events)), hide_index=True, key="cases_by_reason")
    c[1].markdown("**Success rate per rung**")
    c[1].dataframe(pd.DataFrame(success_by_rung(events)), hide_index=True, key="cases_by_rung")
