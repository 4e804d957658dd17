"""Drafts for the later rungs of the escalation ladder, offline, from knowledge/scripts/ladder.yaml.

Each rung's template is filled from the brand's facts, the case's evidence and history, and the legal
basis in knowledge/guidelines/legal_basis.md. Facts nobody has are visible 【待确认：…】 blanks. A law is
cited only if that file holds it: `citations_in_knowledge` fails any draft citing a law or an article the
knowledge base does not have, so a citation is never invented (by a template author or, later, a model).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from agent.cases.model import Case
from agent.cases.rules import Rung, checklist_for, second_reason
from agent.drafting import ladder_slots as slots
from agent.drafting.ladder_gates import about_brand
from agent.drafting.ladder_slots import LadderInput
from agent.enums import VIOLATION_LABELS
from agent.knowledge.loading import KnowledgeError, load_yaml
from agent.placeholders import placeholder_slots
from agent.schemas import Appeal, CheckResult, Violation, checked, found

LEGAL_FILE = Path("guidelines") / "legal_basis.md"
LADDER_FILE = Path("scripts") / "ladder.yaml"

_LAW = r"《([^》\n]{1,40})》"
_ARTICLE = r"第([0-9一二三四五六七八九十百千零两]+)条"
_CITATION = re.compile(f"{_LAW}|{_ARTICLE}")
_SENTENCE = re.compile(r"[^。；;\n]+")
_QUOTED = re.compile(r"“[^”]*”")  # quoted comments are evidence, not our citations
_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"两": 2}
_UNITS = {"十": 10, "百": 100, "千": 1000}


class LadderLibrary(BaseModel):
    model_config = ConfigDict(extra="forbid")

    legal_basis: dict[Violation, list[str]]
    must_keep: dict[str, list[str]] = Field(default_factory=dict)  # phrases a model's rung draft keeps
    templates: dict[str, str]
    recovery: dict[str, str]
    sentences: dict[str, str] = Field(default_factory=dict)  # lines a rung says only when the record has them
    regulator_categories: dict[Violation, str] = Field(default_factory=dict)  # 12377's own categories
    notes: dict[str, str] = Field(default_factory=dict)  # for the reviewer beside a draft, never in its text
    wrong_reader: dict[str, list[str]] = Field(default_factory=dict)  # patterns written for another reader
    internal_markers: list[str] = Field(default_factory=list)  # an internal note's traces in a text to paste
    all_ready: list[str] = Field(default_factory=list)  # "everything is attached": true only when all is ticked


def cn_number(text: str) -> int | None:
    """An article number written 1024 or 一千零二十四; None when it is neither."""
    if text.isdigit():
        return int(text)
    total, digit = 0, 0
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _UNITS:
            total, digit = total + (digit or 1) * _UNITS[ch], 0
        else:
            return None
    return total + digit


def _law_name(name: str) -> str:
    return name.removeprefix("中华人民共和国")


def citations(text: str) -> tuple[set[str], set[tuple[str, int | None]]]:
    """The laws a text names and the (law, article) pairs it cites; an article names the last law before it
    in its sentence (None when there is none)."""
    laws: set[str] = set()
    pairs: set[tuple[str, int | None]] = set()
    for sentence in _SENTENCE.findall(_QUOTED.sub("", text)):
        current = ""
        for m in _CITATION.finditer(sentence):
            if m.group(1):
                current = _law_name(m.group(1))
                laws.add(current)
            else:
                pairs.add((current, cn_number(m.group(2))))
    return laws, pairs


@lru_cache(maxsize=8)
def _legal_text(path: Path, _mtime: float) -> str:
    return path.read_text(encoding="utf-8")


def legal_text(knowledge_dir: Path) -> str:
    path = knowledge_dir / LEGAL_FILE
    if not path.is_file():
        raise KnowledgeError(f"{path}: file not found (the legal basis the ladder may cite)")
    return _legal_text(path, path.stat().st_mtime)


def legal_sections(knowledge_dir: Path) -> dict[str, str]:
    """Section heading -> its text, from the legal-basis file."""
    parts = re.split(r"^## +(.+)$", legal_text(knowledge_dir), flags=re.M)
    return {parts[i].strip(): parts[i + 1].strip() for i in range(1, len(parts) - 1, 2)}


def citations_in_knowledge(text: str, knowledge_dir: Path) -> CheckResult:
    """Fails when the text cites a law (《…》) or an article (第X条) the legal-basis file does not hold."""
    known_laws, known_pairs = citations(legal_text(knowledge_dir))
    laws, pairs = citations(text)
    problems = [found("《{law}》 is not in {file}", law=law, file=LEGAL_FILE) for law in sorted(laws - known_laws)]
    problems += [found("第{article}条 of 《{law}》 is not in {file}", article=n, law=law, file=LEGAL_FILE) if law
                 else found("第{article}条 cited without its law", article=n)
                 for law, n in sorted(pairs - known_pairs, key=str) if law in known_laws or not law]
    return checked("citations_in_knowledge", problems, blocks_approval=bool(problems), hard=True)


def ladder_checks(text: str, knowledge_dir: Path) -> list[CheckResult]:
    """The checks shown beside a rung's draft: citations from the knowledge base; blanks still to fill."""
    blanks = placeholder_slots(text)
    return [citations_in_knowledge(text, knowledge_dir),
            checked("placeholders_filled", [found("fill {words} before approving", words=b) for b in blanks],
                    detail=", ".join(blanks), blocks_approval=bool(blanks))]


def load_ladder(knowledge_dir: Path) -> LadderLibrary:
    path = knowledge_dir / LADDER_FILE
    return _load_ladder(path, path.stat().st_mtime if path.exists() else 0.0, knowledge_dir)


@lru_cache(maxsize=4)
def _load_ladder(path: Path, _mtime: float, knowledge_dir: Path) -> LadderLibrary:
    try:
        library = LadderLibrary.model_validate(load_yaml(path))
    except ValueError as e:
        raise KnowledgeError(f"{path}: {e}") from e
    sections = legal_sections(knowledge_dir)
    missing = [h for hs in library.legal_basis.values() for h in hs if h not in sections]
    if missing:
        raise KnowledgeError(f"{path}: legal basis '{missing[0]}' is not a section of {LEGAL_FILE}")
    return library


def first_report(appeal: Appeal) -> str:
    """The platform report as a person submits it: the reason, the explanation, what to attach."""
    attach = "\n".join(f"· {e}" for e in appeal.evidence_checklist) or "· 评论截图（含发布时间、账号主页）"
    # What to upload is a list to prepare from, not a claim that it exists (a look-alike list may not).
    return f"举报理由：{appeal.reason_label}\n补充说明：\n{appeal.explanation}\n附件（有哪项传哪项，没有的不上传）：\n{attach}"


def checklist_text(case: Case) -> str:
    """The evidence-fixing checklist with what is ticked (who, when) and what is still open."""
    return "\n".join(f"{'☑' if key in case.checklist else '☐'} {label}"
                     + (f"（{case.checklist[key]}）" if key in case.checklist else "")
                     for key, label in checklist_for(case.cluster, case.track).items())


def rung_values(data: LadderInput, knowledge_dir: Path) -> dict[str, str]:
    """Every slot of the ladder's templates for this case, the lines said only on the record's word included."""
    library = load_ladder(knowledge_dir)
    values = slots.values(data, knowledge_dir, library.legal_basis, legal_sections(knowledge_dir))
    values["checklist"] = checklist_text(data.case)
    return values | slots.reader_values(data, library.sentences, library.regulator_categories)


def draft_rung(rung: Rung, data: LadderInput, knowledge_dir: Path) -> str:
    """The text of `rung` for this case, offline. The case's `reason` is the one the rung reports."""
    library = load_ladder(knowledge_dir)
    if rung == Rung.platform_report:
        return first_report(slots.appeal_for(data, data.case.reason, knowledge_dir))
    name = "off_brand_none" if off_brand(rung, data) else template_name(rung, data.case)
    text = slots.fill(library.templates[name], rung_values(data, knowledge_dir))
    return "\n".join(line for line in text.splitlines() if line.strip())  # a line the record had nothing for


def off_brand(rung: Rung, data: LadderInput) -> bool:
    """A rung past the platform's own report for comments that do not concern the brand: the brand is not the
    injured party, so the rung is a note saying so, never a complaint in its name (extortion aside: a demand
    for money is made of the brand whatever the comment names)."""
    known = any(i.id in data.case.members for i in data.items)  # comments on record to read: else nothing is known
    return rung != Rung.platform_report and data.case.track != "extortion" and known and not about_brand(data)


def template_name(rung: Rung, case: Case) -> str:
    """The template (and its must_keep, notes and wrong-reader words) of `rung` for this case: extortion's
    lawyer reads a crime's facts, not a defamation letter's."""
    if rung == Rung.second_report and case.no_reason_left:
        return "second_report_none"  # no other reason the comment shows: say so instead of inventing one
    if case.track == "extortion" and rung == Rung.legal_brief:
        return "legal_brief_extortion"
    return rung.value


def second_report_reason(case: Case) -> Violation | None:
    """Which reason the second report uses: the best true reason not tried yet."""
    return second_reason(case.violations, case.cluster, case.tried)


def recovery_note(data: LadderInput, knowledge_dir: Path) -> str:
    """The note after a crisis closes: thanks and the improvement for a real customer's problem; the
    checkable facts, with nobody named, after an attack."""
    library = load_ladder(knowledge_dir)
    kind = "genuine" if data.case.source in ("genuine_experience", "misunderstanding") else "attack"
    return slots.fill(library.recovery[kind], rung_values(data, knowledge_dir))


def reason_label(reason: Violation) -> str:
    return VIOLATION_LABELS[reason]
