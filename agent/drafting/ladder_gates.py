"""Proportionality: the higher rungs (a complaint email, a lawyer's brief, 12377, litigation) need the case's
reach, repetition or severity to warrant them, as the brand's `escalation_gates` set. A rung drafted
without it is not refused: the check beside its draft says which figure falls short, so a person decides."""

from __future__ import annotations

from agent.cases.rules import Rung
from agent.drafting.ladder_slots import LadderInput
from agent.schemas import CheckResult

FAILED = ("rejected", "no_answer")
# The figures as the reviewer reads them (the ladder's texts are Chinese, like the rungs they sit beside).
NAMES = {"likes": "点赞", "cluster": "同类评论", "severity": "严重度", "rejections": "已被驳回"}


def reach(data: LadderInput) -> dict[str, int]:
    """The case's figures a gate reads: its most-liked comment, its size, its severity, its failed rungs."""
    likes = [i.comment.likes for i in data.items if i.comment.likes is not None]
    failed = [e for e in data.events if e.action == "outcome" and e.to_state.split(":")[-1] in FAILED]
    return {"likes": max(likes, default=0), "cluster": len(data.case.members), "severity": data.case.severity,
            "rejections": len(failed)}


def proportionate(rung: Rung, data: LadderInput) -> CheckResult:
    gate = data.brand.escalation_gates.get(rung.value)  # type: ignore[call-overload]
    if gate is None:
        return CheckResult(name="proportionate", passed=True)
    figures = reach(data)
    needs = {k: v for k, v in gate.model_dump().items() if v is not None}
    met = [k for k, v in needs.items() if figures[k] >= v]
    detail = "；".join(f"{NAMES[k]} {figures[k]}（需 ≥ {v}）" for k, v in needs.items())
    return CheckResult(name="proportionate", passed=bool(met), blocks_approval=not met,
                       detail=(f"达到品牌设定的升级门槛（{'、'.join(NAMES[k] for k in met)}）：" if met else
                               "未达到品牌设定的这一级升级门槛：") + detail)
