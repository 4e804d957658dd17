"""The graph's state (what is checkpointed) and its run-scoped dependencies (what is not).

Each fact is held once: personal data in `pii` (copied into the triage only in the output),
the reviewer's instruction in `decision`, who answered in `steps`.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Protocol

import numpy as np
from pydantic import BaseModel, Field

from agent.config import Settings
from agent.drafting.drafter import Drafting, Drafts
from agent.knowledge.memory import ReplyMemory
from agent.schemas import (
    Appeal,
    CheckResult,
    CommentIn,
    DraftResult,
    Evidence,
    MemoryRef,
    PiiHit,
    Plan,
    RecentReplies,
    RejectedAttempt,
    Reply,
    ReviewDecision,
    Script,
    SourceRef,
    Status,
    StepRecord,
    Triage,
)
from agent.triage.dedup import CommentHistory


class Retriever(Protocol):
    """What the graph needs of the knowledge store (agent.knowledge.store.KnowledgeStore)."""

    def search(self, query: str, brand: str | None = None, k: int = 5, kind: str | None = None) -> list: ...

    def prefetch(self, queries: Sequence[str]) -> int:
        """Prepares these queries ahead of their searches (a batch); returns how many needed work."""
        ...

    def query_vector(self, query: str) -> np.ndarray:
        """The embedding a search of this query uses (cached: retrieval computed it already)."""
        ...


def add_timings(a: dict[str, int], b: dict[str, int]) -> dict[str, int]:
    """Node timings add up: a node that runs twice (a revision, a regeneration) counts both runs."""
    return {**a, **{k: a.get(k, 0) + v for k, v in b.items()}}


class DraftInput(BaseModel):
    """The narrow input of a run: one comment for one brand."""

    comment: CommentIn
    brand: str
    # The public replies already given under the same note and for the brand that day, newest first: the
    # draft must not repeat them (the batch, the desk and the worker read them before the run).
    recent_replies: RecentReplies = Field(default_factory=RecentReplies)


class DraftState(DraftInput):
    text_simplified: str = ""
    script: Script = "zh-Hans"
    pii: list[PiiHit] = Field(default_factory=list)
    evidence: Evidence = Field(default_factory=Evidence)
    triage: Triage | None = None
    sources: list[SourceRef] = Field(default_factory=list)
    memory: list[MemoryRef] = Field(default_factory=list)  # the team's approved replies to similar comments
    drew_on: MemoryRef | None = None  # the one the offered draft took its phrasing from
    plan: Plan | None = None
    offline_drafts: Drafts | None = None  # the script library's drafts: the model's example and its stand-in
    reply: Reply | None = None
    appeal: Appeal | None = None
    checks: list[CheckResult] = Field(default_factory=list)
    revisions: int = 0
    rejected_attempt: RejectedAttempt | None = None
    steps: Annotated[list[StepRecord], operator.add] = Field(default_factory=list)
    decision: ReviewDecision | None = None
    status: Status = "pending"
    timings_ms: Annotated[dict[str, int], add_timings] = Field(default_factory=dict)

    @property
    def instruction(self) -> str | None:
        d = self.decision
        return d.instruction if d is not None and d.action == "regenerate" else None

    def latest(self, step: str) -> StepRecord | None:
        return next((s for s in reversed(self.steps) if s.step == step), None)

    @property
    def drafted_by(self) -> str:
        draft = self.latest("draft")
        return draft.model if draft else "offline"

    def result(self) -> DraftResult:
        """The JSON contract's view of this state."""
        assert self.triage and self.plan, "result() before the plan exists"
        current = [s for s in (self.latest("triage"), self.latest("draft")) if s is not None]
        fallbacks = [s.fallback for s in current if s.fallback]
        return DraftResult(
            id=self.comment.id, brand=self.brand, status=self.status if self.status != "pending" else "needs_review",
            triage=self.triage.model_copy(update={"pii": self.pii}), context=self.comment.context,
            evidence=self.evidence, plan=self.plan,
            reply=self.reply, appeal=self.appeal, checks=self.checks, sources=self.sources, model=self.drafted_by,
            fallback="; ".join(fallbacks) or None, steps=self.steps, rejected_attempt=self.rejected_attempt,
            drew_on=self.drew_on, timings_ms={**self.timings_ms, "total": sum(self.timings_ms.values())},
        )


@dataclass
class Deps:
    """Run-scoped context: passed to every invoke, never checkpointed (it holds connections)."""

    settings: Settings
    store: Retriever
    history: CommentHistory
    drafting: Drafting
    memory: ReplyMemory | None = None  # the team's approved replies; None: drafts draw on no memory
