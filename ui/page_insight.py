"""Insight: volume, severity and violations over time, approval rate, reviewer edits, time to decision."""

import altair as alt
import pandas as pd
import streamlit as st

from agent.review.analytics import (
    approval_rate,
    decision_times,
    edit_rows,
    edit_summary,
    severity_over_time,
    violations_over_time,
    volume_by_source,
)
from agent.review.authors import MIN_NOTES, block_candidates
from agent.review.table import STATUSES, status_counts
from ui import cases_dashboard, shared

settings = shared.settings()
desk = shared.desk()
items = desk.queue.items()
decisions = desk.queue.decisions()
window = settings.response_window_h

st.title("Insight")
if not items:
    st.info("No comments yet.")
    st.stop()

rate = approval_rate(items)
edits = edit_rows(decisions)
summary = edit_summary(edits)
times = decision_times(items, window)
counts = status_counts(items, shared.now(), window)
m = st.columns(5)
m[0].metric("Comments", len(items))
m[1].metric("Open severity 3", counts.get("severity3_open", 0))
m[2].metric("Overdue", counts.get("overdue", 0))
m[3].metric("Approval rate", "—" if rate["rate"] is None else f"{rate['rate']:.0%}",
            help=f"{rate['approved']} approved of {rate['decided']} decided")
m[4].metric("Mean edit distance", "—" if summary["mean"] is None else f"{summary['mean']:.2f}",
            help="How much reviewers change drafts before approving (0 = unchanged, 1 = rewritten): "
                 "the quality signal of the drafts")


def bar(data: list[dict], x: str, y: str, colour: str | None = None, title: str = "") -> alt.Chart:  # type: ignore[type-arg]
    enc = {"x": alt.X(x, title=None), "y": alt.Y(y, title=None), "tooltip": list(data[0].keys())}
    if colour:
        enc["color"] = alt.Color(colour, title=None)
    return alt.Chart(pd.DataFrame(data), title=title).mark_bar().encode(**enc).properties(height=260)


c = st.columns(2)
with c[0]:
    data = volume_by_source(items)
    if data:
        st.altair_chart(bar(data, "source:N", "comments:Q", "source:N", "Volume by source"), width="stretch")
with c[1]:
    data = severity_over_time(items)
    if data:
        chart = bar(data, "day:O", "comments:Q", "severity:N", "Severity over time").encode(
            color=alt.Color("severity:N", scale=alt.Scale(domain=["S1", "S2", "S3"],
                                                         range=["#9ecae1", "#f5a623", "#e4572e"]), title=None))
        st.altair_chart(chart, width="stretch")

c = st.columns(2)
with c[0]:
    data = violations_over_time(items)
    if data:
        st.altair_chart(bar(data, "day:O", "comments:Q", "violation:N", "Violations over time"), width="stretch")
    else:
        st.caption("No platform-rule violations so far.")
with c[1]:
    status = [{"status": s, "items": n} for s, n in counts.items()
              if s in STATUSES]
    st.altair_chart(bar(status, "status:N", "items:Q", "status:N", "Items by status"), width="stretch")

st.subheader("How much reviewers edit the drafts")
if edits:
    frame = pd.DataFrame(edits)
    st.caption(f"{summary['approvals']} approval(s) · {summary['edited_share']:.0%} edited · mean normalised "
               f"edit distance {summary['mean']:.2f}")
    hist = alt.Chart(frame, title="Normalised edit distance, draft → approved").mark_bar().encode(
        x=alt.X("edit_distance:Q", bin=alt.Bin(extent=[0, 1], step=0.1), title="edit distance"),
        y=alt.Y("count():Q", title="approvals"), tooltip=["count():Q"]).properties(height=240)
    c = st.columns(2)
    c[0].altair_chart(hist, width="stretch")
    per = frame.groupby("reviewer", as_index=False)["edit_distance"].mean()
    c[1].altair_chart(bar(per.to_dict("records"), "reviewer:N", "edit_distance:Q", None, "Mean edit by reviewer"),
                      width="stretch")
else:
    st.caption("No approvals yet.")

st.subheader(f"Time to decision against the {window}-hour window")
if times:
    frame = pd.DataFrame(times)
    within = frame["within_window"].mean()
    st.caption(f"{len(times)} decided · {within:.0%} within {window} h · median {frame['hours'].median():.1f} h")
    points = alt.Chart(frame).mark_bar().encode(
        x=alt.X("hours:Q", bin=alt.Bin(step=6), title="hours from comment to decision"),
        y=alt.Y("count():Q", title="items"),
        color=alt.Color("within_window:N", title=f"within {window} h",
                        scale=alt.Scale(domain=[True, False], range=["#4c9f70", "#e4572e"])))
    rule = alt.Chart(pd.DataFrame({"hours": [window]})).mark_rule(strokeDash=[6, 4], color="#e4572e").encode(
        x="hours:Q")
    st.altair_chart((points + rule).properties(height=240), width="stretch")
else:
    st.caption("No decisions yet.")

st.subheader("Authors to consider blocking (拉黑)")
candidates = block_candidates(items)
if candidates:
    st.caption(f"Authors whose comments were triaged as attacks or floods under {MIN_NOTES} or more notes, across "
               "imports, matched by user id or creator hash (never by a masked nickname). The comment ids are the "
               "reason to check; a person blocks on the platform.")
    st.dataframe(pd.DataFrame([c.row() for c in candidates]), hide_index=True, key="block_candidates")
else:
    st.caption(f"No author has posted attacks or floods under {MIN_NOTES} or more notes.")

cases_dashboard.render(desk.queue)
