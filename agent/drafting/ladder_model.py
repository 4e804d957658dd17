"""A later appeal rung drafted by the model through the one seam (`Drafting.rung_text`, prompts/ladder.md),
or by the offline template: when there is no model, when the model fails, or when its text fails a hard
check (agent.drafting.ladder_guard). The answer says which one wrote the text and why the template stood in.

The model sees the case summary, the evidence, the offline draft of the rung as its skeleton (with the blanks
it must keep) and, of the law, only the sections of knowledge/guidelines/legal_basis.md that the ladder maps
to the case's reasons: a citation from its memory fails `citations_in_knowledge` and the template is used.
"""

from __future__ import annotations

from pathlib import Path

from agent.cases.model import RungAttempt, RungDraft
from agent.cases.rules import RUNGS, Rung
from agent.drafting import ladder_slots as slots
from agent.drafting.drafter import Drafting
from agent.drafting.guardrails import hard_failures
from agent.drafting.ladder import (
    checklist_text,
    draft_rung,
    legal_sections,
    load_ladder,
    off_brand,
    rung_values,
    template_name,
)
from agent.drafting.ladder_guard import model_rung_checks
from agent.drafting.ladder_slots import LadderInput
from agent.enums import VIOLATION_LABELS
from agent.errors import ModelError
from agent.placeholders import placeholder_slots


def _nothing_to_write(rung: Rung, data: LadderInput) -> bool:
    """The first report is drafted with the reply; a second report with no true reason left is a fixed note
    saying so, not a text to improve."""
    # Extortion's steps are facts and blanks for a notary, the police and the lawyer: nothing to improve.
    return rung == Rung.platform_report or (rung == Rung.second_report and data.case.no_reason_left) \
        or data.case.track == "extortion" or off_brand(rung, data)


def case_summary(data: LadderInput) -> str:
    case = data.case
    kind = f"同类评论 {len(case.members)} 条（刷屏）" if case.cluster else "单条评论"
    return "\n".join([
        f"案件 {case.id}：{kind}；严重程度 {case.severity}",
        f"本级使用的举报理由：{VIOLATION_LABELS[case.reason]}",
        f"属实的违规：{'、'.join(VIOLATION_LABELS[v] for v in case.violations) or '无'}",
        f"已用过的举报理由：{'、'.join(VIOLATION_LABELS[v] for v in case.tried) or '无'}",
        "处理记录：", slots.history_text(data.events),
    ])


def evidence(data: LadderInput, knowledge_dir: Path) -> str:
    appeal = slots.appeal_for(data, data.case.reason, knowledge_dir)
    facts = slots.order_facts(data) + slots.brand_facts(data)
    return "\n".join(["核实的情况：", *(f"· {f}" for f in facts or ["（无）"]), "可附的材料：",
                      *(f"· {e}" for e in appeal.evidence_checklist), "证据固定：", checklist_text(data.case)])


def case_legal_sections(data: LadderInput, knowledge_dir: Path) -> str:
    """Only the knowledge base's sections for this case's reasons, in full: all the law the model may cite."""
    basis, sections = load_ladder(knowledge_dir).legal_basis, legal_sections(knowledge_dir)
    headings = dict.fromkeys(h for v in slots.case_reasons(data.case) for h in basis.get(v, []))
    return "\n\n".join(f"## {h}\n{sections[h]}" for h in headings) or "（无：不引用任何法律条文）"


def must_keep(rung: Rung, data: LadderInput, knowledge_dir: Path) -> list[str]:
    values = rung_values(data, knowledge_dir)
    return [slots.fill(p, values) for p in load_ladder(knowledge_dir).must_keep.get(template_name(rung, data.case), [])]


def prompt_variables(rung: Rung, data: LadderInput, template: str, knowledge_dir: Path) -> dict[str, object]:
    return {"brand": data.brand.name, "rung_label": RUNGS[rung].label, "case_summary": case_summary(data),
            "evidence": evidence(data, knowledge_dir), "legal_sections": case_legal_sections(data, knowledge_dir),
            "placeholders": "\n".join(dict.fromkeys(placeholder_slots(template))) or "（无）", "template": template}


def draft_rung_checked(drafting: Drafting, rung: Rung, data: LadderInput, knowledge_dir: Path) -> RungDraft:
    """The text for `rung`: the model's when it passes every hard check, else the offline template's."""
    template = draft_rung(rung, data, knowledge_dir)
    if drafting.client is None or _nothing_to_write(rung, data):
        return RungDraft(text=template)
    try:
        text, usage = drafting.rung_text(prompt_variables(rung, data, template, knowledge_dir))
    except ModelError as e:
        return RungDraft(text=template, fallback=f"{rung.value}: {e}")
    checks = model_rung_checks(text, template, brand=data.brand, comments=[i.comment.text for i in data.items],
                               source=data.case.source, violations=data.case.violations,
                               must_keep=must_keep(rung, data, knowledge_dir), knowledge_dir=knowledge_dir)
    cost = {"calls": usage.calls, "prompt_tokens": usage.prompt_tokens}
    hard = hard_failures(checks)
    if hard:
        return RungDraft(text=template, fallback=f"the model's draft failed {', '.join(c.name for c in hard)}",
                         rejected=RungAttempt(model=drafting.name, text=text, failed_checks=hard), **cost)
    return RungDraft(text=text, model=drafting.name, **cost)
