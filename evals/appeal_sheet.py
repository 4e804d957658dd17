"""`redreply eval rate appeals`: a blind rating sheet of appeals and rung drafts on comments nobody tuned on.

The appeals are every report the offline drafter files for the held-out appeals set and for the comments of
the held-out sections (evals/datasets/sections/holdout) and for the labelled held-out cases (heldout.jsonl); the rung drafts are those comments' cases walked up
the ladder as `eval appeals` walks them (evals.appeal_rungs), a few of each rung. The sheet has the columns
of `eval rate sample` (item, reader, comment, draft, notes, grade, reason), so `eval rate aggregate` reads
it; which set, rung and reason each row came from is in the key beside it, never on the sheet.
"""

from __future__ import annotations

import csv
import json
import random
from collections import defaultdict
from pathlib import Path

from agent.cases.rules import RUNGS
from agent.config import PROJECT_ROOT, Settings
from agent.drafting.drafter import Drafting
from agent.drafting.ladder import first_report
from evals import appeal_rungs as rungs
from evals.appeals import DATASETS, AppealRow, drafted, load_rows
from evals.rate import GRADE_COLUMN, REASON_COLUMN

SECTIONS = PROJECT_ROOT / "evals" / "datasets" / "sections" / "holdout"
HELDOUT = PROJECT_ROOT / "evals" / "datasets" / "heldout.jsonl"  # the labelled held-out cases
COLUMNS = ["item", "reader", "comment", "draft", "notes for the person who files it (not sent)", GRADE_COLUMN,
           REASON_COLUMN]
PER_RUNG = 3  # rung drafts per rung on the sheet


def section_rows(folder: Path = SECTIONS) -> list[AppealRow]:
    """Every comment of the held-out sections, as the appeals eval reads a row (its reason is not known)."""
    from agent.sources import read_any

    brands = json.loads((folder / "brands.json").read_text(encoding="utf-8"))
    rows = []
    for path in sorted(folder.glob("*_comments_*.jsonl")):
        brand = brands[path.name.split("_comments_")[0]]
        for c in read_any(path).comments:
            if c.text.strip():
                rows.append(AppealRow(id=c.id, brand=brand, text=c.text, reason="none", author=c.author,
                                      likes=c.likes, posted_at=c.posted_at))
    return rows


def heldout_rows(path: Path = HELDOUT) -> list[AppealRow]:
    """The labelled held-out cases' comments, as the appeals eval reads a row."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            case = json.loads(line)
            c = case["comment"]
            rows.append(AppealRow(id=case["id"], brand=case["brand"], text=c["text"], reason="none",
                                  author=c.get("author"), likes=c.get("likes"), posted_at=c.get("posted_at")))
    return rows


def build(settings: Settings, seed: int = 0) -> list[dict[str, str]]:
    """The sheet's rows (each with its key fields), appeals first, then rung drafts, shuffled within each."""
    drafting = Drafting(settings.with_overrides(model="offline"), None)
    appeals_out: list[dict[str, str]] = []
    by_rung: dict[str, list[dict[str, str]]] = defaultdict(list)
    sources = ([("appeals_holdout", r) for r in load_rows(DATASETS["holdout"])]
               + [("heldout", r) for r in heldout_rows()] + [("sections_holdout", r) for r in section_rows()])
    for source, row in sources:
        key, appeal, allowed, item = drafted(row, settings, posted=None)
        if appeal is None or item is None:
            continue
        appeals_out.append({"item": f"appeal:{row.id}", "reader": "平台举报表单", "comment": row.text,
                            "draft": first_report(appeal), "notes": "\n".join(appeal.next_steps),
                            "kind": "appeal", "stratum": "appeal", "source": source, "decision": key})
        if appeal.track != "ladder":
            continue
        for s in rungs.score(row.id, row.text, item, allowed, settings, drafting):
            by_rung[s.rung.value].append({"item": f"{s.rung.value}:{row.id}", "reader": RUNGS[s.rung].label,
                                          "comment": row.text, "draft": s.text, "notes": "\n".join(s.notes),
                                          "kind": "rung", "stratum": f"rung:{s.rung.value}", "source": source,
                                          "decision": key})
    rng = random.Random(seed)
    picked = [r for rows in by_rung.values() for r in rng.sample(rows, min(PER_RUNG, len(rows)))]
    rng.shuffle(appeals_out)
    rng.shuffle(picked)
    return appeals_out + picked


def write(out: Path, settings: Settings, seed: int = 0) -> tuple[int, int, Path]:
    rows = build(settings, seed)
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
