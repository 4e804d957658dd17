"""`redreply eval rate appeals`: a blind rating sheet of appeals and rung drafts on comments nobody tuned on.

The comments are the held-out appeals set, the labelled held-out cases (heldout.jsonl) and the held-out
sections (evals/datasets/sections/holdout, read as `redreply import` reads an export). Each is drafted by
the product (the configured model, offline by default) as `redreply batch` drafts it; every appeal drafted
goes on the sheet as the platform report a person files, and every case is walked up its rungs as `eval
appeals` walks it (evals.appeal_rungs; an extortion case up its own track), a few drafts of each rung on the
sheet. The sheet has the
columns of `eval rate sample` (item, reader, comment, draft, notes, grade, reason), so `eval rate aggregate`
reads it; which set, rung and reason each row came from is in the key beside it, never on the sheet.
"""

from __future__ import annotations

import csv
import json
import random
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from agent.cases.rules import RUNGS
from agent.config import PROJECT_ROOT, Settings
from agent.drafting.drafter import Drafting
from agent.drafting.ladder import first_report, template_name
from agent.drafting.ladder_gates import proportionate
from agent.drafting.ladder_notes import reviewer_notes
from agent.errors import UserError
from agent.knowledge.brands import load_brand
from agent.queue_item import Item
from agent.schemas import CommentIn, DraftResult
from evals import appeal_rungs as rungs
from evals.appeals import DATASETS, load_rows
from evals.rate import GRADE_COLUMN, REASON_COLUMN

DATA = PROJECT_ROOT / "evals" / "datasets"
COLUMNS = ["item", "reader", "comment", "draft", "notes for the person who files it (not sent)", GRADE_COLUMN,
           REASON_COLUMN]
PER_RUNG = 3  # rung drafts per rung on the sheet
Source = tuple[str, str, list[CommentIn]]  # (set name, brand, comments)


def held_out(settings: Settings) -> list[Source]:
    """The comments nobody tuned on, by set and brand."""
    from agent.sources import read_any
    from agent.sources.models import THREAD_TOKENS
    from agent.triage.section_evidence import section_inputs

    rows: dict[str, list[CommentIn]] = defaultdict(list)
    for row in load_rows(DATASETS["holdout"]):
        rows[row.brand].append(CommentIn(id=row.id, text=row.text, author=row.author, likes=row.likes,
                                         posted_at=row.posted_at))
    out: list[Source] = [("appeals_holdout", brand, comments) for brand, comments in rows.items()]
    by_brand: dict[str, list[CommentIn]] = defaultdict(list)
    for line in (DATA / "heldout.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            case = json.loads(line)
            by_brand[case["brand"]].append(CommentIn(**{"id": case["id"], **case["comment"]}))
    out += [("heldout", brand, comments) for brand, comments in by_brand.items()]
    sections = DATA / "sections" / "holdout"
    brands = json.loads((sections / "brands.json").read_text(encoding="utf-8"))
    for path in sorted(sections.glob("*_comments_*.jsonl")):
        brand = brands[path.name.split("_comments_")[0]]
        profile = load_brand(settings.knowledge_dir, brand)
        export = read_any(path, brand_accounts=profile.account_keys, max_chars=settings.comment_max_chars)
        out.append(("sections_holdout", brand, section_inputs(export, profile, THREAD_TOKENS)))
    return out


def _drafted(sources: Iterable[Source], settings: Settings) -> list[tuple[str, CommentIn, DraftResult]]:
    """Each set drafted as `redreply batch` drafts an export: accepted into the queue, then drafted."""
    from agent.review.service import ReviewDesk

    desk = ReviewDesk(settings)
    out = []
    results: dict[str, DraftResult] = {}

    def keep(item_id: str, result: DraftResult | None, _error: str | None) -> None:
        if result is not None:
            results[item_id] = result

    for name, brand, comments in sources:
        desk.draft_all(desk.resume_batch(comments, brand, set()).todo, on_done=keep)
        out += [(name, c, results[c.id]) for c in comments if c.id in results]
    return out


def extra_source(spec: str, settings: Settings) -> Source:
    """`FILE:BRAND`: another file of comments nobody tuned on (read as an import reads it), e.g. a sample of
    real comments whose licence keeps them out of the project (write that sheet outside it)."""
    from agent.sources import read_any
    from agent.sources.models import THREAD_TOKENS
    from agent.triage.section_evidence import section_inputs

    path, _, brand = spec.rpartition(":")
    if not path or not brand:
        raise UserError(f"--also {spec!r}: expected FILE:BRAND")
    profile = load_brand(settings.knowledge_dir, brand)
    export = read_any(Path(path), brand_accounts=profile.account_keys, max_chars=settings.comment_max_chars)
    return (Path(path).stem, brand, section_inputs(export, profile, THREAD_TOKENS))


def build(sources: Iterable[Source], settings: Settings, seed: int = 0) -> list[dict[str, str]]:
    """The sheet's rows (each with its key fields): the appeals, then the rung drafts, each shuffled."""
    drafting = Drafting(settings, None)  # the rungs as `case escalate` drafts them offline
    appeals_out: list[dict[str, str]] = []
    by_rung: dict[str, list[dict[str, str]]] = defaultdict(list)
    for name, comment, result in _drafted(sources, settings):
        if result.appeal is None:
            continue
        common = {"comment": comment.text, "source": name, "decision": result.appeal.reason.value}
        appeals_out.append({"item": f"appeal:{comment.id}", "reader": "平台举报表单", "kind": "appeal",
                            "stratum": "appeal", "draft": first_report(result.appeal),
                            "notes": "\n".join(result.appeal.next_steps), **common})
        item = Item(id=comment.id, brand=result.brand, comment=comment, status="needs_review", version=0,
                    result=result, created_at=rungs.imported_at(comment).isoformat())
        for rung, data, text in rungs.walk(item, settings, drafting):
            gate = proportionate(rung, data)  # shown beside the draft on the desk: the rater sees it too
            notes = "\n".join(reviewer_notes(rung, data, settings.knowledge_dir) + ([] if gate.passed else [gate.detail]))
            name = template_name(rung, data.case)  # extortion's lawyer is a stratum of its own
            by_rung[name].append({"item": f"{rung.value}:{comment.id}", "reader": RUNGS[rung].label,
                                  "kind": "rung", "stratum": f"rung:{name}", "draft": text,
                                  "notes": notes, **common})
    rng = random.Random(seed)
    picked = [r for rows in by_rung.values() for r in rng.sample(rows, min(PER_RUNG, len(rows)))]
    rng.shuffle(appeals_out)
    rng.shuffle(picked)
    return appeals_out + picked


def write(out: Path, settings: Settings, seed: int = 0, sources: list[Source] | None = None) -> tuple[int, int, Path]:
    rows = build(held_out(settings) if sources is None else sources, settings, seed)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8-sig", newline="") as f:  # the BOM: spreadsheets read it as UTF-8
        w = csv.writer(f)
        w.writerow(COLUMNS)
        for r in rows:
            w.writerow([r["item"], r["reader"], r["comment"], r["draft"], r["notes"], "", ""])
    key = out.with_suffix(".key.jsonl")
    key.write_text("".join(json.dumps({k: r[k] for k in ("item", "kind", "stratum", "source", "decision")},
                                      ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return sum(r["kind"] == "appeal" for r in rows), sum(r["kind"] == "rung" for r in rows), key
