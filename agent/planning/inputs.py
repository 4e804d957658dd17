"""What the planning policy reads: one comment's triage, text and place, and the brand's knowledge."""

from __future__ import annotations

from dataclasses import dataclass

from agent.knowledge.brands import Brand
from agent.knowledge.script_library import ScriptLibrary
from agent.schemas import CommentIn, Evidence, Triage
from agent.triage.signals import Lexicons


@dataclass(frozen=True)
class PlanInput:
    """One triaged comment, as the policy sees it (the graph node builds it from its state)."""

    triage: Triage
    text: str  # the comment folded to Simplified Chinese: what triggers and lexicons match
    has_brand_reply: bool  # the brand already answered earlier in the comment's thread
    duplicates: int  # look-alike comments the evidence found (a cluster, when any)
    brand: Brand
    library: ScriptLibrary
    lexicons: Lexicons
    evidence: Evidence | None = None  # the order lookup, look-alikes and history (the appeal's facts)
    record: CommentIn | None = None  # the comment as imported: its likes, posting time and order id

    @property
    def cluster(self) -> bool:
        """The evidence holds look-alike comments, so a script may say so."""
        return self.duplicates > 0

    @property
    def cluster_size(self) -> int:
        """The comment and its look-alikes."""
        return self.duplicates + 1
