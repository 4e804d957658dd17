"""The sameness figure of whole comment sections, from a real run: every section of a set is imported as
`redreply import` reads it and drafted offline by the review desk, in order, each section under its brand, all
on one day in one fresh queue (as `redreply batch` drafts them). Counted: near-identical pairs of public replies
under one note (the target is 0), and per brand over the whole day."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from agent.config import Settings
from agent.errors import UserError
from agent.knowledge.brands import load_brand
from agent.review.service import ReviewDesk, open_store
from agent.schemas import DraftResult
from agent.sources import read_any
from agent.sources.models import THREAD_TOKENS
from agent.triage.section_evidence import section_inputs
from evals.metrics.sameness import replies_by_note, sameness
from evals.sections import SECTIONS_DIR, SETS


def draft_set(folder: Path, settings: Settings) -> list[DraftResult]:
    """Every comment of every section in the folder, drafted offline through the desk into a throwaway queue."""
    brands = json.loads((folder / "brands.json").read_text(encoding="utf-8"))
    store = open_store(settings)
    drafted: dict[str, DraftResult] = {}
    order: list[str] = []

    def keep(item_id: str, result: DraftResult | None, _error: str | None) -> None:
        if result is not None:
            drafted[item_id] = result

    with tempfile.TemporaryDirectory() as tmp:
        desk = ReviewDesk(settings.with_overrides(data_dir=Path(tmp), model="offline"), client=None, store=store)
        try:
            for stem, brand_id in sorted(brands.items()):
                files = sorted(folder.glob(f"{stem}_comments_*"))
                if not files:
                    raise UserError(f"{folder}: no comments file for section {stem}")
                brand = load_brand(settings.knowledge_dir, brand_id)
                comments = section_inputs(read_any(files[0], brand_accounts=brand.account_keys), brand,
                                          THREAD_TOKENS)
                desk.accept(comments, brand_id)
                # One at a time: which of the brand's same-day replies a draft steers from must not depend on which
                # finished first, or the figures would move from run to run.
                desk.draft_all([c.id for c in comments], concurrency=1, on_done=keep)
                order += [c.id for c in comments]
        finally:
            desk.close()
    results = [drafted[i] for i in order if i in drafted]
    return results


def sameness_metrics(name: str, results: list[DraftResult]) -> dict[str, float]:
    """`<set>_sameness_note_pairs` (under one note) and `<set>_sameness_brand_day_pairs` (per brand, the day)."""
    records = [r.model_dump(mode="json") for r in results]
    by_brand: dict[str, list[str]] = {}
    for r in results:
        if r.reply is not None and r.reply.text.strip():
            by_brand.setdefault(r.brand, []).append(r.reply.text)
    return {f"{name}_sameness_note_pairs": float(sameness(replies_by_note(records))),
            f"{name}_sameness_brand_day_pairs": float(sameness(by_brand))}


def sameness_gate(settings: Settings, ceilings: dict[str, float]) -> list[str]:
    """Drafts every section offline and prints the sameness figures; returns the ceilings they exceed."""
    figures: dict[str, float] = {}
    for name in SETS:
        figures |= sameness_metrics(name, draft_set(SECTIONS_DIR / name, settings))
    print("sameness (lower is better): near-identical pairs of public replies, every section drafted offline")
    for key, value in figures.items():
        ceiling = ceilings.get(key)
        status = "" if ceiling is None else ("ok" if value <= ceiling else "MISSED")
        print(f"  {key:<34}{value:>6.0f}{'' if ceiling is None else f'  ceiling {ceiling:.0f}'}  {status}")
    return [f"{k} {figures[k]:.0f} > {v:.0f}" for k, v in ceilings.items() if k in figures and figures[k] > v]
