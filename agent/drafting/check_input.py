"""What every reply guardrail reads: the draft, the comment it answers, and the evidence the checks hold it to.

The graph's `check` node and the model's draft ladder build one `CheckInput`; agent.drafting.guardrails runs
its checks over it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from agent.knowledge.brands import Brand
from agent.schemas import Action, PiiHit, Script, Source, Violation
from agent.text import normalize_for_match
from agent.triage.signals import Lexicons


@dataclass
class CheckInput:
    reply: str
    comment: str
    comment_script: Script
    source: Source
    pii: list[PiiHit]
    brand: Brand
    facts: list[str] = field(default_factory=list)  # the retrieved brand-fact passages
    max_chars: int = 300
    order_found: bool = False
    violations: list[Violation] = field(default_factory=list)
    lexicons: Lexicons | None = None
    appeal: str = ""  # the appeal's explanation, read by the checks that apply to any text a person reads
    recent_under_note: list[str] = field(default_factory=list)  # public replies already given under the note
    recent_today: list[str] = field(default_factory=list)  # and by the brand today, elsewhere
    internal_ids: tuple[str, ...] = ()  # the queue's own ids (this item, its look-alikes): never in text to paste
    action: Action | None = None  # the comment's action (agent.planning.action); None: drafted before actions
    offensive: float | None = None  # the triage's offence score of the comment; None: the check scores it itself

    @cached_property
    def brand_text(self) -> str:
        """The brand file, folded: what the brand may say in its own words."""
        return normalize_for_match(self.brand.model_dump_json())

    @cached_property
    def corpus(self) -> str:
        """What a claim may rest on, folded: the retrieved facts and the brand file."""
        return normalize_for_match(" ".join([*self.facts, self.brand.model_dump_json()]))

    @property
    def injection_markers(self) -> list[str]:
        return self.lexicons.markers.get("injection", []) if self.lexicons else []

    @property
    def forbidden_words(self) -> list[str]:
        """Insults, lewdness and political words: never in a reply, whoever wrote them first."""
        if not self.lexicons:
            return []
        return [w for v in (Violation.abuse, Violation.porn, Violation.political)
                for w in self.lexicons.violations.get(v, [])]

    @property
    def rumor_words(self) -> list[str]:
        return self.lexicons.violations.get(Violation.rumor, []) if self.lexicons else []
