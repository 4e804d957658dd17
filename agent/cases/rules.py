"""The escalation ladder's rules, as data and pure functions: rung order, deadlines, which report reason to
try next, who may go to 12377, and the evidence checklist that gates the lawyer's brief.

Kept apart from the store (agent.review.casework.cases) so the evals and the drafts read the same rules the case
book enforces, and a rule changes in one place.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import NamedTuple

from agent.errors import UserError
from agent.schemas import Escalation, Violation


class Rung(StrEnum):
    platform_report = "platform_report"
    second_report = "second_report"
    brand_backend = "brand_backend"
    account_manager = "account_manager"
    complaint_email = "complaint_email"
    legal_brief = "legal_brief"
    regulator_12377 = "regulator_12377"
    litigation = "litigation"
    # Extortion's own track (agent.cases.rules.EXTORTION_TRACK), never on the ladder.
    evidence_preserved = "evidence_preserved"
    police_report = "police_report"


class RungSpec(NamedTuple):
    label: str
    deadline_h: float | None  # default hours from submission to due; None = no clock (a lawsuit)
    escalation: Escalation  # the design's escalation enum, for reports that group rungs


# The one table to edit: order, label and default deadline of every rung (a team sets its own with
# REDREPLY_CASE_DEADLINES_H, see rung_deadlines). The platform answers a report in 24–48 h; the later rungs
# go through people (a back office, a manager, a mailbox, a regulator) and take longer.
RUNGS: dict[Rung, RungSpec] = {
    Rung.platform_report: RungSpec("平台举报", 48, Escalation.platform_report),
    Rung.second_report: RungSpec("换理由再次举报", 48, Escalation.platform_report),
    Rung.brand_backend: RungSpec("商家/品牌后台申诉", 72, Escalation.brand_backend),
    Rung.account_manager: RungSpec("专属客户经理", 72, Escalation.account_manager),
    Rung.complaint_email: RungSpec("官方申诉邮件", 120, Escalation.account_manager),
    Rung.legal_brief: RungSpec("律师函要点（交品牌律师）", 168, Escalation.legal_letter),
    Rung.regulator_12377: RungSpec("向12377举报", 360, Escalation.regulator_12377),
    Rung.litigation: RungSpec("提起诉讼", None, Escalation.litigation),
    # Extortion: the demand's evidence fixed (notary or timestamp), then the police; a follow-up clock each.
    Rung.evidence_preserved: RungSpec("固定私信与评论证据", 72, Escalation.legal_letter),
    Rung.police_report: RungSpec("向公安机关报案（110／网络违法犯罪举报）", 72, Escalation.legal_letter),
}
# The platform ladder, in order. Extortion walks its own track instead: a demand for money is a crime to
# report to the police, not a dispute to appeal up the platform's channels.
ORDER: list[Rung] = [r for r in RUNGS if r not in (Rung.evidence_preserved, Rung.police_report)]
EXTORTION_TRACK: list[Rung] = [Rung.platform_report, Rung.evidence_preserved, Rung.police_report, Rung.legal_brief]
# On extortion's track the platform taking the comment down ends nothing: the demand is still a crime, so
# an accepted report or preserved evidence goes on to the next step; the police or the lawyer close it.
EXTORTION_CLOSES = (Rung.police_report, Rung.legal_brief)

# Rung statuses: a person records each one from what the platform (or the other channel) answered.
STATUSES = ("drafted", "submitted", "accepted", "rejected", "no_answer")
RESULTS = ("accepted", "rejected", "no_answer")
FAILED = ("rejected", "no_answer")

# The regulator's reporting centre takes personal attacks, rumors and malicious flooding (the playbook).
REGULATOR_CATEGORIES = frozenset({Violation.abuse, Violation.rumor, Violation.flooding})

# Which reason to try when two are true: the strictest with the firmest evidence first (the playbook's
# "closest and strictest"): doxxing and insults are plain on the screenshot; a rumor needs the order check.
# Repetition is reported as 恶意重复/刷屏 first; 垃圾广告营销 is the platform's other box for it.
REASON_PRIORITY: list[Violation] = [
    Violation.privacy, Violation.abuse, Violation.rumor, Violation.ip_infringement, Violation.porn,
    Violation.flooding, Violation.spam_redirect, Violation.political,
]

# The evidence-fixing checklist (证据固定): every item ticked before the lawyer's brief is drafted.
CHECKLIST: dict[str, str] = {
    "screenshots": "完整截图：评论原文、发布时间、账号昵称与主页，不裁剪不拼接",
    "recording": "手机录屏：从笔记页面进入评论区的完整过程，显示点赞与跟帖",
    "notarisation": "证据保全公证（公证处网页/手机页面保全），或可信时间戳、区块链存证",
    "order_check": "后台订单核查截图：查询条件与查询时间可见",
    "prior_reports": "此前各级举报与申诉的记录截图（「帮助与客服」→「举报记录」、后台、邮件）",
}
CLUSTER_CHECKLIST: dict[str, str] = {
    "cluster_list": "同类评论清单：账号、发布时间、所在笔记、原文，标注相似之处",
}
# Extortion's evidence: the demand itself (the DMs, the account to pay), fixed before anything is deleted;
# the police report waits for all of it.
EXTORTION_CHECKLIST: dict[str, str] = {
    "screenshots": "评论完整截图：评论原文、发布时间、账号昵称与主页，不裁剪不拼接",
    "dm_records": "私信及站外联系记录截图：索要钱款的原话、金额、时间，对话不删除",
    "payment_account": "对方给出的收款账号或收款码截图（未付款也保留）",
    "recording": "手机录屏：从对方主页进入私信和评论的完整过程",
    "notarisation": "证据保全公证（公证处网页/手机页面保全），或可信时间戳、区块链存证",
}


def checklist_for(cluster: bool, track: str = "ladder") -> dict[str, str]:
    """The items this case must tick: a flood case also needs its list of look-alike comments; an extortion
    case fixes the demand's own evidence (the DMs, the account to pay)."""
    if track == "extortion":
        return dict(EXTORTION_CHECKLIST)
    return {**CHECKLIST, **(CLUSTER_CHECKLIST if cluster else {})}


def track_rungs(track: str) -> list[Rung]:
    return EXTORTION_TRACK if track == "extortion" else ORDER


def parse_rung(value: str) -> Rung:
    try:
        return Rung(value)
    except ValueError:
        raise UserError(f"unknown rung '{value}'; rungs in order: {', '.join(ORDER)}") from None


def parse_reason(value: str) -> Violation:
    try:
        return Violation(value)
    except ValueError:
        raise UserError(f"unknown reason '{value}'; known reasons: {', '.join(v.value for v in Violation)}") from None


def truthful_reasons(violations: list[Violation], cluster: bool) -> list[Violation]:
    """Every report reason that is true of the case, best first.

    A flood cluster is malicious repetition whatever else it is; the platform files repetition under
    "垃圾广告营销" as well, so a flood may also be reported as spam (the playbook names both).
    """
    true = set(violations) | ({Violation.flooding} if cluster else set())
    if Violation.flooding in true:
        true.add(Violation.spam_redirect)
    return [v for v in REASON_PRIORITY if v in true]


def second_reason(violations: list[Violation], cluster: bool, tried: list[Violation],
                  grounded: Collection[Violation] | None = None) -> Violation | None:
    """The reason to try next: the best true reason not tried yet; None when every true one was tried.
    `grounded`: the reasons the case's comments show (the words the first report was chosen on); a reason
    the triage listed but nothing in the comment shows is no reason to file (None: the comments not read)."""
    return next((v for v in truthful_reasons(violations, cluster)
                 if v not in tried and (grounded is None or v in grounded)), None)


def regulator_allowed(violations: list[Violation], cluster: bool) -> bool:
    return bool(set(truthful_reasons(violations, cluster)) & REGULATOR_CATEGORIES)


def next_rung(rung: Rung, violations: list[Violation], cluster: bool, tried: list[Violation]
              ) -> tuple[Rung | None, list[str]]:
    """The rung after `rung` for this case, and why any rung on the way is passed over.

    A second report needs a true reason not tried yet; 12377 takes only its categories. None past the last.
    """
    notes: list[str] = []
    for candidate in ORDER[ORDER.index(rung) + 1:]:
        if candidate == Rung.second_report and second_reason(violations, cluster, tried) is None:
            notes.append("second report passed over: no other true report reason is left")
            continue
        if candidate == Rung.regulator_12377 and not regulator_allowed(violations, cluster):
            notes.append("12377 passed over: it takes only personal attacks, rumors and flooding")
            continue
        return candidate, notes
    return None, notes


Deadlines = Mapping[Rung, float | None]


def rung_deadlines(overrides: Mapping[str, float | None]) -> dict[Rung, float | None]:
    """Hours to each rung's deadline: the table's defaults with the settings' overrides (a typo fails here)."""
    unknown = [k for k in overrides if k not in RUNGS]
    if unknown:
        raise UserError(f"case_deadlines_h: unknown rung '{unknown[0]}'; rungs in order: {', '.join(ORDER)}")
    return {rung: overrides.get(rung.value, spec.deadline_h) for rung, spec in RUNGS.items()}


DEFAULT_DEADLINES: Deadlines = rung_deadlines({})


def due_at(rung: Rung, submitted: datetime, deadlines: Deadlines = DEFAULT_DEADLINES) -> str | None:
    """When the rung submitted at `submitted` is due. Fixed at submission: a deadline setting changed later
    applies to the rungs submitted after it, and the audit keeps the deadline each one was given."""
    hours = deadlines[rung]
    return (submitted + timedelta(hours=hours)).astimezone(UTC).isoformat(timespec="milliseconds") \
        if hours is not None else None
