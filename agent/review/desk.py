"""The review desk as the Streamlit app sees it: the one agent.review module ui/ imports.

The pages need a little of every part of the desk (the queue, the team, the case book, the views, the
drafting service); naming it all here keeps ui/ tied to one module, so moving a module inside agent.review
changes this file, not the pages. Nothing is computed here.
"""

from __future__ import annotations

from agent.review.bulk import BULK_ACTIONS, run_bulk, undo_bulk
from agent.review.casework.case_desk import CaseDesk
from agent.review.casework.case_stats import (
    by_rung_and_outcome,
    desk_rows,
    due_count,
    median_takedown_h,
    success_by_reason,
    success_by_rung,
)
from agent.review.casework.cases import due_marks
from agent.review.jobs import DraftJob, start_drafting
from agent.review.service import ReviewDesk, open_store
from agent.review.store.exporting import approved_rows, export_approved
from agent.review.store.intake import UPLOAD_TYPES, describe, read_uploads
from agent.review.store.marks import bring_back
from agent.review.store.queue import ConflictError, ReviewQueue
from agent.review.suggestion_use import approve_suggestion
from agent.review.team.accounts import Account, Accounts, SignInError, local_admin
from agent.review.team.assignment import PRESENCE_S, assign, assignable, leave_item, open_by, touch
from agent.review.team.knowledge_admin import reindex
from agent.review.team.permissions import approve_blocker
from agent.review.team.roles import EXPORT, REINDEX, allowed, require
from agent.review.team.session_tokens import COOKIE, HANDOFFS, desk_key, end, issue, verify
from agent.review.team.suggestions import latest, suggest, suggestions
from agent.review.views.analytics import (
    approval_rate,
    audit_rows,
    decision_times,
    edit_rows,
    edit_summary,
    severity_over_time,
    violations_over_time,
    volume_by_source,
)
from agent.review.views.authors import MIN_NOTES, block_candidates
from agent.review.views.desk_time import CST, ago, local_text, parse_time, rebase_times, team_zone, time_left
from agent.review.views.downloads import as_csv, as_json, as_text
from agent.review.views.item_view import (
    ONE_CLICK_REWRITES,
    build_decision,
    display_text,
    legal_review,
    neighbours,
    paste_comments,
    siblings,
    thread_view,
)
from agent.review.views.queue_table import PAGE_ROWS
from agent.review.views.table import (
    SORT_KEYS,
    STATUSES,
    QueueFilter,
    filter_rows,
    queue_rows,
    sort_rows,
    status_counts,
)

__all__ = [
    "approve_blocker", "approve_suggestion", "assign", "assignable", "leave_item", "PRESENCE_S", "ago", "bring_back", "BULK_ACTIONS", "COOKIE", "CST",
    "desk_key", "end", "PAGE_ROWS", "issue", "open_by", "parse_time", "run_bulk", "suggestions", "touch",
    "undo_bulk", "verify", "local_text", "team_zone", "HANDOFFS",
    "Account", "Accounts", "allowed", "approval_rate", "approved_rows", "as_csv", "as_json", "as_text",
    "audit_rows", "block_candidates", "build_decision", "by_rung_and_outcome", "CaseDesk", "ConflictError",
    "decision_times", "describe", "desk_rows", "display_text", "DraftJob", "due_count", "due_marks",
    "edit_rows", "edit_summary", "EXPORT", "export_approved", "filter_rows", "latest", "legal_review", "local_admin",
    "median_takedown_h", "MIN_NOTES", "neighbours", "ONE_CLICK_REWRITES", "open_store", "paste_comments",
    "queue_rows", "QueueFilter", "read_uploads", "rebase_times", "REINDEX", "reindex", "require",
    "ReviewDesk", "ReviewQueue", "severity_over_time", "siblings", "SignInError", "SORT_KEYS", "sort_rows",
    "start_drafting", "status_counts", "STATUSES", "success_by_reason", "success_by_rung", "suggest",
    "thread_view", "time_left", "UPLOAD_TYPES", "violations_over_time", "volume_by_source",
]
