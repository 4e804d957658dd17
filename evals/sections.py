"""`redreply eval sections`: whole comment sections, every comment's action scored against two blind labellers.

Each set folder (evals/datasets/sections/{dev,holdout,fresh}) holds MediaCrawler exports (`<stem>_comments_<date>`
beside `<stem>_contents_<date>`), `brands.json` (stem → brand) and the labels of two readers. Every comment is
imported as `redreply import` reads it, with the section's evidence, triaged by the offline rules and given
its action by the plan's own function (`agent.planning.action.decide_action`); nothing is drafted.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from pydantic import BaseModel

from agent.config import PROJECT_ROOT, Settings
from agent.errors import UserError
from agent.knowledge.brands import load_brand
from agent.planning.action import decide_action
from agent.planning.action_input import RULES, ActionInput
from agent.schemas import Evidence
from agent.sources import read_any
from agent.text import normalize_for_match
from agent.triage import kind_model
from agent.triage.pii import find_pii
from agent.triage.rules import rule_triage
from agent.triage.section_evidence import section_inputs

SECTIONS_DIR = PROJECT_ROOT / "evals" / "datasets" / "sections"
SETS = ("dev", "holdout", "fresh", "fresh2", "fresh3", "fresh4", "fresh5")
NOT_WELCOMED = frozenset({"question", "chatter", "spam"})  # kinds an apology or a thank-you never suits


class Decided(BaseModel):
    id: str
    section: str
    text: str
    action: str
    reason: str
    kind: str


class SetReport(BaseModel):
    name: str
    comments: int
    metrics: dict[str, float]
    misses: list[str]
    rule_effects: dict[str, float] = {}


def _labels(path: Path) -> dict[str, dict[str, str]]:
    if not path.is_file():
        raise UserError(f"labels not found: {path}")
    return {row["id"]: row for row in (json.loads(line) for line in path.open(encoding="utf-8") if line.strip())}


def section_inputs_of(folder: Path, settings: Settings) -> list[tuple[str, ActionInput]]:
    """(section, action input) of every comment of every section in the folder, read, triaged and classified once."""
    brands = json.loads((folder / "brands.json").read_text(encoding="utf-8"))
    model, out = kind_model.load(), []
    for stem, brand_id in sorted(brands.items()):
        files = sorted(folder.glob(f"{stem}_comments_*"))
        if not files:
            raise UserError(f"{folder}: no comments file for section {stem}")
        brand = load_brand(settings.knowledge_dir, brand_id)
        result = read_any(files[0], brand_accounts=brand.account_keys)
        for line in section_inputs(result, brand, 300):
            triage = rule_triage(normalize_for_match(line.text), find_pii(line.text), Evidence(), settings.knowledge_dir)
            out.append((stem, ActionInput(line.text, triage, model.guess(line.text), line.context, brand, id=line.id)))
    return out


def decide(inputs: list[tuple[str, ActionInput]], off: frozenset[str] = frozenset()) -> list[Decided]:
    out = []
    for stem, inp in inputs:
        action, reason = decide_action(replace(inp, off=off))
        out.append(Decided(id=inp.id, section=stem, text=inp.text, action=action.value, reason=reason,
                           kind=inp.kind.kind))
    return out


def decide_set(folder: Path, settings: Settings) -> list[Decided]:
    """Every comment of every section in the folder, with its action and reason."""
    return decide(section_inputs_of(folder, settings))


def score_set(name: str, decided: list[Decided], first: dict[str, dict[str, str]],
              second: dict[str, dict[str, str]]) -> SetReport:
    ids = [d for d in decided if d.id in first]
    n = len(ids) or 1

    def right(labels: dict[str, dict[str, str]], d: Decided) -> bool:
        return d.id in labels and labels[d.id]["action"] == d.action

    unwelcome = [d for d in ids if (first[d.id]["kind"] in NOT_WELCOMED or first[d.id].get("about") == "other_brand")]
    wrongly_answered = [d for d in unwelcome if d.action in ("reply", "thank") and first[d.id]["action"] not in ("reply", "thank")]
    to_report = [d for d in ids if first[d.id]["action"] == "report" and first[d.id]["kind"] == "spam"]
    both = [d for d in ids if d.id in second]
    metrics = {
        "action_accuracy": sum(right(first, d) for d in ids) / n,
        "action_accuracy_second": sum(right(second, d) for d in both) / (len(both) or 1),
        "action_accuracy_either": sum(right(first, d) or right(second, d) for d in ids) / n,
        "labellers_agree": sum(first[d.id]["action"] == second[d.id]["action"] for d in both) / (len(both) or 1),
        "unwelcome_not_apologised_or_thanked": 1 - len(wrongly_answered) / (len(unwelcome) or 1),
        "spam_reported": sum(d.action == "report" for d in to_report) / (len(to_report) or 1),
    }
    misses = [f"{d.section} {d.id}: {first[d.id]['action']} ≠ {d.action} ({d.reason}; kind {d.kind}) {d.text[:40]}"
              for d in ids if not right(first, d)]
    return SetReport(name=name, comments=len(ids), metrics={k: round(v, 4) for k, v in metrics.items()}, misses=misses)


def evaluate_sections(settings: Settings, root: Path = SECTIONS_DIR, sets: tuple[str, ...] = SETS) -> list[SetReport]:
    """Each set scored; `rule_effects` holds, per hand rule of agent.planning.action_input.RULES, how much action accuracy
    it adds (the run with it minus the run without it)."""
    reports = []
    for name in sets:
        folder = root / name
        if not folder.is_dir():
            raise UserError(f"section set not found: {folder}")
        inputs = section_inputs_of(folder, settings)
        first, second = _labels(folder / "labels.jsonl"), _labels(folder / "labels_second.jsonl")
        report = score_set(name, decide(inputs), first, second)
        base = report.metrics["action_accuracy"]
        report.rule_effects = {rule: round(base - score_set(name, decide(inputs, frozenset({rule})), first, second)
                                           .metrics["action_accuracy"], 4) for rule in RULES}
        reports.append(report)
    return reports
