"""The one drafting seam: the graph's nodes ask it for a triage refinement and for the drafts, once each.

It answers with the model when there is one and the offline drafter otherwise, or when the model
fails; each answer comes with a `StepRecord` saying who answered and why the offline drafter stood
in. The offline draft is always made too: it is the model's example, and the reviewer's draft when
the model's attempt fails a hard check.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field

from pydantic import BaseModel

from agent.config import Settings
from agent.drafting import offline
from agent.drafting.appeal import draft_appeal
from agent.drafting.appeal_facts import gather
from agent.drafting.appeal_reason import choose_reason
from agent.drafting.llm import ModelClient, Usage, structured_call
from agent.drafting.phrasing import closest_to
from agent.drafting.schema import DraftOut, RungOut, TriageOut
from agent.drafting.variety import NEAR_IDENTICAL
from agent.errors import ModelError
from agent.knowledge.brands import Brand
from agent.knowledge.script_library import ScriptLibrary
from agent.schemas import (
    Appeal,
    CommentIn,
    Evidence,
    MemoryRef,
    Plan,
    RecentReplies,
    Script,
    Source,
    SourceRef,
    StepRecord,
    Strategy,
    Triage,
    Violation,
)
from agent.text import in_script
from agent.triage.pii import redact


class Drafts(BaseModel):
    """A reply and, where the plan appeals, the appeal: what one drafting step produces."""

    reply: str
    appeal: Appeal | None = None
    drew_on: MemoryRef | None = None  # the team's approved reply this draft took its phrasing from
    cites: list[str] = []  # the brand-file chunks (slugs) an offline answer states: cited beside the retrieved ones


@dataclass
class DraftRequest:
    """Everything a drafter may use for one comment; built by the draft node from the state."""

    brand: Brand
    library: ScriptLibrary
    plan: Plan
    triage: Triage
    evidence: Evidence
    comment: str
    folded: str
    script: Script
    sources: list[SourceRef] = field(default_factory=list)
    instruction: str | None = None
    failed_checks: list[str] = field(default_factory=list)  # of the previous attempt, for the revision
    avoid: list[str] = field(default_factory=list)  # words never quoted back
    refuse: list[str] = field(default_factory=list)  # injection markers: quote nothing from such a comment
    thread: str = ""  # earlier messages of the thread, already fitted to a budget
    pictures: int = 0  # pictures attached to the comment: evidence for an appeal
    memory: list[MemoryRef] = field(default_factory=list)  # the team's approved replies to similar comments
    record: CommentIn | None = None  # the comment as imported: its likes, posting time, order id (the appeal's facts)
    recent: RecentReplies = field(default_factory=RecentReplies)  # public replies already given nearby


RECENT_IN_PROMPT = 3  # earlier replies shown to the model as text not to repeat (the prompt stays ≤ 2,500 tokens)


def note_title(record: CommentIn | None) -> str:
    """The title of the note a comment sits under, from its own field or its import's context; "" if unknown."""
    if record is None:
        return ""
    note = record.context.note if record.context is not None else None
    return record.note_title or (note.title if note is not None and note.title else "")


def _clip(text: str, chars: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= chars else text[:chars] + "…"


def facts_block(sources: list[SourceRef], kind: str, limit: int = 3, chars: int = 180) -> str:
    """The cited passages of one kind, short: the model needs the facts, not whole pages."""
    rows = [f"[{s.id}] {_clip(s.passage, chars)}" for s in sources if s.kind == kind][:limit]
    return "\n".join(rows) or "(none)"


class Drafting:
    """The model behind the seam, or none; the offline drafter answers whenever the model does not."""

    def __init__(self, settings: Settings, client: ModelClient | None) -> None:
        self.settings = settings
        self.client = client

    @property
    def name(self) -> str:
        return self.client.name if self.client is not None else "offline"

    # --- triage ---------------------------------------------------------------------------------
    def refine_triage(self, brand: str, comment: str, rules: Triage, evidence: Evidence) -> tuple[Triage | None, StepRecord]:
        """The model's triage, or None where the rules decide alone (no model, confident rules, a failure)."""
        if self.client is None or rules.confidence >= self.settings.triage_model_below:
            return None, StepRecord(step="triage", model="rules")
        usage, start = Usage(), time.perf_counter()
        try:
            out = structured_call(self.client, self.settings, "triage", {
                "brand": brand, "comment": comment,
                "rule_triage": rules.model_dump_json(include={"source", "severity", "violations"}),
                "signals": "；".join(rules.signals) or "(none)",
                "scores": json.dumps(rules.scores),
                "evidence": evidence.model_dump_json(include={"order_found", "duplicate_cluster"}),
            }, TriageOut, usage)
            step = self._step("triage", usage, start)
        except ModelError as e:
            return None, self._step("triage", usage, start, model="rules", fallback=f"triage: {e}")
        return Triage(**out.model_dump(), pii=rules.pii), step

    # --- drafts ---------------------------------------------------------------------------------
    def offline_drafts(self, req: DraftRequest) -> Drafts:
        fit = self._fitting_memory(req)
        appeal = self._offline_appeal(req)
        if fit is not None:  # the team already approved a reply to a comment like this one: its phrasing
            return Drafts(reply=in_script(self._claims(fit.reply, appeal), req.script), appeal=appeal, drew_on=fit)
        drafted = offline.draft_reply(req.library, req.brand, req.plan, req.comment, req.folded, req.evidence,
                                      avoid=req.avoid, refuse=req.refuse, instruction=req.instruction,
                                      recent=req.recent, seed=req.record.id if req.record else "",
                                      note_title=note_title(req.record), max_chars=self.settings.reply_max_chars,
                                      negative=req.triage.scores.get("negative"))
        return Drafts(reply=in_script(self._claims(drafted.text, appeal), req.script), appeal=appeal,
                      cites=drafted.cites)

    @staticmethod
    def _claims(reply: str, appeal: Appeal | None) -> str:
        """A reply says the comment went to the platform only where its appeal is drafted."""
        return reply if appeal is not None else offline.without_report_claims(reply)

    def _fitting_memory(self, req: DraftRequest) -> MemoryRef | None:
        """The nearest approved reply, if its comment is close enough and was in the same situation; never
        under a reviewer's instruction (a regeneration asks for something else)."""
        if req.instruction:
            return None
        # An approved reply given again under the same note would be one reply said twice where onlookers see both
        # (the team's own wording may serve two notes in a day).
        return next((m for m in req.memory if m.similarity >= self.settings.memory_fit
                     and m.situation == req.plan.situation
                     and closest_to(m.reply, req.recent.under_note)[0] < NEAR_IDENTICAL), None)

    def _offline_appeal(self, req: DraftRequest) -> Appeal | None:
        if not req.plan.appeal and req.triage.source != Source.extortion:  # extortion: its own track
            return None
        facts = gather(req.triage, req.evidence, req.folded, req.record)
        excerpt = redact(" ".join(req.comment.split()))
        # Quoted: the report cites the comment as evidence, and a reader must see where its words end.
        excerpt = "“" + (excerpt if len(excerpt) <= 80 else excerpt[:80] + "…") + "”"
        return draft_appeal(req.library, req.brand, choose_reason(req.triage, facts, req.brand), facts, excerpt,
                            pictures=req.pictures)

    def drafts(self, req: DraftRequest, offline_drafts: Drafts) -> tuple[Drafts, StepRecord]:
        """The model's reply and appeal in one call; the offline drafts when there is no model or it fails."""
        if self.client is None:
            return offline_drafts, StepRecord(step="draft", model="offline")
        usage, start = Usage(), time.perf_counter()
        try:
            out = structured_call(self.client, self.settings, "draft", self._variables(req, offline_drafts),
                                  DraftOut, usage)
        except ModelError as e:
            return offline_drafts, self._step("draft", usage, start, model="offline", fallback=f"draft: {e}")
        appeal = offline_drafts.appeal
        if appeal is not None and out.appeal_explanation.strip():
            appeal = appeal.model_copy(update={"explanation": out.appeal_explanation.strip()})
        drew_on = next(iter(self._examples(req)), None)
        return (Drafts(reply=in_script(out.reply.strip(), req.script), appeal=appeal, drew_on=drew_on),
                self._step("draft", usage, start))

    def _examples(self, req: DraftRequest) -> list[MemoryRef]:
        return [m for m in req.memory if m.similarity >= self.settings.memory_examples_from][:2]

    # --- later appeal rungs ----------------------------------------------------------------------
    def rung_text(self, variables: dict[str, object]) -> tuple[str, Usage]:
        """The model's text for a later appeal rung (prompts/ladder.md). Raises ModelError when there is no
        model or it fails; the caller (agent.drafting.ladder_model) checks the text and owns the fallback."""
        if self.client is None:
            raise ModelError("no model configured")
        usage = Usage()
        out = structured_call(self.client, self.settings, "ladder", variables, RungOut, usage)
        return out.text.strip(), usage

    def _variables(self, req: DraftRequest, example: Drafts) -> dict[str, object]:
        reason: Violation | None = example.appeal.reason if example.appeal else None
        return {
            "brand": req.brand.name,
            "strategy": req.plan.strategy.value,
            "situation": req.plan.situation,
            "order_status": offline.order_status(
                req.evidence, verified_no_order=req.plan.strategy == Strategy.neutral_rebuttal),
            "facts": facts_block(req.sources, "brand_fact"),
            "allowed_promises": "、".join(req.brand.allowed_promises) or "(none)",
            "script": "繁体中文" if req.script == "zh-Hant" else "简体中文",
            "max_chars": self.settings.reply_max_chars,
            "example_reply": example.reply,
            "appeal_task": (f"同时写举报补充说明 appeal_explanation（举报理由：{example.appeal.reason_label}），"
                            f"参考：{_clip(example.appeal.explanation, 160)}") if reason and example.appeal else
                           "不需要举报：appeal_explanation 留空字符串。",
            "instruction": req.instruction or "(none)",
            "failed_checks": "\n".join(req.failed_checks) or "(none)",
            "thread": req.thread or "(none)",
            "memory_examples": "\n".join(f"- 评论：{_clip(m.comment, 80)} → 回复：{_clip(m.reply, 160)}"
                                         for m in self._examples(req)) or "(none)",
            # Newest first and short: the model must not say them again, and needs only their gist.
            "recent_replies": "\n".join(f"- {_clip(r, 60)}" for r in req.recent.all[:RECENT_IN_PROMPT]) or "(none)",
            "comment": req.comment,
        }

    def _step(self, step: str, usage: Usage, start: float, model: str | None = None,
              fallback: str | None = None) -> StepRecord:
        return StepRecord(step=step, model=model or self.name, fallback=fallback, calls=usage.calls,  # type: ignore[arg-type]
                          prompt_tokens=usage.prompt_tokens, completion_tokens=usage.completion_tokens,
                          ms=int((time.perf_counter() - start) * 1000))
