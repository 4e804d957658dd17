"""Hand-built drafts for the unit tests that read a DraftResult without running the graph."""

from __future__ import annotations

from collections.abc import Iterable

from agent.schemas import (
    Appeal,
    CheckResult,
    DraftResult,
    Escalation,
    Evidence,
    Plan,
    Reply,
    Source,
    SourceRef,
    Strategy,
    Triage,
    Violation,
)


def draft_result(item_id: str = "c", *, brand: str = "glowskin", source: Source = Source.genuine_experience,
                 severity: int = 1, violations: Iterable[Violation] = (),
                 strategy: Strategy = Strategy.apologize_resolve, appeal_reason: Violation | None = None,
                 reply: str = "亲，抱歉～请私信我们", checks: list[CheckResult] | None = None,
                 product: str | None = None, sources: Iterable[SourceRef] = (),
                 cluster: Iterable[str] = (), signals: Iterable[str] = ()) -> DraftResult:
    """A draft as the graph would leave it; an appeal (and a report escalation) only with `appeal_reason`."""
    return DraftResult(
        id=item_id, brand=brand,
        triage=Triage(source=source, severity=severity, violations=list(violations), confidence=0.8,
                      signals=list(signals)),
        evidence=Evidence(duplicate_cluster=list(cluster)),
        plan=Plan(strategy=strategy, appeal=appeal_reason is not None,
                  escalation=Escalation.platform_report if appeal_reason else Escalation.none, product=product),
        reply=Reply(text=reply),
        appeal=Appeal(reason=appeal_reason, reason_label="x", explanation="y") if appeal_reason else None,
        checks=list(checks or []),
        sources=list(sources),
    )
