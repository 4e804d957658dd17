"""Item: the comment (always as plain text), triage, evidence, sources, checks; edit and decide.

Every decision goes through ReviewDesk.decide with the version the reviewer saw, so a decision made
meanwhile by someone else (app or CLI) is reported, never overwritten.
"""

import pandas as pd
import streamlit as st

from agent.errors import UserError
from agent.placeholders import placeholder_slots
from agent.review.desk_time import format_left, time_left
from agent.review.item_view import (
    ONE_CLICK_REWRITES,
    build_decision,
    display_text,
    neighbours,
    reach_meta,
    siblings,
    thread_view,
)
from agent.review.jobs import start_drafting
from agent.review.queue import ConflictError, Item
from agent.review.table import queue_rows, sort_rows
from agent.triage.pii import redact
from ui import auth, shared, team
from ui.i18n import t as tr

settings = shared.settings()
desk = shared.desk()
SEVERITY_COLOURS = {1: "gray", 2: "orange", 3: "red"}
PAST_TENSE = {"approve": "approved", "reject": "rejected", "regenerate": "regenerated"}

items = {it.id: it for it in auth.visible(desk.queue.items())}
rows = sort_rows(queue_rows(items.values(), shared.now(), settings.response_window_h))
ids = [r["id"] for r in rows]
if not ids:
    st.info(tr("The queue is empty."))
    st.page_link("page_queue.py", label="Import comments on the queue page", icon="📥")
    st.stop()


def go_to(item_id: str) -> None:
    st.session_state["item"] = item_id


head = st.container()  # filled once the item is known: the title reads first
nav = st.columns([3, 2, 1, 1], vertical_alignment="bottom")
# Bound to ?item=… so a link or a reload opens the same item (the URL holds the plain id: no format_func).
item_id = nav[0].selectbox(tr("Item"), ids, key="item", bind="query-params", help="Sorted by urgency")
prev_id, next_id = neighbours(ids, item_id)
mode = nav[1].segmented_control(tr("Show text in"), ["原文", "简", "繁"], default="原文", key="script_mode",
                                persist_state="session",
                                help="Display only: the reply is approved as written in the box")
nav[2].button(tr("◀ Previous"), key="item_prev", disabled=prev_id is None, on_click=go_to, args=(prev_id,),
              width="stretch")
nav[3].button(tr("Next ▶"), key="item_next", disabled=next_id is None, on_click=go_to, args=(next_id,), width="stretch")
item = items[item_id]
r = item.result
mode = mode or "原文"


def decide(item_id: str, version: int, action: str) -> None:
    """Button callback: runs before the next render, with the version the reviewer was looking at."""
    current = desk.queue.get(item_id)
    draft = current.result
    decision = build_decision(
        action, shared.reviewer(), draft.reply.text if draft else "",
        reply=st.session_state.get(f"reply:{item_id}"),
        draft_appeal=draft.appeal.explanation if draft and draft.appeal else None,
        appeal=st.session_state.get(f"appeal:{item_id}"),
        reason=st.session_state.get(f"reject_reason:{item_id}"),
        instruction=st.session_state.get(f"instruction:{item_id}"))
    try:
        desk.decide(item_id, decision, expected_version=version, actor=auth.actor())
    except ConflictError as e:
        now = desk.queue.get(item_id)
        who = now.decided_by or "another reviewer"
        shared.flash("error", f"Already decided by {who} ({now.status}"
                              f"{' at ' + now.decided_at if now.decided_at else ''}): your {action} was not saved. "
                              f"Details: {e}")
    except UserError as e:
        shared.flash("error", f"Not {PAST_TENSE[action]}: {e}")
    else:
        verb = PAST_TENSE[action]
        shared.flash("success", f"{item_id} {verb} by {decision.reviewer}"
                                + (f" ({decision.instruction})" if action == "regenerate" else ""))


def rewrite(item_id: str, version: int, instruction: str) -> None:
    st.session_state[f"instruction:{item_id}"] = instruction
    decide(item_id, version, "regenerate")


def convert_reply(item_id: str, to: str) -> None:
    key = f"reply:{item_id}"
    text = st.session_state.get(key, "")
    st.session_state[key] = display_text(text, to)


def thread_panel(item: Item) -> None:
    """The comment's place, above it: its note, the earlier messages of its thread, the brand's replies marked."""
    view = thread_view(item.comment)
    if view is None:
        return
    st.subheader(tr("Thread"))
    with st.container(border=True):
        if view.note:
            st.text(tr("Note: {title}", title=view.note))
        for m in view.messages:  # plain text, like the comment: never Markdown or HTML
            who = tr("🏷️ Brand reply · {author}", author=m.author) if m.brand else m.author
            st.text(f"{'↳ ' if m.parent else ''}{who}：{display_text(m.text, mode)}")
        if not view.messages:
            st.text(tr("No earlier messages in this thread."))
        if view.missing_parent:
            st.text(tr("Answers {id}, which is not shown (missing from the export, or left out to fit the thread).",
                       id=view.missing_parent))


def comment_panel(item: Item) -> None:
    c = item.comment
    thread_panel(item)
    st.subheader(tr("Comment"))
    with st.container(border=True):
        st.text(display_text(c.text, mode))  # plain text: never Markdown or HTML
    meta = [f"author: {c.author or '—'}", f"note: {c.note_title or '—'}", f"posted: {c.posted_at or item.created_at}"]
    if c.order_id:
        meta.append(f"order id: {c.order_id}")
    meta += reach_meta(c)
    st.text(" · ".join(meta))


def triage_panel(item: Item) -> None:
    assert item.result is not None
    t, p, ev = item.result.triage, item.result.plan, item.result.evidence
    st.subheader(tr("Triage"))
    # Badges hold only our own enum values and numbers (safe as Markdown); comment-derived text uses st.text.
    badges = [f":{SEVERITY_COLOURS[t.severity]}-badge[severity {t.severity}]", f":blue-badge[{t.source.value}]"]
    badges += [f":violet-badge[{v.value}]" for v in t.violations] or [":gray-badge[no violation]"]
    badges += [f":green-badge[{p.strategy.value}]", f":gray-badge[escalation: {p.escalation.value}]",
               f":gray-badge[confidence {t.confidence:.2f}]"]
    st.markdown(" ".join(badges))
    st.text(f"appeal: {'yes' if p.appeal else 'no'} · situation: {p.situation}")
    st.text(f"rationale: {t.rationale or '—'}")
    if t.signals:
        st.text("signals: " + " · ".join(t.signals))
    if t.pii:
        st.text("personal data in the comment: " + ", ".join(f"{h.kind} {h.masked}" for h in t.pii))

    st.subheader(tr("Evidence"))
    if ev.order_found and ev.order:
        st.text("order found: " + " · ".join(f"{k}: {v}" for k, v in ev.order.items()))
    else:
        st.text("order: no order record matches this author or order id")
    links = siblings(item, ids)
    for kind, label in (("duplicates", "Near-duplicate cluster (possible flooding)"), ("author", "Same author")):
        if links[kind]:
            st.text(f"{label}:")
            cols = st.columns(min(len(links[kind]), 6))
            for i, sib in enumerate(links[kind]):
                cols[i % len(cols)].button(f"Open {sib}", key=f"sib:{kind}:{sib}", on_click=go_to, args=(sib,))
    missing = [i for i in ev.duplicate_cluster if i not in ids]
    if missing:
        st.text("cluster members not in this queue: " + ", ".join(missing))

    st.subheader(f"Sources ({len(item.result.sources)})")
    for s in item.result.sources:
        with st.expander(f"{'📘' if s.kind == 'guideline' else '🏷️'} {s.title}"):
            st.text(s.path)
            st.text(s.passage or "(no passage stored)")


def checks_panel(item: Item) -> None:
    assert item.result is not None
    failed = item.result.failed_checks
    passed = len(item.result.checks) - len(failed)
    st.caption(f"Checks: {passed}/{len(item.result.checks)} passed")
    for c in failed:
        if c.blocks_approval:
            st.error(f"✗ {c.name}: {c.detail} — approval is blocked until this is fixed")
        else:
            st.warning(f"✗ {c.name}: {c.detail}")
    if item.result.fallback:
        st.info(f"The offline drafter stood in for the model: {item.result.fallback}")
    attempt = item.result.rejected_attempt
    if attempt is not None:
        # Shown as plain text beside the offered draft, never as the draft: it failed a safety check.
        with st.expander(f"The model's rejected draft ({attempt.model}): "
                         f"{', '.join(c.name for c in attempt.failed_checks)}"):
            st.text(redact(attempt.reply))
            for c in attempt.failed_checks:
                st.caption(f"✗ {c.name}: {c.detail}")


def edit_panel(item: Item) -> None:
    assert item.result is not None
    r = item.result
    reply_key, appeal_key = f"reply:{item.id}", f"appeal:{item.id}"
    # The boxes start from the draft, and again whenever the item changed (a new draft, a decision).
    if st.session_state.get(f"seen_version:{item.id}") != item.version or reply_key not in st.session_state:
        st.session_state[reply_key] = r.reply.text
        if r.appeal:
            st.session_state[appeal_key] = r.appeal.explanation
        st.session_state[f"seen_version:{item.id}"] = item.version
    if r.appeal and appeal_key not in st.session_state:
        st.session_state[appeal_key] = r.appeal.explanation

    st.subheader(f"Public reply ({r.reply.script})")
    reply = st.text_area(tr("Reply"), key=reply_key, height=170)
    slots = placeholder_slots(reply)
    if slots:
        st.warning(f"Approval is blocked until you fill: {' '.join(slots)}")
    st.caption(f"{len(reply)}/{settings.reply_max_chars} characters · copy-ready ({mode}):")
    st.code(display_text(reply, mode), language=None, wrap_lines=True)
    if mode != "原文":
        st.button(f"Write the reply in {mode}", key="convert_reply", on_click=convert_reply, args=(item.id, mode))

    if r.appeal:
        a = r.appeal
        st.subheader(f"Appeal: {a.reason_label} ({a.reason.value})")
        appeal = st.text_area(tr("Supplementary explanation"), key=appeal_key, height=160)
        with st.expander(f"Copy-ready appeal ({mode})"):
            st.code(display_text(appeal, mode), language=None, wrap_lines=True)
        with st.expander("Evidence to attach and next steps"):
            st.text("\n".join(f"☐ {e}" for e in a.evidence_checklist) or "—")
            st.text("\n".join(f"→ {s}" for s in a.next_steps) or "—")
    else:
        st.caption(tr("No appeal: the comment breaks no platform rule."))


def actions_panel(item: Item) -> None:
    v = item.version
    st.subheader(tr("Decide"))
    st.button(tr("✅ Approve"), key="approve", type="primary", on_click=decide, args=(item.id, v, "approve"),
              width="stretch", help=tr("Approve the reply (and appeal) as they are in the boxes above"),
              disabled=not auth.may("approve", item.brand))
    team.suggest_button(item)
    c = st.columns([3, 1])
    c[0].text_input(tr("Reason for rejecting"), key=f"reject_reason:{item.id}", placeholder="e.g. 语气太硬")
    c[1].button(tr("Reject"), key="reject", on_click=decide, args=(item.id, v, "reject"), width="stretch",
                disabled=not auth.may("reject", item.brand))
    c = st.columns([3, 1])
    c[0].text_input(tr("Instruction for a new draft"), key=f"instruction:{item.id}", placeholder="e.g. 提到退换货政策")
    c[1].button(tr("Regenerate"), key="regenerate", on_click=decide, args=(item.id, v, "regenerate"), width="stretch",
                disabled=not auth.may("regenerate", item.brand))
    c = st.columns(len(ONE_CLICK_REWRITES))
    for col, (name, instruction) in zip(c, ONE_CLICK_REWRITES.items(), strict=True):
        col.button(instruction, key=f"rewrite_{name}", on_click=rewrite, args=(item.id, v, instruction),
                   width="stretch", help=f"Regenerate: {instruction}")


def decided_panel(item: Item) -> None:
    st.subheader(f"{item.status}" + (f" by {item.decided_by}" if item.decided_by else ""))
    if item.decided_at:
        st.text(f"decided at {item.decided_at}" + (f" · exported at {item.exported_at}" if item.exported_at else ""))
    if item.reject_reason:
        st.text(f"reason: {item.reject_reason}")
    if item.final_reply:
        st.text("final reply (copy-ready):")
        st.code(display_text(item.final_reply, mode), language=None, wrap_lines=True)
    if item.final_appeal:
        st.text("final appeal explanation:")
        st.code(display_text(item.final_appeal, mode), language=None, wrap_lines=True)


left_info = time_left(item, shared.now(), settings.response_window_h)
with head:
    st.title(f"{item.id} · {item.status}")
    st.caption(f"brand {item.brand} · version {item.version} · time left: {format_left(left_info)}"
               + (" ⏰" if left_info is not None and left_info.total_seconds() < 0 else ""))
    stale = desk.stale_reason(item)
    if stale:
        st.warning(f"♻️ Stale draft: {stale}. Consider regenerating.")
    if item.error:
        st.error(f"Drafting failed: {item.error}")

left, right = st.columns([5, 6], gap="large")
with left:
    comment_panel(item)
    if r is not None:
        triage_panel(item)
with right:
    if r is None:
        st.info("Not drafted yet." if item.status == "pending" else "No draft for this item.")
        if item.status in ("pending", "failed") and st.button("Draft it now", key="draft_now"):
            shared.jobs()["current"] = start_drafting(desk, [item.id], concurrency=1)
            st.switch_page("page_queue.py")
    elif item.status == "needs_review":
        checks_panel(item)
        edit_panel(item)
        actions_panel(item)
    else:
        decided_panel(item)

history = desk.queue.decisions(item.id)
if history:
    with st.expander(f"Audit trail ({len(history)})"):
        st.dataframe(pd.DataFrame([{"at": d.at, "reviewer": d.reviewer, "action": d.action, "reason": d.reason,
                                    "instruction": d.instruction, "final_reply": d.final_reply} for d in history]),
                     hide_index=True, key="item_audit")
