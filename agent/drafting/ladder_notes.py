"""What a reviewer reads beside a rung's draft and never pastes: the reason tried before and how it ended,
the evidence still open, what this rung's reader will and will not do. And the checks that a draft was
written for its reader: no wording meant for another one, no internal note inside the text to paste, and
no evidence claimed attached that the case's checklist has not ticked.

The words are data (knowledge/scripts/ladder.yaml: notes, wrong_reader, internal_markers, all_ready).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from agent.cases.rules import Rung, checklist_for
from agent.drafting.ladder import load_ladder, template_name
from agent.drafting.ladder_slots import RESULT_LABELS, LadderInput, appeal_for, failed_outcomes, fill
from agent.enums import VIOLATION_LABELS
from agent.placeholders import placeholder_slots
from agent.schemas import CheckResult, Finding, Violation, checked, found
from agent.triage import safety


def reviewer_notes(rung: Rung, data: LadderInput, knowledge_dir: Path) -> list[str]:
    """The notes for the person who submits `rung`: shown beside the draft, never part of it."""
    notes = load_ladder(knowledge_dir).notes
    case, out = data.case, []
    if rung == Rung.second_report and case.reason not in case.tried and case.tried:
        failed = failed_outcomes(data.events)
        last = failed[-1] if failed else None
        result = RESULT_LABELS.get(last.to_state.split(":")[-1], "") if last else "未成功"
        previous = Violation(last.reason) if last and last.reason else case.tried[-1]
        out.append(fill(notes["second_report"], {"last_reason": VIOLATION_LABELS[previous], "last_result": result,
                                                 "reason_label": VIOLATION_LABELS[case.reason]}))
    if rung != Rung.platform_report and not any(e.action == "submit" for e in data.events):
        out.append(notes["no_events"])
    pending = [label for key, label in checklist_for(case.cluster, case.track).items() if key not in case.checklist]
    if pending and rung not in (Rung.platform_report, Rung.evidence_preserved):  # that step's text is the list
        out.append(fill(notes["pending"], {"count": str(len(pending)), "items": "；".join(pending)}))
    name = template_name(rung, case)
    if rung != Rung.second_report and name in notes:
        out.append(notes[name])
    if case.track == "extortion" and "extortion" in notes:
        out.append(notes["extortion"])
    return out


@lru_cache(maxsize=64)
def _pattern(words: tuple[str, ...]) -> re.Pattern[str] | None:
    return re.compile("|".join(f"(?:{w})" for w in words)) if words else None


def wrong_reader(rung: Rung, text: str, knowledge_dir: Path, name: str | None = None) -> list[str]:
    """The phrases of `text` written for another reader than `rung`'s (a delete request to 12377…);
    `name`: the rung's template for this case (agent.drafting.ladder.template_name), when it is another."""
    pattern = _pattern(tuple(load_ladder(knowledge_dir).wrong_reader.get(name or rung.value, [])))
    return [m.group(0) for m in pattern.finditer(text)] if pattern else []


def internal_leaks(text: str, knowledge_dir: Path, ids: tuple[str, ...] = ()) -> list[str]:
    """Traces of an internal note ("上一次以…举报未成功", "第二次举报") and the queue's own ids (the case's, its
    comments') in a text to paste."""
    return safety.internal_traces(text, ids, load_ladder(knowledge_dir).internal_markers)


def internal_ids(data: LadderInput) -> tuple[str, ...]:
    return (data.case.id, *data.case.members)


# The rung checks' findings as the CLI and the evals have long read them, in Chinese like the rung drafts beside
# them; the desk words the same findings through its catalogs.
CLI_WORDS = {
    "says “{words}” while checklist items are still open": "{words}",
    "{words}… (the first report's list of what to attach) is written as attached": "{words}…（首次举报的附件清单）被写成已随附",
    "{words}… is written as attached but not ticked": "{words}…未勾选却被写成已随附",
    "「{words}」 is not written for this rung's reader": "「{words}」不是写给这一级的话",
    "internal record 「{words}」 in the text to paste": "内部记录「{words}」在要粘贴的文字里",
}


def cli_detail(findings: list[Finding]) -> str:
    return "；".join(CLI_WORDS[f.text].format(**f.values) for f in findings)


def evidence_claims(text: str, data: LadderInput, knowledge_dir: Path, first_report: bool = False) -> list[str]:
    """Evidence the text claims without the checklist's tick, worded for the CLI and the evals."""
    return [CLI_WORDS[f.text].format(**f.values) for f in evidence_findings(text, data, knowledge_dir, first_report)]


def evidence_findings(text: str, data: LadderInput, knowledge_dir: Path, first_report: bool = False
                      ) -> list[Finding]:
    """Evidence the text claims without the checklist's tick: "all ready" with items open, an open item
    listed without being marked as still to prepare (☐ or the pending mark), or the first report's list of
    what to attach copied into a later rung as if it were attached (no tick stands behind those)."""
    library = load_ladder(knowledge_dir)
    mark = library.sentences.get("pending_item", "")
    open_items = [label for key, label in checklist_for(data.case.cluster, data.case.track).items()
                  if key not in data.case.checklist]
    out = [found("says “{words}” while checklist items are still open", words=w)
           for w in library.all_ready if open_items and w in text]
    # The first report's own list is what to upload, not a claim: only a later rung copying it claims anything.
    if data.items and not first_report:  # the brand file's documents are on record; the rest is still to prepare
        held = [c.title for c in data.brand.certifications]
        out += [found("{words}… (the first report's list of what to attach) is written as attached", words=e[:12])
                for e in appeal_for(data, data.case.reason, knowledge_dir).evidence_checklist
                if e in text and not (mark and f"{e}{mark}" in text) and not any(t in e for t in held) and not placeholder_slots(e)]
    for line in text.splitlines():
        out += [found("{words}… is written as attached but not ticked", words=label[:12]) for label in open_items
                if label in line and "☐" not in line and (not mark or mark not in line)]
    return out


def reader_checks(rung: Rung, text: str, data: LadderInput, knowledge_dir: Path) -> list[CheckResult]:
    """The checks beside a rung's draft that it was written for its reader and says only what is ticked."""
    wrong = wrong_reader(rung, text, knowledge_dir, template_name(rung, data.case))
    leaks = internal_leaks(text, knowledge_dir, internal_ids(data))
    claims = evidence_findings(text, data, knowledge_dir, first_report=rung == Rung.platform_report)
    wrong_found = [found("「{words}」 is not written for this rung's reader", words=w) for w in wrong]
    leaks_found = [found("internal record 「{words}」 in the text to paste", words=w) for w in leaks]
    return [
        checked("reader_fit", wrong_found, detail=cli_detail(wrong_found), hard=True, blocks_approval=bool(wrong)),
        checked("no_internal_note", leaks_found, detail=cli_detail(leaks_found), hard=True, blocks_approval=bool(leaks)),
        checked("evidence_as_ticked", claims, detail=cli_detail(claims), hard=True, blocks_approval=bool(claims)),
    ]
