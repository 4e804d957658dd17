"""Pydantic models of RedReply's data: the enumerations, the input line and the JSON output contract.

The names here are stable: the JSON output, the evals and the review queue all use them.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from agent.enums import Action, Escalation, Source, Strategy, Violation

Kind = Literal["guideline", "brand_fact"]  # the two collections of the knowledge store

NoteRelation = Literal["own", "tags", "unrelated", "unknown"]  # the note and the brand
CommentStatus = Literal["visible", "hidden", "deleted"]  # the platform status an export carries
Script = Literal["zh-Hans", "zh-Hant", "other"]
Status = Literal["pending", "needs_review", "left", "reported", "deciding", "approved", "rejected", "exported",
                 "failed"]


class NoteRef(BaseModel):
    """The note (笔记) a comment sits under: its id and its title (else the start of its text)."""

    id: str
    title: str | None = None


class ThreadMessage(BaseModel):
    """One earlier message of a comment's thread, as the draft saw it."""

    id: str
    author: str | None = None
    text: str
    brand: bool = Field(False, description="Written by the brand's own account or the note's author")


NOTE_LINE_CHARS = 40  # the note's title in the thread block, at most this long


class Context(BaseModel):
    """What an import knew about a comment's place: its note, the comment it answers, the thread the
    draft took into account (root first, already fitted to a token budget). Unknown fields are null or empty."""

    note: NoteRef | None = None
    parent_id: str | None = None
    root_id: str | None = None
    likes: int = Field(0, ge=0)
    pictures: list[str] = Field(default_factory=list)
    thread: list[ThreadMessage] = Field(default_factory=list)
    note_relation: NoteRelation | None = Field(None, description="The note and the brand; null outside an import")
    status: CommentStatus = Field("visible", description="The platform status the export carries")
    addresses_brand: bool = Field(False, description="It @s the brand, or answers the brand's own comment")
    by_brand: bool = Field(False, description="Written by one of the brand's own accounts")
    author_signs: list[str] = Field(default_factory=list, description="Lead-generation signs of the author")

    @property
    def has_brand_reply(self) -> bool:
        return any(m.brand for m in self.thread)

    def prompt_text(self) -> str:
        """The thread as the drafter reads it: the note's title, then one line per message, the brand's
        own replies tagged 品牌. Empty when there is neither note nor thread."""
        lines = []
        if self.note is not None and self.note.title:
            title = " ".join(self.note.title.split())
            lines.append("笔记：" + (title if len(title) <= NOTE_LINE_CHARS else title[:NOTE_LINE_CHARS] + "…"))
        for m in self.thread:
            who = (m.author or "用户") + ("（品牌）" if m.brand else "")
            lines.append(f"{who}：{' '.join(m.text.split())}")
        return "\n".join(lines)


class CommentIn(BaseModel):
    """One input line of `batch` (and what `draft` builds from its argument)."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    id: str = Field(min_length=1, max_length=128)
    text: str
    author: str | None = None
    author_id: str | None = Field(None, description="User id or creator hash: an identity, unlike a masked nickname")
    note_id: str | None = None
    note_title: str | None = None
    posted_at: str | None = None
    order_id: str | None = None
    likes: int | None = Field(None, ge=0)
    reply_count: int | None = Field(None, ge=0)
    context: Context | None = None

    @field_validator("id", mode="before")
    @classmethod
    def _id_as_str(cls, v: Any) -> Any:
        return str(v) if isinstance(v, int) else v

    @field_validator("text")
    @classmethod
    def _text_not_empty(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("the comment text is empty")
        return v


class PiiHit(BaseModel):
    kind: Literal["phone", "wechat", "qq", "email", "url", "address", "id_card", "name"]
    masked: str = Field(description="The hit with most characters masked, safe for logs")
    start: int
    end: int


class Triage(BaseModel):
    source: Source
    severity: int = Field(ge=1, le=3)
    violations: list[Violation] = Field(default_factory=list)
    confidence: float = Field(ge=0, le=1)
    rationale: str = ""
    pii: list[PiiHit] = Field(default_factory=list)
    signals: list[str] = Field(default_factory=list, description="The rules and learned signals that fired")
    scores: dict[str, float] = Field(default_factory=dict,
                                     description="Calibrated probabilities of the learned classifiers (offensive, negative)")


class Evidence(BaseModel):
    order_found: bool = False
    order: dict[str, str] | None = Field(None, description="The matched order record, for the reviewer")
    duplicate_cluster: list[str] = Field(default_factory=list)
    author_history: list[str] = Field(default_factory=list, description="Ids of the author's other comments")


class Plan(BaseModel):
    strategy: Strategy
    appeal: bool
    escalation: Escalation
    situation: str = Field("general", description="What the complaint is about, a script-library situation: the reply follows its script, "
                           "except a complaint about another trade's goods, answered by `template` (`ar_not_ours`)")
    template: str | None = Field(None, description="The script-library entry chosen for it")
    product: str | None = Field(None, description="The product id the comment is about, if known")
    situation_by: Literal["rules", "model"] = Field(
        "rules", description="Who chose the situation: the script triggers, or the learned situation model")
    situation_scores: dict[str, float] = Field(
        default_factory=dict, description="The situation model's three likeliest situations, when it was asked")
    action: Action = Field(Action.reply, description="What the brand does with the comment")
    action_reason: str = Field("", description="Why that action, for the reviewer")
    kind: str | None = Field(None, description="The comment-kind model's reading (question, chatter, spam, …)")


class Reply(BaseModel):
    text: str
    script: Script = "zh-Hans"


class Appeal(BaseModel):
    reason: Violation
    reason_label: str
    explanation: str
    evidence_checklist: list[str] = Field(default_factory=list)
    next_steps: list[str] = Field(default_factory=list)
    track: Literal["ladder", "extortion"] = Field(
        "ladder", description="extortion: a report for illegal content, the DM evidence and the police path, apart "
                              "from the ladder")


class Finding(BaseModel):
    """One problem a check found, as data: its wording (English, with {placeholders}) and the values filling it.
    The CLI reads the worded English (CheckResult.detail); the desk words the same finding in its language."""

    text: str = Field(description="The wording, with {placeholders} for the values")
    values: dict[str, str] = Field(default_factory=dict, description="What fills the placeholders: the draft's "
                                   "words, a number, a name")

    def worded(self) -> str:
        return self.text.format(**self.values)


def found(text: str, **values: object) -> Finding:
    """A finding; `text` is a literal the desk's catalogs translate (tests/ui/test_plan_text.py holds them to it)."""
    return Finding(text=text, values={k: str(v) for k, v in values.items()})


class CheckResult(BaseModel):
    name: str
    passed: bool
    detail: str = ""
    blocks_approval: bool = Field(False, description="True when approval must wait for the reviewer to fix it")
    hard: bool = Field(False, description="A safety check: a model draft failing it is never offered as the draft")
    findings: list[Finding] = Field(default_factory=list,
                                    description="What failed, as data: the detail's problems, one each")


def checked(name: str, findings: list[Finding], *, sep: str = "; ", detail: str | None = None,
            **flags: bool) -> CheckResult:
    """A check's result from what it found: passed when nothing, the detail its findings worded (or `detail`,
    where the CLI has long read a check in Chinese)."""
    worded = sep.join(f.worded() for f in findings) if detail is None else detail
    return CheckResult(name=name, passed=not findings, detail=worded, findings=findings, **flags)


class SourceRef(BaseModel):
    id: str
    title: str
    path: str
    kind: Kind
    passage: str = Field("", description="The cited text, shown in the review desk")


class StepRecord(BaseModel):
    """Who answered one step of a draft, and why the offline drafter stood in if it did."""

    step: Literal["triage", "draft"]
    model: str = Field(description="The model that answered: a litellm name, 'offline', or 'rules'")
    fallback: str | None = Field(None, description="Why the model's answer was not used")
    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    ms: int = 0


class MemoryRef(BaseModel):
    """An approved reply of the brand's team to an earlier, similar comment: what a draft drew on."""

    id: str = Field(description="The earlier comment's id")
    comment: str = Field(description="The earlier comment (with its note's title), as it was searched")
    reply: str = Field(description="The reply the team approved, after its edits")
    situation: str = Field(description="The script-library situation of the earlier draft")
    similarity: float = Field(description="Cosine similarity of the two comments' embeddings")


class RecentReplies(BaseModel):
    """The public replies already given near a comment, newest first: a new reply must not repeat them."""

    under_note: list[str] = Field(default_factory=list, description="Under the same note, any day")
    brand_today: list[str] = Field(default_factory=list, description="Of the same brand, drafted the same day")

    @property
    def all(self) -> list[str]:
        return [*self.under_note, *self.brand_today]


class RejectedAttempt(BaseModel):
    """A model draft that failed a hard check after its revision: shown beside the offline draft, never as it."""

    model: str
    reply: str
    appeal_explanation: str | None = None
    failed_checks: list[CheckResult] = Field(default_factory=list)


class DraftResult(BaseModel):
    """The output contract of `draft --json` and of each line of `batch --out`."""

    id: str
    brand: str
    status: Status = "needs_review"
    triage: Triage
    context: Context | None = Field(None, description="The comment's note and thread, from its import")
    evidence: Evidence
    plan: Plan
    reply: Reply | None = Field(None, description="The public reply; none where the action is leave or report")
    appeal: Appeal | None = None
    checks: list[CheckResult] = Field(default_factory=list)
    sources: list[SourceRef] = Field(default_factory=list)
    model: str = Field("offline", description="Who wrote the reply offered as the draft")
    fallback: str | None = Field(None, description="Why the offline drafter stood in for the model, every step that fell back")
    steps: list[StepRecord] = Field(default_factory=list, description="Provenance of each step")
    rejected_attempt: RejectedAttempt | None = None
    drew_on: MemoryRef | None = Field(None, description="The team's approved reply the draft drew on, if any")
    timings_ms: dict[str, int] = Field(default_factory=dict)

    @property
    def reply_text(self) -> str:  # empty where none was drafted (a comment reported or left)
        return self.reply.text if self.reply else ""

    @property
    def failed_checks(self) -> list[CheckResult]:
        return [c for c in self.checks if not c.passed]

    @property
    def approval_blocked(self) -> bool:
        return any(c.blocks_approval and not c.passed for c in self.checks)


DecisionAction = Literal["approve", "edit", "reject", "regenerate"]


class ReviewDecision(BaseModel):
    """What a reviewer decides; it resumes the graph at human_review."""

    action: DecisionAction
    reviewer: str = "reviewer"
    reply_text: str | None = Field(None, description="The edited reply (edit, or approve with changes)")
    appeal_explanation: str | None = None
    reason: str | None = Field(None, description="Why it was rejected")
    instruction: str | None = Field(None, description="What to change, for regenerate")
