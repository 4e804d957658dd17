"""The item page's team parts: each suggestion as a diff against the draft (who, when, "use this", "use and
approve"), why the approve button is disabled, who else has the item open, and its assignment."""

from __future__ import annotations

import difflib
import html

import streamlit as st

from agent.errors import UserError
from agent.queue_item import Item
from agent.review.desk import (
    PRESENCE_S,
    approve_blocker,
    approve_suggestion,
    assign,
    assignable,
    bring_back,
    leave_item,
    open_by,
    suggestions,
    touch,
)
from ui import auth, shared
from ui.i18n import t
from ui.labels import when
from ui.service_text import service_text


def diff_html(draft: str, text: str) -> str:
    """The suggestion against the draft: removed text struck through in red, added text in green."""
    out = []
    for op, a0, a1, b0, b1 in difflib.SequenceMatcher(None, draft, text, autojunk=False).get_opcodes():
        if op in ("delete", "replace"):
            out.append(f'<del style="color:#c0392b">{html.escape(draft[a0:a1])}</del>')
        if op in ("insert", "replace"):
            out.append(f'<ins style="color:#1e8449;text-decoration:none;background:#e9f7ef">'
                       f"{html.escape(text[b0:b1])}</ins>")
        if op == "equal":
            out.append(html.escape(draft[a0:a1]))
    return "".join(out)


def blocker(item: Item, text: str) -> str | None:
    """Why the signed-in account cannot approve `text` now, in the desk's language; None when it can."""
    a = auth.account()
    if a is None:
        return t("Sign in to approve")
    why = approve_blocker(shared.desk().queue, shared.settings(), item, a, text)
    return service_text(why) if why else None


def use_this(item_id: str, text: str, appeal: str | None) -> None:
    st.session_state[f"reply:{item_id}"] = text
    if appeal:
        st.session_state[f"appeal:{item_id}"] = appeal


def use_and_approve(item_id: str, seq: int, version: int) -> None:
    a = auth.account()
    if a is None:
        return
    try:
        approve_suggestion(shared.desk(), item_id, seq, a, expected_version=version)
    except UserError as e:
        shared.flash("error", t("Not approved: {error}", error=service_text(str(e))))
    else:
        shared.flash("success", t("{id} approved by {name}", id=item_id, name=a.name))


def suggestions_panel(item: Item) -> None:
    assert item.result is not None
    found = suggestions(shared.desk().queue, item.id)
    if not found:
        return
    draft = item.result.reply_text
    st.subheader(t("Suggestions ({n})", n=len(found)))
    for s in reversed(found):
        with st.container(border=True):
            st.caption(t("{name} suggested at {at}", name=s.account, at=when(s.at)))
            st.markdown(diff_html(draft, s.reply_text), unsafe_allow_html=True)
            why = blocker(item, s.reply_text)
            c = st.columns(2)
            c[0].button(t("Use this"), key=f"use_{s.seq}", on_click=use_this, args=(item.id, s.reply_text,
                                                                                   s.appeal_explanation),
                        width="stretch", help=t("Put this text in the reply box"))
            c[1].button(t("Use and approve"), key=f"use_approve_{s.seq}", type="primary", disabled=why is not None,
                        on_click=use_and_approve, args=(item.id, s.seq, item.version), width="stretch",
                        help=why or t("Approve this suggestion as the reply"))


# How often an open item page says "still here", well inside the PRESENCE_S a presence lasts.
HEARTBEAT_S = min(20.0, PRESENCE_S / 3)


def _present_on(item_id: str, me: str) -> None:
    """Mark the item open by this account; the item it had open before in this session, no longer."""
    queue = shared.desk().queue
    before = st.session_state.get("_present_on")
    if before is not None and before != (item_id, me):
        leave_item(queue, *before)
    touch(queue, item_id, me)
    st.session_state["_present_on"] = (item_id, me)


@st.fragment(run_every=HEARTBEAT_S)
def presence_line(item_id: str) -> None:
    """Who else has the item open, and whom it is assigned to; redrawn every HEARTBEAT_S while the page is open,
    so the warning appears when someone opens the item after you did."""
    me = shared.reviewer()
    _present_on(item_id, me)
    queue = shared.desk().queue
    others = [n for n in open_by(queue).get(item_id, []) if n != me]
    if others:
        st.warning(t("Also open now by {names}", names=", ".join(others)), icon="👀")
    assignee = queue.get(item_id).assignee
    if assignee == me:
        st.info(t("Assigned to you"), icon="📌")
    elif assignee:
        st.caption(t("Assigned to {name}", name=assignee))


def assign_to(item_id: str, chosen: str | None) -> None:
    """Button callback: assign (None: unassign) as the signed-in account; a refusal in one line."""
    a = auth.account()
    if a is None:
        return
    try:
        assign(shared.desk().queue, auth.accounts(), item_id, chosen, a)
    except UserError as e:
        shared.flash("error", service_text(str(e)))
    else:
        shared.flash("success", t("Assigned to {name}", name=chosen) if chosen else t("{id} is unassigned", id=item_id))


def _assign_chosen(item_id: str) -> None:
    chosen = st.session_state.get(f"assign:{item_id}")
    if chosen:
        assign_to(item_id, chosen)


def assign_panel(item: Item) -> None:
    """Approvers choose anyone active who works on the brand; a suggester takes an unassigned item or drops
    their own; a desk without accounts has no one to assign to."""
    a = auth.account()
    if a is None or a.local or not auth.may("suggest", item.brand):
        return
    if not auth.may("approve", item.brand):
        if item.assignee is None:
            st.button(t("Take this item"), key="assign_take", on_click=assign_to, args=(item.id, a.name),
                      width="stretch", help=t("Assign it to yourself, so others see it is yours"))
        elif item.assignee == a.name:
            st.button(t("Drop this item"), key="assign_drop", on_click=assign_to, args=(item.id, None),
                      width="stretch")
        return
    names = assignable(auth.accounts(), item.brand)
    c = st.columns([3, 1, 1], vertical_alignment="bottom")
    c[0].selectbox(t("Assign to"), names, key=f"assign:{item.id}",
                   index=names.index(item.assignee) if item.assignee in names else None,
                   placeholder=t("Choose an account"))
    c[1].button(t("Assign"), key="assign_item", on_click=_assign_chosen, args=(item.id,),
                width="stretch")
    c[2].button(t("Unassign"), key="assign_clear", on_click=assign_to, args=(item.id, None),
                width="stretch", disabled=item.assignee is None)


def _bring_back(item_id: str) -> None:
    try:
        bring_back(shared.desk().queue, item_id, shared.reviewer())
    except UserError as e:
        shared.flash("error", service_text(str(e)))
    else:
        shared.flash("success", t("{id} is back in the queue", id=item_id))


def bring_back_button(item: Item) -> None:
    """A left or reported item back into the to-do queue."""
    st.button(t("Bring it back"), key="bring_back", on_click=_bring_back, args=(item.id,), width="stretch",
              disabled=not auth.may("reject", item.brand))
