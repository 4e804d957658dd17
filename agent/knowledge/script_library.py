"""The script library (话术库, `knowledge/scripts/*.yaml`): reply and appeal templates, the words that select
them, and its loader."""

from __future__ import annotations

import re
from functools import cached_property, lru_cache
from pathlib import Path

from pydantic import Field, model_validator

from agent.knowledge.loading import KnowledgeError, Strict, file_version, load_yaml, validate
from agent.schemas import Strategy, Violation


class ScriptTemplate(Strict):
    """One entry of the script library (话术库): a reply for one situation, with named slots."""

    id: str
    strategy: Strategy
    situation: str
    title: str
    triggers: list[str] = Field(default_factory=list, description="Words (Simplified) that select it")
    issue: str | None = Field(None, description="What {issue} says when the comment is not quoted")
    context_triggers: list[str] = Field(default_factory=list,
                                        description="Triggers that choose it among complaints but name no problem "
                                                    "alone (\"用了一个月\" beside \"效果很好\")")
    topic: str | None = Field(None, description="The problem named neutrally (物流, 色差), for a reply that "
                                                "answers another problem first; never the commenter's words")
    categories: list[str] = Field(default_factory=list,
                                  description="Only for brands whose category contains one of these words")
    needs_cluster: bool = Field(False, description="Says that look-alike comments appeared: only where the "
                                                   "evidence holds a cluster")
    only_when_planned: bool = Field(False, description="Chosen only where the plan asks for its situation (an order "
                                                       "placed elsewhere), never by its trigger words alone")
    text: str = Field(description="The reply, with {slots}")
    variants: list[str] = Field(default_factory=list,
                                description="Other phrasings of the same reply: the same slots, the same promises")

    @property
    def phrasings(self) -> list[str]:
        """Every phrasing of the reply, `text` first: under one note no two customers should read the same one."""
        return [self.text, *self.variants]

    @model_validator(mode="after")
    def _variants_keep_the_slots(self) -> ScriptTemplate:
        # A phrasing that drops {returns} would drop the promise; one that adds a slot would leave a blank.
        slots = _slots(self.text)
        for i, v in enumerate(self.variants):
            if _slots(v) != slots:
                raise ValueError(f"{self.id}: variants.{i} has the slots {sorted(_slots(v))}, "
                                 f"the text has {sorted(slots)}")
        return self

    def hits(self, folded: str) -> list[str]:
        """The trigger words `folded` (a folded comment, NOT_TRIGGERS masked) names."""
        return [w for w in self.triggers if w and w in folded]


def _slots(text: str) -> set[str]:
    return set(re.findall(r"\{(\w+)\}", text))


class AppealTemplate(Strict):
    """How to argue one report reason: the supplementary explanation and what to attach."""

    reason: Violation
    content: str = Field(description="What the comment contains: {excerpt}, and {grounds}, the words that show it")
    explanation: str = Field(description="One line per part; a fact line is one {slot}, dropped when empty")
    evidence_checklist: list[str]
    next_steps: list[str]


# Words that hold a trigger without naming its problem: the bathroom (卫生间) is not hygiene (卫生), a towel
# (毛巾) is not a hair (毛). Masked before triggers are matched.
# An A-not-A question of whether it suits or works ("适不适合", "好不好用") holds a complaint word ("不适",
# "不好用") it does not say; "给不给退款" does ask for the refund.
# "还没用" (not used yet) holds "没用" (useless); "不适应" (not used to it) holds "不适" (discomfort).
NOT_TRIGGERS = re.compile(r"卫生间|卫生纸|毛巾|毛毯|毛衣|羽毛|适不适|好不好|还没用|没用过|没怎么用|不适应")


def mask_compounds(text: str) -> str:
    """The text with NOT_TRIGGERS blanked (same length: positions still line up)."""
    return NOT_TRIGGERS.sub(lambda m: "　" * len(m.group(0)), text)


class ScriptLibrary(Strict):
    replies: list[ScriptTemplate]
    appeals: list[AppealTemplate]

    def for_strategy(self, strategy: Strategy, category: str = "") -> list[ScriptTemplate]:
        """The strategy's templates that fit a brand of this category (a skincare tip never answers a cardigan)."""
        return [t for t in self.replies if t.strategy == strategy
                and (not t.categories or any(c in category for c in t.categories))]

    def candidates(self, strategy: Strategy, category: str = "") -> list[ScriptTemplate]:
        """The templates a comment answered with this strategy may take: the brand category's, else the
        strategy's for any category, else every reply (a library without the strategy still answers)."""
        return self.for_strategy(strategy, category) or self.for_strategy(strategy) or self.replies

    @cached_property
    def issue_triggers(self) -> frozenset[str]:
        """The trigger words of every specific apology script: words that name a product or service problem."""
        return frozenset(w for t in self.replies if t.strategy == Strategy.apologize_resolve
                         and t.situation != "general" for w in t.triggers if w and w not in t.context_triggers)

    @cached_property
    def reaction_triggers(self) -> frozenset[str]:
        """The trigger words of the reaction scripts: a skin's habit beside a question is who asks, no problem."""
        return frozenset(w for t in self.replies if t.situation == "allergy_reaction" for w in t.triggers)

    def reply(self, template_id: str | None) -> ScriptTemplate | None:
        return next((t for t in self.replies if t.id == template_id), None) if template_id else None

    def appeal(self, reason: Violation) -> AppealTemplate | None:
        return next((a for a in self.appeals if a.reason == reason), None)


def load_script_library(knowledge_dir: Path) -> ScriptLibrary:
    root = knowledge_dir / "scripts"
    return _load_library_cached(root, tuple(sorted((p.name, file_version(p)) for p in root.glob("*.yaml"))))


@lru_cache(maxsize=4)
def _load_library_cached(root: Path, _files: tuple[tuple[str, tuple[int, int]], ...]) -> ScriptLibrary:
    replies: list[ScriptTemplate] = []
    appeals: list[AppealTemplate] = []
    for path in sorted(root.glob("*.yaml")):
        if path.name == "ladder.yaml":  # the escalation ladder's templates (agent.drafting.ladder), not replies
            continue
        data = load_yaml(path) or {}
        part: ScriptLibrary = validate(ScriptLibrary, {"replies": [], "appeals": [], **data}, path)
        replies += part.replies
        appeals += part.appeals
    if not replies:
        raise KnowledgeError(f"{root}: the script library has no reply templates")
    return ScriptLibrary(replies=replies, appeals=appeals)
