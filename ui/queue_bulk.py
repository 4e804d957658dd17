"""The queue's bulk bar: one action over the selected rows, or over every row the filter shows; the result
(done, and each skipped item with why) and an undo of the last bulk action."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from agent.review.desk import BULK_ACTIONS, ReviewDesk, run_bulk, undo_bulk
from ui import auth, shared
from ui.i18n import N_, labeler, t
from ui.service_text import service_text

ACTION_LABELS = {"leave": N_("leave"), "report": N_("report to the platform"), "reject": N_("reject"), "approve": N_("approve"),
                 "assign": N_("assign"), "draft": N_("draft what is pending")}


def _tell(done: int, skipped: dict[str, str], undo: bool = False) -> None:
    text = t("Undone on {n} item(s).", n=done) if undo else t("Done on {n} item(s).", n=done)
    shared.flash("success" if not skipped else "warning", text)
    for item_id, why in list(skipped.items())[:20]:
        shared.flash("warning", t("Skipped {id}: {why}", id=item_id, why=service_text(why)))


def _apply(desk: ReviewDesk, versions: dict[str, int], action: str, reason: str, assignee: str | None) -> None:
    actor = auth.account()
    if actor is None:
        return
    try:
        record = run_bulk(desk, list(versions), action, actor, reason=reason or None, assignee=assignee,
                          versions=versions)
    except Exception as e:  # a refusal of the whole action (no reason, a disabled assignee): one line
        shared.flash("error", service_text(str(e)))
        return
    st.session_state["last_bulk"] = record.id
    _tell(len(record.done), record.skipped)


def _undo(desk: ReviewDesk) -> None:
    actor = auth.account()
    bulk_id = st.session_state.pop("last_bulk", None)
    if actor is None or not bulk_id:
        return
    try:
        record = undo_bulk(desk, bulk_id, actor)
    except Exception as e:
        shared.flash("error", service_text(str(e)))
        return
    _tell(len(record.done), record.skipped, undo=True)


def bulk_bar(desk: ReviewDesk, selected: list[dict[str, Any]], matching: int,
             every_match: Callable[[], dict[str, int]], assignees: list[str]) -> None:
    """`matching`: how many rows the filter matches on every page; `every_match`: their ids -> the versions
    shown, read only when the action is to cover them all."""
    with st.container(border=True):
        c = st.columns([3, 2, 2, 2, 1, 1], vertical_alignment="bottom")  # the toggle's label read whole at 1400 px
        everything = c[0].toggle(t("all {n} that match the filter", n=matching), key="bulk_all",
                                 help=t("Off: the {n} selected row(s)", n=len(selected)))
        show = labeler()  # bound to this run's language: AppTest formats the options outside the run
        action = c[1].selectbox(t("Bulk action"), list(BULK_ACTIONS), key="bulk_action",
                                format_func=lambda a: show(ACTION_LABELS[a]))
        reason = c[2].text_input(t("Reason (for a rejection)"), key="bulk_reason") if action == "reject" else ""
        assignee = c[3].selectbox(t("Assign to"), assignees, key="bulk_assignee",
                                  format_func=labeler()) if action == "assign" and assignees else None
        # Every match read as this run shows it: an item someone changes before the click is reported, not redone.
        versions = every_match() if everything else {r["id"]: r["version"] for r in selected}
        c[4].button(t("Apply"), key="bulk_go", disabled=not versions, on_click=_apply,
                    args=(desk, versions, action, reason, assignee),
                    help=None if versions else t("Select rows in the table first"))
        c[5].button(t("Undo"), key="bulk_undo", disabled="last_bulk" not in st.session_state, on_click=_undo,
                    args=(desk,), help=t("Undo the last bulk action"))
