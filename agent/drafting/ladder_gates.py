"""Proportionality: the higher rungs (a complaint email, a lawyer's brief, 12377, litigation) need the case's
reach, repetition or severity to warrant them, as the brand's `escalation_gates` set; and a case whose
comments do not concern the brand at all goes no further than the platform's own report. A rung drafted
without it is not refused: the check beside its draft says which figure falls short, so a person decides."""

from __future__ import annotations

from agent.cases.rules import Rung
from agent.drafting.appeal_facts import concerns_brand
from agent.drafting.ladder_slots import LadderInput
from agent.knowledge.wording import appeals
from agent.schemas import CheckResult, Violation, checked, found
from agent.text import normalize_for_match

FAILED = ("rejected", "no_answer")
# The figures as the CLI has long shown them (Chinese, like the rungs they sit beside); the desk words each
# figure's own name (FIGURES) through its catalogs.
NAMES = {"likes": "点赞", "cluster": "同类评论", "severity": "严重度", "rejections": "已被驳回"}
FIGURES = {"likes": "likes", "cluster": "look-alike comments", "severity": "severity", "rejections": "rejected reports"}


def reach(data: LadderInput) -> dict[str, int]:
    """The case's figures a gate reads: its most-liked comment, its size, its severity, its failed rungs."""
    likes = [i.comment.likes for i in data.items if i.comment.likes is not None]
    failed = [e for e in data.events if e.action == "outcome" and e.to_state.split(":")[-1] in FAILED]
    return {"likes": max(likes, default=0), "cluster": len(data.case.members), "severity": data.case.severity,
            "rejections": len(failed)}


def about_brand(data: LadderInput) -> bool:
    """Whether any of the case's comments concerns the brand: names it, its products or marks, or speaks of
    its shop, service or goods (agent/knowledge/wording appeals.brand_refs). A quarrel among users about a
    region or a race does not: the brand is not the injured party there."""
    texts = [normalize_for_match(i.comment.text) for i in data.items if i.id in data.case.members]
    ad = data.case.reason == Violation.spam_redirect  # an ad's price talk is every ad's, not about the brand
    return any(concerns_brand(t, data.brand, ad) for t in texts)


def proportionate(rung: Rung, data: LadderInput) -> CheckResult:
    if data.case.track == "extortion":
        # A demand for money is a crime whatever its reach: the police path needs no likes to warrant it.
        return checked("proportionate", [], detail=appeals().extortion_gate)
    if rung != Rung.platform_report and not about_brand(data):
        # Past the platform's own report, every rung speaks as the injured party: one the brand is not.
        off_brand = found("the comments do not concern the brand (they name no brand, product, shop or customer "
                          "service): the brand is not the injured party, so the case goes no further than the "
                          "platform's report")
        return checked("proportionate", [off_brand], detail=appeals().off_brand_gate, blocks_approval=True)
    gate = data.brand.escalation_gates.get(rung.value)  # type: ignore[call-overload]
    if gate is None:
        return CheckResult(name="proportionate", passed=True)
    figures = reach(data)
    needs = {k: v for k, v in gate.model_dump().items() if v is not None}
    met = [k for k, v in needs.items() if figures[k] >= v]
    detail = "；".join(f"{NAMES[k]} {figures[k]}（需 ≥ {v}）" for k, v in needs.items())
    short = [found("{figure} {value}, below the threshold the brand set for this rung (needs ≥ {needed})",
                   figure=FIGURES[k], value=figures[k], needed=v) for k, v in needs.items()]
    return checked("proportionate", [] if met else short, blocks_approval=not met,
                   detail=(f"达到品牌设定的升级门槛（{'、'.join(NAMES[k] for k in met)}）：" if met else
                           "未达到品牌设定的这一级升级门槛：") + detail)
