"""The graph's state (what is checkpointed) and its run-scoped dependencies (what is not)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from pydantic import BaseModel, Field

from agent.config import Settings
from agent.drafting.llm import ModelClient
from agent.schemas import (
    Appeal,
    CheckResult,
    CommentIn,
    DraftResult,
    Evidence,
    PiiHit,
    Plan,
    Reply,
    ReviewDecision,
    Script,
    SourceRef,
    Status,
    Triage,
)
from agent.triage.dedup import CommentHistory


class Retriever(Protocol):
    """What the graph needs of the knowledge store (agent.knowledge.store.KnowledgeStore)."""

    def search(self, query: str, brand: str | None = None, k: int = 5, kind: str | None = None) -> list: ...


class DraftInput(BaseModel):
    """The narrow input of a run: one comment for one brand."""

    comment: CommentIn
    brand: str


class DraftState(DraftInput):
    text_simplified: str = ""
    script: Script = "zh-Hans"
    pii: list[PiiHit] = Field(default_factory=list)
    evidence: Evidence = Field(default_factory=Evidence)
    triage: Triage | None = None
    sources: list[SourceRef] = Field(default_factory=list)
    plan: Plan | None = None
    reply: Reply | None = None
    appeal: Appeal | None = None
    checks: list[CheckResult] = Field(default_factory=list)
    revisions: int = 0
    instruction: str | None = None
    model: str = "offline"
    fallback: str | None = None
    decision: ReviewDecision | None = None
    status: Status = "pending"
    timings_ms: dict[str, int] = Field(default_factory=dict)

    def result(self) -> DraftResult:
        """The JSON contract's view of this state."""
        assert self.triage and self.plan and self.reply, "result() before the drafts exist"
        return DraftResult(
            id=self.comment.id, brand=self.brand, status=self.status if self.status != "pending" else "needs_review",
            triage=self.triage, evidence=self.evidence, plan=self.plan, reply=self.reply, appeal=self.appeal,
            checks=self.checks, sources=self.sources, model=self.model, fallback=self.fallback,
            timings_ms={**self.timings_ms, "total": sum(self.timings_ms.values())},
        )


@dataclass
class Deps:
    """Run-scoped context: passed to every invoke, never checkpointed (it holds connections)."""

    settings: Settings
    store: Retriever
    history: CommentHistory
    client: ModelClient | None = None
