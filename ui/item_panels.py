"""The item page's read-only panels: the comment in its thread, triage, evidence, sources, checks, the decision.

Comment-derived text goes to st.text (never Markdown or HTML); `mode` is the script the reviewer reads in
("原文", "简", "繁"), for display only.
"""

import streamlit as st

from agent.queue_item import Item
from agent.review.desk import display_text, legal_review, siblings, thread_view
from agent.triage.pii import redact
from ui.check_text import check_detail
from ui.i18n import N_, label
from ui.i18n import t as tr
from ui.labels import when
from ui.memory_panel import memory_panel
from ui.plan_text import fallback_text, rationale_text, signal_text

SEVERITY_COLOURS = {1: "gray", 2: "orange", 3: "red"}


def go_to(item_id: str) -> None:
    """Button callback: open another item (the page's selectbox is bound to this key)."""
    st.session_state["item"] = item_id


def thread_panel(item: Item, mode: str) -> None:
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


def comment_panel(item: Item, mode: str) -> None:
    c = item.comment
    thread_panel(item, mode)
    st.subheader(tr("Comment"))
    with st.container(border=True):
        st.text(display_text(c.text, mode))  # plain text: never Markdown or HTML
    meta = [tr("author: {author}", author=c.author or "—"), tr("note: {note}", note=c.note_title or "—"),
            tr("posted: {at}", at=when(c.posted_at or item.created_at))]
    if c.order_id:
        meta.append(tr("order id: {id}", id=c.order_id))
    if c.likes is not None or c.reply_count is not None:  # what agent.review.views.item_view.reach_meta lists
        meta.append(tr("likes: {likes} · replies: {replies}", likes=c.likes or 0, replies=c.reply_count or 0))
    if c.context and c.context.pictures:
        meta.append(tr("pictures: {n}", n=len(c.context.pictures)))
    st.text(" · ".join(meta))


def badge(colour: str, text: str) -> str:
    """A Markdown badge around our own words and enum labels only (comment-derived text goes to st.text)."""
    return f":{colour}-badge[{text}]"


def triage_panel(item: Item) -> None:
    assert item.result is not None
    t, p = item.result.triage, item.result.plan
    st.subheader(tr("Triage"))
    # Badges hold only our own enum values and numbers (safe as Markdown); comment-derived text uses st.text.
    badges = [badge(SEVERITY_COLOURS[t.severity], tr("severity {n}", n=t.severity)),
              badge("blue", label(t.source))]
    badges += [badge("violet", label(v)) for v in t.violations] or [badge("gray", tr("no violation"))]
    badges += [badge("green", label(p.strategy)), badge("gray", tr("escalation: {e}", e=label(p.escalation))),
               badge("gray", tr("confidence {c:.2f}", c=t.confidence))]
    st.markdown(" ".join(badges))
    st.text(tr("appeal: {appeal} · situation: {situation}", appeal=tr("yes") if p.appeal else tr("no"),
               situation=label(p.situation)))
    if p.situation_scores:  # the learned situation model was asked: what it read, and whether it decided
        st.text(tr("situation model: {scores} · chosen by: {by}",
                   scores=" · ".join(f"{label(k)} {v:.2f}" for k, v in p.situation_scores.items()),
                   by=tr("the model") if p.situation_by == "model" else tr("the script triggers")))
    st.text(tr("rationale: {text}", text=rationale_text(t.rationale) or "—"))
    if legal_review(item.comment):  # the commenter accuses the brand: no report, the brand's lawyers look first
        st.warning(tr("The comment accuses the brand of infringing the commenter's own work: no report is "
                      "drafted; it goes to the brand's internal legal review."))
    if t.signals:
        st.text(tr("signals: {list}", list=" · ".join(signal_text(s) for s in t.signals)))
    if t.pii:
        st.text(tr("personal data in the comment: {list}", list=", ".join(f"{h.kind} {h.masked}" for h in t.pii)))


# The order record's columns (agent.knowledge.order_records.ORDER_FIELDS) in the desk's words; the values are data.
ORDER_FIELD_LABELS = {"order_id": N_("order id"), "author": N_("author"), "product": N_("product"),
                      "status": N_("order status"), "ordered_at": N_("ordered at"), "tracking_status": N_("tracking")}


def evidence_panel(item: Item, ids: list[str]) -> None:
    """The order record, and buttons to the item's look-alikes and same-author items among `ids` (the queue)."""
    assert item.result is not None
    ev = item.result.evidence
    st.subheader(tr("Evidence"))
    if ev.order_found and ev.order:
        fields = " · ".join(f"{tr(ORDER_FIELD_LABELS[k]) if k in ORDER_FIELD_LABELS else k}: {v}"
                            for k, v in ev.order.items())
        st.text(tr("order found: {fields}", fields=fields))
    else:
        st.text(tr("order: no order record matches this author or order id"))
    links = siblings(item, ids)
    for kind, title in (("duplicates", tr("Near-duplicate cluster (possible flooding)")),
                        ("author", tr("Same author"))):
        if links[kind]:
            st.text(f"{title}:")
            cols = st.columns(min(len(links[kind]), 6))
            for i, sib in enumerate(links[kind]):
                cols[i % len(cols)].button(tr("Open {id}", id=sib), key=f"sib:{kind}:{sib}", on_click=go_to,
                                           args=(sib,))
    missing = [i for i in ev.duplicate_cluster if i not in ids]
    if missing:
        st.text(tr("cluster members not in this queue: {ids}", ids=", ".join(missing)))


def sources_panel(item: Item) -> None:
    assert item.result is not None
    st.subheader(tr("Sources ({n})", n=len(item.result.sources)))
    for s in item.result.sources:
        with st.expander(f"{'📘' if s.kind == 'guideline' else '🏷️'} {s.title}"):
            st.text(s.path)
            st.text(s.passage or tr("(no passage stored)"))


def checks_panel(item: Item) -> None:
    assert item.result is not None
    failed = item.result.failed_checks
    passed = len(item.result.checks) - len(failed)
    st.caption(tr("Checks: {passed}/{total} passed", passed=passed, total=len(item.result.checks)))
    for c in failed:
        if c.blocks_approval:
            st.error(tr("✗ {name}: {detail} — approval is blocked until this is fixed", name=label(c.name),
                        detail=check_detail(c)))
        else:
            st.warning(f"✗ {label(c.name)}: {check_detail(c)}")
    if item.result.fallback:
        st.info(tr("The offline drafter stood in for the model: {why}", why=fallback_text(item.result.fallback)))
    memory_panel(item)  # the team's earlier approved reply this draft drew on, if any
    attempt = item.result.rejected_attempt
    if attempt is not None:
        # Shown as plain text beside the offered draft, never as the draft: it failed a safety check.
        with st.expander(tr("The model's rejected draft ({model}): {checks}", model=attempt.model,
                            checks=", ".join(label(c.name) for c in attempt.failed_checks))):
            st.text(redact(attempt.reply))
            for c in attempt.failed_checks:
                st.caption(f"✗ {label(c.name)}: {check_detail(c)}")


def decided_panel(item: Item, mode: str) -> None:
    st.subheader(tr("{status} by {name}", status=label(item.status), name=item.decided_by) if item.decided_by
                 else label(item.status))
    if item.decided_at:
        st.text(tr("decided at {at}", at=when(item.decided_at))
                + (" · " + tr("exported at {at}", at=when(item.exported_at)) if item.exported_at else ""))
    if item.reject_reason:
        st.text(tr("reason: {reason}", reason=item.reject_reason))
    if item.final_reply:
        st.text(tr("final reply (copy-ready):"))
        st.code(display_text(item.final_reply, mode), language=None, wrap_lines=True)
    if item.final_appeal:
        st.text(tr("final appeal explanation:"))
        st.code(display_text(item.final_appeal, mode), language=None, wrap_lines=True)
