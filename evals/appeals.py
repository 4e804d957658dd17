"""`redreply eval appeals`: labelled comments with the report they deserve (a reason, "extortion",
"legal_review" or "none") and the record an appeal may state facts from, drafted offline and scored for
reason accuracy, unsupported statements, wrong-party reports and the extortion track.

An appeal may state a fact only from the row's own record: an order lookup only with an author or order
id to look up by, the spread only with likes, look-alikes and history never (each row stands alone).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from agent.cases.rules import Rung
from agent.config import PROJECT_ROOT, Settings
from agent.drafting.appeal import draft_appeal
from agent.drafting.appeal_facts import gather
from agent.drafting.appeal_reason import choose_reason
from agent.drafting.drafter import Drafting
from agent.errors import UserError
from agent.knowledge.brands import load_brand
from agent.knowledge.order_records import load_orders
from agent.knowledge.script_library import load_script_library
from agent.knowledge.wording import appeals
from agent.queue_item import Item
from agent.schemas import Appeal, CommentIn, Evidence
from agent.text import normalize_for_match
from agent.triage.orders import find_order
from agent.triage.pii import find_pii, redact
from agent.triage.rules import rule_triage
from evals import appeal_rungs as rungs

DATASETS = {"tuned": PROJECT_ROOT / "evals/datasets/appeals.jsonl",
            "holdout": PROJECT_ROOT / "evals/datasets/appeals_holdout.jsonl"}


class AppealRow(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    brand: str
    text: str
    reason: str
    author: str | None = None
    likes: int | None = None
    posted_at: str | None = None


def _allowed(row: AppealRow, order_found: bool) -> set[str]:
    """The statement kinds the row's record supports (agent/knowledge/wording appeals.statement_needs)."""
    allowed = {"insult", "contact"}  # what the comment contains is checked by the reason's grounds
    if row.author:
        allowed.add("order_found" if order_found else "order_none")
    if row.likes:
        allowed.add("spread")
    return allowed


def draft_row(row: AppealRow, settings: Settings) -> tuple[str, Appeal | None, set[str]]:
    key, appeal, allowed, _ = drafted(row, settings)
    return key, appeal, allowed


def drafted(row: AppealRow, settings: Settings, posted: str | None = None
            ) -> tuple[str, Appeal | None, set[str], Item | None]:
    """The row's decision, its appeal, the statements its record supports, and the item a case is opened for.
    `posted`: the posting time the item's comment carries when the row has none (the rung walk's)."""
    record = CommentIn(id=row.id, text=row.text, author=row.author, likes=row.likes, posted_at=row.posted_at)
    folded, pii = normalize_for_match(row.text), find_pii(row.text)
    order = find_order(load_orders(settings.knowledge_dir, row.brand), record)
    evidence = Evidence(order_found=order is not None, order=order)
    triage = rule_triage(folded, pii, evidence, settings.knowledge_dir)
    brand = load_brand(settings.knowledge_dir, row.brand)
    facts = gather(triage, evidence, folded, record)
    choice = choose_reason(triage, facts, brand)
    appeal = draft_appeal(load_script_library(settings.knowledge_dir), brand, choice, facts,
                          "“" + redact(row.text) + "”")
    item = rungs.item_for(row.id, row.brand, record.model_copy(update={"posted_at": row.posted_at or posted}),
                          triage, evidence, appeal) if appeal else None
    return choice.key, appeal, _allowed(row, order is not None), item


def unsupported(appeal: Appeal | None, allowed: set[str]) -> list[str]:
    if appeal is None:
        return []
    needs = appeals().statement_needs
    return [f"{need}: {line}" for line in appeal.explanation.splitlines()
            for need, p in needs.items() if p.search(line) and need not in allowed]


def load_rows(path: Path) -> list[AppealRow]:
    try:
        return [AppealRow(**json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    except (OSError, ValueError) as e:
        raise UserError(f"{path}: {str(e).splitlines()[0]}") from None


def _extortion_complete(appeal: Appeal | None) -> bool:
    return bool(appeal and appeal.track == "extortion" and any("私信" in c for c in appeal.evidence_checklist)
                and any("公安" in s or "报案" in s for s in appeal.next_steps))


def evaluate(path: Path, settings: Settings) -> tuple[dict[str, float], list[str], list[dict[str, object]]]:
    rows = load_rows(path)
    right = wrong_party = extortion_ok = extortion_n = 0
    bad: list[str] = []
    misses: list[str] = []
    sheet: list[dict[str, object]] = []
    walked: list[rungs.RungDraftScore] = []
    drafting = Drafting(settings.with_overrides(model="offline"), None)
    for n, row in enumerate(rows):
        key, appeal, allowed, item = drafted(row, settings, posted=rungs.POSTED if n % 2 else None)
        right += key == row.reason
        if key != row.reason:
            misses.append(f"{row.id} {row.text[:30]}: expected {row.reason}, got {key}")
        wrong_party += key == "ip_infringement" and row.reason != "ip_infringement" or (
            row.reason == "legal_review" and appeal is not None)
        bad += [f"{row.id} {u}" for u in unsupported(appeal, allowed)]
        scores = rungs.score(row.id, row.text, item, allowed, settings, drafting) \
            if item is not None and appeal is not None else []
        walked += scores
        if row.reason == "extortion":  # the report, the DM evidence, and the police report its case reaches
            extortion_n += 1
            extortion_ok += _extortion_complete(appeal) and any(s.rung == Rung.police_report for s in scores)
        if appeal is not None:
            sheet.append({"id": row.id, "comment": row.text, "reason": appeal.reason_label,
                          "explanation": appeal.explanation, "evidence": appeal.evidence_checklist,
                          "next_steps": appeal.next_steps, "grade": ""})
    metrics = {"comments": float(len(rows)), "reason_accuracy": round(right / len(rows), 4) if rows else 0.0,
               "unsupported_statements": float(len(bad)), "wrong_party_reports": float(wrong_party),
               "extortion_complete": round(extortion_ok / extortion_n, 4) if extortion_n else 1.0,
               **rungs.metrics(walked)}
    return metrics, misses + bad + rungs.misses(walked), sheet


TARGETS = {"reason_accuracy": (">=", 0.9), "unsupported_statements": ("<=", 0.0),
           "wrong_party_reports": ("<=", 0.0), "extortion_complete": (">=", 1.0),
           "rung_unsupported": ("<=", 0.0), "rung_wrong_reader": ("<=", 0.0), "rung_internal_notes": ("<=", 0.0),
           "rung_evidence_unticked": ("<=", 0.0)}


def report(split: str, floors: dict[str, float], sheet_path: Path | None, settings: Settings) -> int:
    metrics, misses, sheet = evaluate(DATASETS[split], settings)
    print(f"eval appeals ({split}: {DATASETS[split].name})")
    print(f"{'metric':<26}{'value':>9}  target")
    for key, value in metrics.items():
        op, goal = TARGETS.get(key, ("", 0.0))
        print(f"{key:<26}{value:>9.4f}  {op} {goal:g}" if op else f"{key:<26}{int(value):>9d}")
    for miss in misses:
        print(f"miss: {miss}")
    if sheet_path:
        sheet_path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in sheet), encoding="utf-8")
        print(f"rating sheet: {len(sheet)} appeals → {sheet_path} (fill `grade` with A–D)")
    low = [k for k, v in floors.items() if (metrics.get(k, 0.0) > v + 1e-12 if TARGETS.get(k, (">=",))[0] == "<="
                                             else metrics.get(k, 0.0) < v - 1e-12)]
    for k in low:
        print(f"threshold missed: {k} {metrics[k]:.4f} (floor {floors[k]:g})", file=sys.stderr)
    return 1 if low else 0
