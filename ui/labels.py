"""The msgids of what the pages show from data rather than from a literal: enum values and table headers.

Enum values are their own msgids (`label(value)` in ui.i18n), so English keeps the identifiers the CLI,
the exports and the audit trail use, and 简体/繁體 show a word. Table headers are shown through
`headers(...)`, which relabels the columns for display only: the frame keeps its keys (tests, downloads).
Listed here with `N_` so tests/ui/test_i18n.py holds every one of them to a translation.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any

from agent.review.desk import DraftJob
from ui.i18n import N_, label, t

ENUMS = [
    # item statuses (agent.review.views.table.STATUSES) and the case book's rung statuses / answers
    N_("needs_review"), N_("pending"), N_("failed"), N_("approved"), N_("rejected"), N_("exported"),
    N_("drafted"), N_("submitted"), N_("accepted"), N_("no_answer"),
    # triage source, violations (and the filter's "none"), strategy, escalation
    N_("genuine_experience"), N_("misunderstanding"), N_("competitor_attack"), N_("extortion"), N_("not_negative"),
    N_("abuse"), N_("porn"), N_("political"), N_("spam_redirect"), N_("rumor"), N_("privacy"), N_("flooding"),
    N_("ip_infringement"), N_("illegal"), N_("none"),
    N_("apologize_resolve"), N_("educate"), N_("neutral_rebuttal"),
    N_("platform_report"), N_("brand_backend"), N_("account_manager"), N_("legal_letter"), N_("regulator_12377"),
    N_("litigation"),
    # escalation-ladder rungs (agent.cases.rules.Rung) beyond the escalation values above
    N_("second_report"), N_("complaint_email"), N_("legal_brief"),
    # decisions in the audit trail
    N_("approve"), N_("edit"), N_("reject"), N_("regenerate"), N_("submit"), N_("outcome"), N_("escalate"),
    N_("checklist"), N_("open"), N_("leave"), N_("bring_back"), N_("assign"), N_("reopen"),
    # statuses of items set aside from the to-do queue (agent.review.store.marks)
    N_("left"), N_("reported"),
    # queue sort keys (agent.review.views.table.SORT_KEYS) not listed above
    N_("urgency"), N_("time_left"), N_("severity"), N_("reach"), N_("status"), N_("source"), N_("violations"),
    N_("posted"), N_("id"),
    # the script library's situations (knowledge/scripts/*.yaml)
    N_("abuse"), N_("allergy_reaction"), N_("bought_elsewhere"), N_("colour_difference"), N_("counterfeit_claim"), N_("counterfeit_worry"),
    N_("customer_service_attitude"), N_("damaged_package"), N_("delivery"), N_("expectation_mismatch"),
    N_("follow_up"), N_("general"), N_("ingredient_worry"), N_("missing_item"), N_("misuse_dilution"),
    N_("no_effect"), N_("praise"), N_("praise_thanks"), N_("price_value"), N_("quality_defect"),
    N_("refund_request"), N_("size_fit"), N_("smell_texture"), N_("storage"), N_("unverified_safety_claim"),
    N_("usage_frequency"), N_("washing_care"),
    # source kinds of a cited passage
    N_("guideline"), N_("brand_fact"),
    # cases: kind, next action, the evidence-fixing checklist (agent.cases.rules.CHECKLIST)
    N_("item"), N_("cluster"), N_("closed"), N_("wait for the answer"), N_("screenshots"), N_("recording"),
    N_("notarisation"), N_("order_check"), N_("prior_reports"), N_("cluster_list"),
    # extortion's own track: its steps and its evidence (agent.cases.rules.EXTORTION_TRACK, EXTORTION_CHECKLIST)
    N_("evidence_preserved"), N_("police_report"), N_("dm_records"), N_("payment_account"),
    # who wrote a draft when no model did (a model's own name is shown as it is)
    N_("offline"), N_("rules"),
]

# Display headers of the pages' tables, by column key.
HEADERS = {
    "id": N_("id"), "brand": N_("brand"), "comment": N_("comment"), "reply": N_("reply"), "appeal": N_("appeal"),
    "decided_by": N_("decided by"), "seq": N_("#"), "at": N_("at"), "reviewer": N_("reviewer"),
    "action": N_("action"), "item": N_("item"), "draft_reply": N_("draft reply"), "final_reply": N_("final reply"),
    "edit_distance": N_("edited"), "reason": N_("reason"), "instruction": N_("instruction"),
    "applied": N_("applied"), "due": N_("due"), "rung": N_("rung"), "step": N_("step"), "status": N_("status"),
    "deadline": N_("deadline"), "left": N_("time left"), "next": N_("next"), "items": N_("items"),
    "answered": N_("answered"), "accepted": N_("accepted"), "rejected": N_("rejected"),
    "no_answer": N_("no_answer"), "success_rate": N_("success rate"), "author": N_("author"),
    "notes": N_("notes"), "comments": N_("comments"), "why": N_("why"),
    "comment ids (the reason)": N_("comment ids (the reason)"), "title": N_("title"), "issuer": N_("issuer"),
    "products": N_("products"), "report": N_("report no."), "summary": N_("summary"), "case_id": N_("case"), "who": N_("who"),
    "from_state": N_("from"), "to_state": N_("to"), "note": N_("note"), "detail": N_("detail"),
    "kind": N_("kind"), "source": N_("source"), "severity": N_("severity"), "violations": N_("violations"),
    "stale": N_("stale"), "posted": N_("posted"), "reach": N_("reach"), "flag": N_("flag"),
    "day": N_("day"), "violation": N_("violation"), "cases": N_("cases"), "hours": N_("hours"),
    "within_window": N_("within the window"), "count()": N_("count"),
    "draft": N_("draft"), "assignee": N_("assigned to"), "open_by": N_("open now"), "link": N_("id"),
}


def tooltip(*fields: str) -> list[Any]:
    """Chart tooltips under the translated headers of their fields ("name:Q" keeps its type)."""
    import altair as alt

    return [alt.Tooltip(f, title=t(HEADERS.get(f.split(":")[0], f.split(":")[0]))) for f in fields]


def headers(columns: Iterable[Any]) -> dict[str, Any]:
    """A `column_config` that shows each known column under its translated header (the keys stay)."""
    return {str(c): t(HEADERS[str(c)]) for c in columns if str(c) in HEADERS}


def enum_cells(rows: list[dict[str, Any]], *columns: str) -> list[dict[str, Any]]:
    """The rows with the enum values of `columns` shown as labels, and a "left" column's time in the desk's
    language (a copy: the caller keeps the values)."""
    def cell(key: str, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        if key == "left":
            return left_cell(value)
        return label(value) if key in columns else value

    return [{k: cell(k, v) for k, v in r.items()} for r in rows]


LEFT = re.compile(r"(overdue )?(\d+)h (\d\d)m")


def left_cell(text: str) -> str:
    """A time left worded by agent.review (`3h 05m`, `overdue 3h 05m`), in the desk's language."""
    found = LEFT.fullmatch(text)
    if found is None:
        return text
    left = t("{h}h {m:02d}m", h=int(found.group(2)), m=int(found.group(3)))
    return t("overdue {time}", time=left) if found.group(1) else left


def left_text(left: timedelta | None, tr: Callable[..., str] = t) -> str:
    """Time left in the response window, like agent.review.views.desk_time.format_left, in the desk's language
    (`tr`: ui.i18n.translator() where a table words many cells)."""
    if left is None:
        return "—"
    minutes = int(abs(left.total_seconds()) // 60)
    text = tr("{h}h {m:02d}m", h=minutes // 60, m=minutes % 60)
    return tr("overdue {time}", time=text) if left.total_seconds() < 0 else text


def ago_text(ts: float | None, now: Any, tr: Callable[..., str] = t) -> str:
    """A past time relative to now, in the desk's language ("2 天前")."""
    if ts is None or ts != ts:  # None, or NaN from a frame
        return ""
    from datetime import UTC, datetime

    from agent.review.desk import ago

    n, unit = ago(datetime.fromtimestamp(ts, UTC), now)
    words = {"day": N_("{n} days ago"), "hour": N_("{n} hours ago"), "minute": N_("{n} minutes ago")}
    return tr("just now") if unit == "now" else tr(words[unit], n=n)


def when(at: str | None, tr: Callable[..., str] = t, zone: Any = None, relative: bool = True) -> str:
    """A stored time (ISO, epoch, or a comment's naive Beijing time) as the team reads it: in the team's time
    zone (REDREPLY_TEAM_TZ; `zone` where a table passes it once) and, for a past time, how long ago:
    "12-07 09:12 (2 天前)"; "—" when there is none."""
    from datetime import UTC, datetime

    from agent.review.desk import local_text, parse_time, team_zone

    found = parse_time(at)
    if found is None:
        return at or "—"
    if zone is None:
        from ui.shared import settings

        zone = team_zone(settings().team_tz)
    local = local_text(found, zone, with_year=not relative)
    return f"{local} ({ago_text(found.timestamp(), datetime.now(UTC), tr)})" if relative else local


def hours_left(hours: float | None, tr: Callable[..., str] = t) -> str:
    return "—" if hours is None else left_text(timedelta(hours=hours), tr)


STALE_FACTS = "the brand facts changed after this draft was made"
STALE_NEWER = re.compile(r"a newer comment \((.+)\) arrived under the same note after this draft")


def stale_text(reason: str) -> str:
    """Why a draft is stale (agent.review.store.staleness words it in English), in the desk's language."""
    newer = STALE_NEWER.fullmatch(reason)
    if newer:
        return t("a newer comment ({id}) arrived under the same note after this draft", id=newer.group(1))
    return t("the brand facts changed after this draft was made") if reason == STALE_FACTS else reason


def job_text(job: DraftJob) -> str:
    """The drafting progress line (agent.review.jobs.DraftJob.label, in the desk's language)."""
    seconds = (job.finished or time.monotonic()) - job.started
    text = (t("drafting {done}/{total} · {seconds:.1f}s", done=job.done, total=job.total, seconds=seconds)
            if job.running else t("drafted {done}/{total} · {seconds:.1f}s", done=job.done, total=job.total,
                                  seconds=seconds))
    return text + (" · " + t("{n} failed", n=len(job.failed)) if job.failed else "")
