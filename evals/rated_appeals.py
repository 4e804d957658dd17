"""The blind appeal ratings kept as JSONL (evals/datasets/ratings/appeals_unseen-*.jsonl): A/B/C/D shares per
kind of draft, from the kept grades. The sheets themselves held text whose licence keeps it out of the project,
so `redreply eval rate aggregate` cannot read them here; this reads what was kept."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path

RATINGS = Path(__file__).parent / "datasets" / "ratings"


def shares(files: list[Path]) -> dict[str, Counter[str]]:
    by_kind: dict[str, Counter[str]] = defaultdict(Counter)
    for f in files:
        for line in f.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            kind = "appeal" if row["item"].startswith("appeal:") else "rung"
            for key in ("overall", kind):
                by_kind[key][row["grade"]] += 1
    return by_kind


def main() -> None:
    files = sorted(RATINGS.glob("appeals_unseen-*.jsonl"))
    print(f"{'':10}{'rated':>7}{'A':>6}{'B':>6}{'C':>6}{'D':>6}{'A+B':>6}")
    for kind, c in shares(files).items():
        n = sum(c.values())
        pct = {g: c[g] / n for g in "ABCD"}
        print(f"{kind:10}{n:>7}" + "".join(f"{pct[g]:>6.0%}" for g in "ABCD") + f"{pct['A'] + pct['B']:>6.0%}")


if __name__ == "__main__":
    main()
