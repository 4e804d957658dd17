"""Insight: volume, severity and violations over time, approval rate, reviewer edits, time to decision."""

import altair as alt
import pandas as pd
import streamlit as st

from agent.review.desk import (
    MIN_NOTES,
    STATUSES,
    approval_rate,
    block_candidates,
    decision_times,
    edit_rows,
    edit_summary,
    severity_over_time,
    status_counts,
    team_zone,
    violations_over_time,
    volume_by_source,
)
from ui import cases_dashboard, shared
from ui.i18n import label, t
from ui.labels import enum_cells, headers, tooltip

settings = shared.settings()
desk = shared.desk()
items = desk.queue.items()
decisions = desk.queue.decisions()
window = settings.response_window_h
zone = team_zone(settings.team_tz)  # the days of the charts are the team's days

st.title(t("Insight"))
if not items:
    st.info(t("No comments yet."))
    st.stop()

rate = approval_rate(items)
edits = edit_rows(decisions)
summary = edit_summary(edits)
times = decision_times(items, window)
counts = status_counts(items, shared.now(), window)
m = st.columns(5)
m[0].metric(t("Comments"), len(items))
m[1].metric(t("Open severity 3"), counts.get("severity3_open", 0))
m[2].metric(t("Overdue"), counts.get("overdue", 0))
m[3].metric(t("Approval rate"), "—" if rate["rate"] is None else f"{rate['rate']:.0%}",
            help=t("{approved} approved of {decided} decided", approved=rate["approved"], decided=rate["decided"]))
m[4].metric(t("Mean edit distance"), "—" if summary["mean"] is None else f"{summary['mean']:.2f}",
            help=t("How much reviewers change drafts before approving (0 = unchanged, 1 = rewritten): the quality "
                   "signal of the drafts"))


def bar(data: list[dict], x: str, y: str, colour: str | None = None, title: str = "") -> alt.Chart:  # type: ignore[type-arg]
    enc = {"x": alt.X(x, title=None), "y": alt.Y(y, title=None), "tooltip": tooltip(*data[0].keys())}
    if colour:
        enc["color"] = alt.Color(colour, title=None)
    return alt.Chart(pd.DataFrame(data), title=title).mark_bar().encode(**enc).properties(height=260)


c = st.columns(2)
with c[0]:
    data = enum_cells(volume_by_source(items), "source")
    if data:
        st.altair_chart(bar(data, "source:N", "comments:Q", "source:N", t("Volume by source")), width="stretch")
with c[1]:
    data = severity_over_time(items, zone)
    if data:
        chart = bar(data, "day:O", "comments:Q", "severity:N", t("Severity over time")).encode(
            color=alt.Color("severity:N", scale=alt.Scale(domain=["S1", "S2", "S3"],
                                                         range=["#9ecae1", "#f5a623", "#e4572e"]), title=None))
        st.altair_chart(chart, width="stretch")

c = st.columns(2)
with c[0]:
    data = enum_cells(violations_over_time(items, zone), "violation")
    if data:
        st.altair_chart(bar(data, "day:O", "comments:Q", "violation:N", t("Violations over time")), width="stretch")
    else:
        st.caption(t("No platform-rule violations so far."))
with c[1]:
    status = [{"status": label(s), "items": n} for s, n in counts.items()
              if s in STATUSES]
    st.altair_chart(bar(status, "status:N", "items:Q", "status:N", t("Items by status")), width="stretch")

st.subheader(t("How much reviewers edit the drafts"))
if edits:
    frame = pd.DataFrame(edits)
    st.caption(t("{n} approval(s) · {share:.0%} edited · mean normalised edit distance {mean:.2f}",
                 n=summary["approvals"], share=summary["edited_share"], mean=summary["mean"]))
    hist = alt.Chart(frame, title=t("Normalised edit distance, draft → approved")).mark_bar().encode(
        x=alt.X("edit_distance:Q", bin=alt.Bin(extent=[0, 1], step=0.1), title=t("edit distance")),
        y=alt.Y("count():Q", title=t("approvals")), tooltip=tooltip("count():Q")).properties(height=240)
    c = st.columns(2)
    c[0].altair_chart(hist, width="stretch")
    per = frame.groupby("reviewer", as_index=False)["edit_distance"].mean()
    c[1].altair_chart(bar(per.to_dict("records"), "reviewer:N", "edit_distance:Q", None, t("Mean edit by reviewer")),
                      width="stretch")
else:
    st.caption(t("No approvals yet."))

st.subheader(t("Time to decision against the {hours}-hour window", hours=window))
if times:
    frame = pd.DataFrame(times)
    within = frame["within_window"].mean()
    st.caption(t("{n} decided · {share:.0%} within {window} h · median {median:.1f} h", n=len(times), share=within,
                 window=window, median=frame["hours"].median()))
    points = alt.Chart(frame).mark_bar().encode(
        x=alt.X("hours:Q", bin=alt.Bin(step=6), title=t("hours from comment to decision")),
        y=alt.Y("count():Q", title=t("items")),
        color=alt.Color("within_window:N", title=t("within {window} h", window=window),
                        scale=alt.Scale(domain=[True, False], range=["#4c9f70", "#e4572e"])))
    rule = alt.Chart(pd.DataFrame({"hours": [window]})).mark_rule(strokeDash=[6, 4], color="#e4572e").encode(
        x="hours:Q")
    st.altair_chart((points + rule).properties(height=240), width="stretch")
else:
    st.caption(t("No decisions yet."))

st.subheader(t("Authors to consider blocking (拉黑)"))
candidates = block_candidates(items)
if candidates:
    st.caption(t("Authors whose comments were triaged as attacks or floods under {n} or more notes, across imports, "
                 "matched by user id or creator hash (never by a masked nickname). The comment ids are the reason to "
                 "check; a person blocks on the platform.", n=MIN_NOTES))
    blocks = [c.row() for c in candidates]
    st.dataframe(pd.DataFrame(blocks), hide_index=True, key="block_candidates", column_config=headers(blocks[0]))
else:
    st.caption(t("No author has posted attacks or floods under {n} or more notes.", n=MIN_NOTES))

cases_dashboard.render(desk.queue)
