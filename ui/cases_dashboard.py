"""The insight page's section on cases: where the cases stand, which report reasons and which rungs get
content taken down, and how long that takes. Figures from agent.review.casework.case_stats; this only draws them.
"""

import altair as alt
import pandas as pd
import streamlit as st

from agent.review.desk import (
    CaseDesk,
    ReviewQueue,
    by_rung_and_outcome,
    due_count,
    median_takedown_h,
    success_by_reason,
    success_by_rung,
)
from ui import shared
from ui.i18n import t
from ui.labels import enum_cells, headers, tooltip


def render(queue: ReviewQueue) -> None:
    book = CaseDesk(shared.settings(), queue).book
    cases, events = book.cases(), book.events()
    st.subheader(t("Appeals as cases"))
    if not cases:
        st.caption(t("No cases yet: a case opens when a draft carries an appeal."))
        return
    taken = median_takedown_h(cases)
    m = st.columns(4)
    m[0].metric(t("Open cases"), sum(not c.closed for c in cases))
    m[1].metric(t("⏳ Due or overdue"), due_count(cases, shared.now()))
    m[2].metric(t("Taken down"), sum(c.closed for c in cases))
    m[3].metric(t("Median time to takedown"), "—" if taken is None else t("{hours:.1f} h", hours=taken),
                help=t("From the first submission to the answer that took the content down"))
    data = enum_cells(by_rung_and_outcome(cases), "rung", "status")
    chart = alt.Chart(pd.DataFrame(data), title=t("Cases by rung and status")).mark_bar().encode(
        x=alt.X("rung:N", sort=[r["rung"] for r in data], title=None), y=alt.Y("cases:Q", title=None),
        color=alt.Color("status:N", title=None), tooltip=tooltip("rung", "status", "cases")).properties(height=260)
    st.altair_chart(chart, width="stretch")
    c = st.columns(2)
    c[0].markdown(t("**Success rate per report reason**"))
    by_reason = success_by_reason(events)
    c[0].dataframe(pd.DataFrame(by_reason), hide_index=True, key="cases_by_reason",
                   column_config=headers(by_reason[0]) if by_reason else None)
    c[1].markdown(t("**Success rate per rung**"))
    by_rung = enum_cells(success_by_rung(events), "rung")
    c[1].dataframe(pd.DataFrame(by_rung), hide_index=True, key="cases_by_rung",
                   column_config=headers(by_rung[0]) if by_rung else None)
