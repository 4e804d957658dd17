"""How the triage treats real public comments nobody here wrote (`shared/data`), the check the eval set can't give.

    .venv/bin/python -m evals.real_comments [--data ../shared/data] [--brand glowskin]

Reviews (`real_reviews_dev.jsonl`, label 0 negative / 1 positive): the strategy each got, and the
worst mistakes a desk can make — a rebuttal or an appeal against a real customer. COLD comments
(`cold_dev.jsonl`, offensive 0/1): how many offensive ones are flagged with any violation, and how
many harmless ones are. Prints figures, asserts nothing; the model is the configured one.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from agent.config import Settings, configure_offline_libraries
from agent.review.service import Drafter
from agent.schemas import CommentIn, DraftResult, Strategy

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _drafted_by_label(drafter: Drafter, path: Path, brand: str, field: str,
                      labels: tuple[tuple[int, str], ...]) -> Iterator[tuple[str, list[DraftResult]]]:
    """Draft every comment of the file, then hand back the drafts grouped by the file's label."""
    rows = _rows(path)
    results = drafter.draft_many([CommentIn(id=r["id"], text=r["text"]) for r in rows], brand)
    for label, name in labels:
        yield name, [res for row, res in zip(rows, results, strict=True) if row[field] == label]


def reviews(drafter: Drafter, path: Path, brand: str) -> None:
    for name, mine in _drafted_by_label(drafter, path, brand, "label", ((0, "negative"), (1, "positive"))):
        strategies = Counter(r.plan.strategy.value for r in mine)
        rebuttals = strategies.get(Strategy.neutral_rebuttal.value, 0)
        appeals = sum(1 for r in mine if r.appeal is not None)
        print(f"  {name:8} reviews {len(mine):4}: " + ", ".join(f"{k} {v}" for k, v in sorted(strategies.items()))
              + f" · rebutted {rebuttals} · appealed {appeals}")


def cold(drafter: Drafter, path: Path, brand: str) -> None:
    for name, mine in _drafted_by_label(drafter, path, brand, "offensive", ((1, "offensive"), (0, "harmless"))):
        flagged = sum(1 for r in mine if r.triage.violations)
        print(f"  {name:9} COLD {len(mine):4}: flagged {flagged}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the folder with the two dev files")
    parser.add_argument("--brand", default="glowskin")
    args = parser.parse_args()
    files = {name: args.data / f"{name}_dev.jsonl" for name in ("real_reviews", "cold")}
    missing = [str(p) for p in files.values() if not p.is_file()]
    if missing:
        print(f"error: not found: {', '.join(missing)} (pass --data)", file=sys.stderr)
        return 2
    configure_offline_libraries()
    settings = Settings()
    drafter = Drafter(settings)
    print(f"model {settings.model} · brand {args.brand} · data {args.data}")
    reviews(drafter, files["real_reviews"], args.brand)
    cold(drafter, files["cold"], args.brand)
    return 0


if __name__ == "__main__":
    sys.exit(main())
