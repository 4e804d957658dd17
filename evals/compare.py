"""Compare two eval runs: metric deltas, and case by case what improved and what regressed."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agent.errors import UserError

EPSILON = 1e-9


@dataclass(frozen=True)
class MetricDelta:
    key: str
    a: float | None
    b: float | None

    @property
    def delta(self) -> float | None:
        return None if self.a is None or self.b is None else round(self.b - self.a, 4)


@dataclass(frozen=True)
class CaseChange:
    id: str
    a: float
    b: float
    fixed: list[str]
    broke: list[str]

    @property
    def delta(self) -> float:
        return round(self.b - self.a, 4)


@dataclass
class Comparison:
    run_a: Path
    run_b: Path
    model_a: str
    model_b: str
    same_dataset: bool
    metrics: list[MetricDelta]
    improved: list[CaseChange] = field(default_factory=list)
    regressed: list[CaseChange] = field(default_factory=list)
    only_a: list[str] = field(default_factory=list)
    only_b: list[str] = field(default_factory=list)


def _load_run(run: Path) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    summary_path, cases_path = run / "summary.json", run / "cases.jsonl"
    if not summary_path.is_file() or not cases_path.is_file():
        raise UserError(f"{run}: not an eval run (needs summary.json and cases.jsonl)")
    try:
        summary = json.loads(summary_path.read_text(encoding="utf-8"))
        cases = {}
        for line in cases_path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rec = json.loads(line)
                cases[rec["id"]] = rec
    except (json.JSONDecodeError, KeyError) as e:
        raise UserError(f"{run}: unreadable run files ({e})") from e
    return summary, cases


def _failures(rec: dict[str, Any]) -> list[str]:
    return list(rec.get("scores", {}).get("failures", []))


def compare(run_a: Path, run_b: Path) -> Comparison:
    """What changed from run A to run B (B is the newer one)."""
    sa, ca = _load_run(run_a)
    sb, cb = _load_run(run_b)
    keys = list(dict.fromkeys([*sa.get("metrics", {}), *sb.get("metrics", {})]))
    metrics = [MetricDelta(k, sa["metrics"].get(k), sb["metrics"].get(k)) for k in keys]
    result = Comparison(run_a, run_b, sa.get("model", "?"), sb.get("model", "?"),
                        sa.get("dataset_sha256") == sb.get("dataset_sha256"), metrics,
                        only_a=sorted(set(ca) - set(cb)), only_b=sorted(set(cb) - set(ca)))
    for cid in sorted(set(ca) & set(cb)):
        a, b = ca[cid], cb[cid]
        fa, fb = _failures(a), _failures(b)
        change = CaseChange(cid, a["scores"].get("overall", 0.0), b["scores"].get("overall", 0.0),
                            fixed=[f for f in fa if f not in fb], broke=[f for f in fb if f not in fa])
        if change.delta > EPSILON:
            result.improved.append(change)
        elif change.delta < -EPSILON:
            result.regressed.append(change)
    result.improved.sort(key=lambda c: -c.delta)
    result.regressed.sort(key=lambda c: c.delta)
    return result


def format_comparison(c: Comparison, limit: int = 20) -> str:
    lines = [f"A: {c.run_a} ({c.model_a})", f"B: {c.run_b} ({c.model_b})"]
    if not c.same_dataset:
        lines.append("warning: the runs used different datasets (their hashes differ)")
    lines.append(f"{'metric':<28}{'A':>9}{'B':>9}{'delta':>9}")
    for m in c.metrics:
        a = "—" if m.a is None else f"{m.a:.4f}"
        b = "—" if m.b is None else f"{m.b:.4f}"
        d = "—" if m.delta is None else f"{m.delta:+.4f}"
        lines.append(f"{m.key:<28}{a:>9}{b:>9}{d:>9}")
    for title, changes in (("improved", c.improved), ("regressed", c.regressed)):
        lines.append(f"\n{len(changes)} case(s) {title}:")
        for ch in changes[:limit]:
            lines.append(f"  {ch.id}: {ch.a:.2f} → {ch.b:.2f}")
            lines += [f"    fixed: {f}" for f in ch.fixed] + [f"    broke: {f}" for f in ch.broke]
        if len(changes) > limit:
            lines.append(f"  … and {len(changes) - limit} more")
    if c.only_a or c.only_b:
        lines.append(f"\nonly in A: {', '.join(c.only_a) or '—'}; only in B: {', '.join(c.only_b) or '—'}")
    return "\n".join(lines)
