"""Queue: import comments, draft them in the background, list / filter / sort, open an item."""

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from agent.knowledge.brands import load_brand
from agent.knowledge.loading import known_brands
from agent.review.desk import (
    PAGE_ROWS,
    SORT_KEYS,
    STATUSES,
    UPLOAD_TYPES,
    QueueFilter,
    bring_back,
    describe,
    open_by,
    paste_comments,
    read_uploads,
    start_drafting,
)
from agent.schemas import Action, CommentIn, Source, Violation
from agent.sources.models import THREAD_TOKENS
from agent.triage.section_evidence import section_inputs
from ui import auth, shared
from ui.demo import load_demo
from ui.i18n import labeler, t, translator
from ui.labels import ago_text, headers, hours_left, job_text, stale_text
from ui.plan_text import reason_worder
from ui.queue_bulk import bulk_bar

settings = shared.settings()
desk = shared.desk()
jobs = shared.jobs()


def accept_and_draft(comments: list, brand: str) -> None:  # type: ignore[type-arg]
    new, known = desk.accept(comments, brand)  # persisted before any drafting
    if known:
        shared.flash("info", t("{n} comment(s) were already queued and were skipped.", n=len(known)))
    if new:
        jobs["current"] = start_drafting(desk, new, concurrency=2)


def import_pasted(brand: str) -> None:
    """Button callback: accept the pasted lines, start drafting, empty the box."""
    comments = paste_comments(st.session_state.get("import_paste", ""), st.session_state.get("import_author"),
                              st.session_state.get("import_note"))
    if not comments:
        shared.flash("warning", t("Paste at least one comment first."))
        return
    accept_and_draft(comments, brand)
    shared.flash("success", t("Accepted {n} comment(s); drafting in the background.", n=len(comments)))
    st.session_state["import_paste"] = ""


def import_uploads(files: list, brand: str) -> None:  # type: ignore[type-arg]
    """Every uploaded export read through `read_any` (saved first under its own name, so a MediaCrawler
    comments file finds its contents file among the uploads); its skipped lines told; all accepted at once."""
    comments: list[CommentIn] = []
    for up in read_uploads([(f.name, f.getvalue()) for f in files], settings, brand):
        if up.result is None:
            shared.flash("error", up.error or t("{name}: could not be read", name=up.name))
            continue
        for err in up.result.errors[:20]:
            where = t("{name}, line {line}", name=up.name, line=err.line) if err.line else up.name
            shared.flash("warning", t("{where}: {message} (skipped)", where=where, message=err.message))
        if up.result.comments:
            shared.flash("info", f"{up.name}: {describe(up.result)}")
        elif up.result.notes:
            shared.flash("info", t("{name}: {n} note(s), joined with the comments beside them", name=up.name,
                                     n=len(up.result.notes)))
        comments += section_inputs(up.result, load_brand(settings.knowledge_dir, brand), THREAD_TOKENS)
    if comments:
        accept_and_draft(comments, brand)


def import_section() -> None:
    with st.expander(t("Import comments"), expanded=not desk.queue.counts()):
        brands = known_brands(settings.knowledge_dir)
        default = brands.index(settings.brand) if settings.brand in brands else 0
        brand = st.selectbox(t("Brand"), brands, index=default, key="import_brand")
        upload_tab, paste_tab = st.tabs([t("Upload an export"), t("Paste")])
        with upload_tab:
            ups = st.file_uploader(t("Comments export: RedReply's lines or a crawler's (MediaCrawler, web API, "
                                     "Spider_XHS). Upload the contents file with it to join the notes."),
                                   type=UPLOAD_TYPES, accept_multiple_files=True, key="import_file")
            if st.button(t("Accept and draft the file"), key="import_file_go") and ups:
                import_uploads(list(ups), brand)
                st.rerun()
        with paste_tab:
            st.text_area(t("One comment per line"), key="import_paste", height=120)
            c1, c2 = st.columns(2)
            c1.text_input(t("Author (optional)"), key="import_author")
            c2.text_input(t("Note title (optional)"), key="import_note")
            st.button(t("Accept and draft"), key="import_paste_go", on_click=import_pasted, args=(brand,))
        if st.button(t("Load the demo comments (glowskin)"), key="load_demo"):
            with st.spinner(t("Drafting the demo queue…")):
                drafted, skipped = load_demo(desk)
            shared.flash("success", t("Demo queue: {drafted} drafted, {skipped} already queued.",
                                      drafted=len(drafted), skipped=len(skipped)))
            st.rerun()


@st.fragment(run_every=1.0)
def drafting_progress() -> None:
    job = jobs.get("current")
    if job is None:
        return
    st.progress(job.fraction, text=job_text(job))
    for item_id, error in list(job.failed.items())[:10]:
        st.warning(f"{item_id}: {error}")
    if job.error:  # the drafting run itself failed, not one item: say so instead of a stalled bar
        st.error(t("Drafting stopped: {error}", error=job.error))
    if not job.running:
        jobs.pop("current", None)
        st.rerun(scope="app")  # refresh the table with the new drafts


st.title(t("Review queue"))
import_section()
if jobs.get("current") is not None:
    drafting_progress()

now = shared.now()
if not desk.table.total(covers=auth.covering()):
    st.info(t("The queue is empty: import comments above, or load the demo comments."))
    st.stop()

shown_as = labeler()  # the options' labels, in this run's language
choose = t("Choose options")  # Streamlit's own placeholder is English
with st.container(border=True):
    c = st.columns([2, 1, 2, 2, 2])
    statuses = c[0].multiselect(t("Status"), list(STATUSES), key="f_status", placeholder=choose, persist_state="session",
                                format_func=shown_as)
    severities = c[1].multiselect(t("Severity"), [3, 2, 1], key="f_severity", placeholder=choose, persist_state="session")
    sources = c[2].multiselect(t("Source"), [s.value for s in Source], key="f_source", placeholder=choose, persist_state="session",
                               format_func=shown_as)
    violations = c[3].multiselect(t("Violation"), [v.value for v in Violation] + ["none"], key="f_violation",
                                  placeholder=choose,
                                  persist_state="session", format_func=shown_as)
    search = c[4].text_input(t("Search"), key="f_search", placeholder=t("id, author, note, text"),
                             persist_state="session")
    c = st.columns([1.4, 1.8, 1.6, 2, 1.2, 2], vertical_alignment="bottom")  # each toggle read whole at 1400 px
    overdue_only = c[0].toggle(t("Overdue only"), key="f_overdue", persist_state="session")
    stale_only = c[1].toggle(t("Stale only"), key="f_stale", persist_state="session")
    me = auth.actor()  # a desk without accounts assigns nobody
    mine = me is not None and c[2].toggle(t("Assigned to me"), key="f_mine", persist_state="session",
                                          help=t("Only the items assigned to {name}", name=me.name))
    sort_by = c[3].selectbox(t("Sort by"), list(SORT_KEYS), key="f_sort", persist_state="session",
                             format_func=shown_as)
    descending = c[4].toggle(t("Descending"), key="f_desc", persist_state="session")
    actions = c[5].multiselect(t("Action"), [a.value for a in Action], key="f_action", placeholder=choose,
                               persist_state="session", format_func=shown_as)

# Filtered, counted, sorted and paged by the database: only the page shown is read (due appeal cases lead;
# comments the plan left alone sit outside the to-do queue unless the status filter asks for them).
wanted = QueueFilter(statuses, severities, sources, violations, (), search, overdue_only, stale_only,
                     assignees=(me.name,) if mine and me is not None else ())
asked = repr((wanted, actions, sort_by, descending))
if st.session_state.get("_queue_asked") != asked:  # another filter or order starts again at its first page
    st.session_state["_queue_asked"], st.session_state["f_page"] = asked, 1
queue_page = desk.table.page(wanted, actions, sort_by, descending, now, covers=auth.covering(),
                             page=st.session_state.get("f_page", 1), size=PAGE_ROWS)
shown = queue_page.rows
st.caption(t("{shown} of {total} item(s) · 🔴 severity 3 · 🟠 severity 2 · ⏰ past the {hours}-hour window · "
             "♻️ stale draft · ⚠️ drafting failed. Select a row to open it.", shown=queue_page.matching,
             total=queue_page.total, hours=settings.response_window_h))
if queue_page.pages > 1:
    st.session_state["f_page"] = queue_page.page  # a narrower filter has fewer pages: stay on the last one
    c = st.columns([1, 5], vertical_alignment="bottom")
    c[0].number_input(t("Page"), min_value=1, max_value=queue_page.pages, step=1, key="f_page")
    first = (queue_page.page - 1) * PAGE_ROWS + 1
    c[1].caption(t("Rows {first}–{last} of {n}, {size} a page, in the order chosen above.", first=first,
                   last=first + len(shown) - 1, n=queue_page.matching, size=PAGE_ROWS))

columns = ["flag", "link", "status", "severity", "source", "violations", "action", "action_reason", "due", "draft", "assignee",
           "open_by", "case_due", "reach", "comment", "stale", "author", "note", "posted"]
frame = pd.DataFrame(shown, columns=[*columns, "overdue", "old", "id"])
tr = translator()  # this run's language, bound once: the cells below are worded per distinct value, not per row


def worded(values: list[Any], word: Callable[[Any], str]) -> list[str]:
    """Each cell of `values` worded by `word`, each distinct value once."""
    cache: dict[Any, str] = {}
    return [cache[v] if v in cache else cache.setdefault(v, word(v)) for v in values]


# Shown in the desk's language; the colours are decided on the values (the frame's "open" column, hidden).
frame["open"] = frame["status"].isin(("needs_review", "pending", "failed"))
frame["link"] = [f"item?item={r['id']}" for r in shown]  # a click on the id opens the item
frame["status"] = worded([r["status"] for r in shown], shown_as)
frame["source"] = worded([r["source"] for r in shown], shown_as)
frame["action"] = worded([r["action"] for r in shown], lambda a: shown_as(a) if a else "")
frame["action_reason"] = worded([r["action_reason"] for r in shown], reason_worder())
frame["violations"] = worded([r["violations"] for r in shown],
                             lambda vs: ", ".join(shown_as(v) for v in str(vs).split(", ") if v))
frame["due"] = worded(["old" if r["old"] else r["time_left_h"] for r in shown],
                      lambda h: tr("old") if h == "old" else hours_left(h, tr))
presence = open_by(desk.queue)
frame["open_by"] = [", ".join(presence.get(r["id"], [])) for r in shown]
frame["posted"] = worded([r["posted_ts"] for r in shown], lambda ts: ago_text(ts, now, tr))
frame["stale"] = worded([r["stale"] for r in shown], lambda reason: stale_text(reason) if reason else "")
frame["case_due"] = frame["case_due"].map({"overdue": t("⏳ overdue"), "due": t("⏳ due")}).fillna("")


def highlight(row: pd.Series) -> list[str]:
    if row["severity"] == 3 and row["open"]:
        colour = "background-color: rgba(255, 75, 75, 0.14)"
    elif row["overdue"]:
        colour = "background-color: rgba(255, 170, 0, 0.16)"
    else:
        colour = ""
    return [colour] * len(row)


# Row colours cost a CSS string per cell: past COLOUR_ROWS rows the flag column (🔴 ⏰) alone marks them.
COLOUR_ROWS = 1000
event = st.dataframe(
    frame.style.apply(highlight, axis=1) if len(frame) <= COLOUR_ROWS else frame, key="queue_table", hide_index=True, on_select="rerun",
    selection_mode="multi-row", column_order=columns, width="stretch", height=min(35 * (len(shown) + 1) + 3, 738),
    column_config={
        **headers(columns),
        "flag": st.column_config.TextColumn("", width="small"),
        "case_due": st.column_config.TextColumn(t("appeal"), width="small",
                                                help=t("The appeal case's current rung is due or overdue: "
                                                       "record its answer or escalate it on the Cases page")),
        "link": st.column_config.LinkColumn(t("id"), width="small", display_text=r"item=(.*)$",
                                            help=t("Open the item")),
        "action": st.column_config.TextColumn(t("action"), width="small"),
        "draft": st.column_config.TextColumn(t("draft"), width="medium"),
        "assignee": st.column_config.TextColumn(t("assigned to"), width="small"),
        "open_by": st.column_config.TextColumn(t("open now"), width="small",
                                               help=t("Who has the item open right now")),
        "severity": st.column_config.NumberColumn(t("sev"), format="%d", width="small"),
        "reach": st.column_config.NumberColumn(t("reach"), format="%d", width="small",
                                               help=t("likes + 3 × replies, from the import: raises urgency")),
        "stale": st.column_config.TextColumn(t("stale"), width="small", help=t("Why the draft may be out of date")),
        "due": st.column_config.TextColumn(t("time left"), help=t("Left in the response window from posted_at")),
        "comment": st.column_config.TextColumn(t("comment (personal data masked)"), width="medium"),
        "action_reason": st.column_config.TextColumn(t("why this action")),
        "posted": st.column_config.TextColumn(t("posted")),
    },
)
selected = event.selection.rows if event is not None else []
team = [a.name for a in auth.accounts().list() if not a.disabled]
bulk_bar(desk, [shown[i] for i in selected], queue_page.matching,
         lambda: desk.table.matching(wanted, actions, now, auth.covering(), sort_by, descending), team)

c = st.columns([3, 1, 4])
status_of = {r["id"]: r["status"] for r in shown}
status_word = {s: shown_as(s) for s in set(status_of.values())}
open_id = c[0].selectbox(t("Open item"), list(status_of), key="open_id",
                         format_func=lambda i: f"{i} · {status_word[status_of[i]]}")
if c[1].button(t("Open"), key="open_item", type="primary") and open_id:
    st.switch_page("page_item.py", query_params={"item": open_id})
if open_id and status_of[open_id] == "left" and c[2].button(t("Bring back into the to-do queue"), key="bring_back"):
    bring_back(desk.queue, open_id, shared.reviewer())
    st.rerun()
