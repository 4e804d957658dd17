"""`python -m evals.sameness DRAFTS.jsonl…`: the sameness figure of batch output files (the JSON contract,
one record a line): near-identical pairs of public replies under one note, per note and in all."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from evals.metrics.sameness import near_identical_pairs, replies_by_note


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: python -m evals.sameness DRAFTS.jsonl…", file=sys.stderr)
        return 2
    total = 0
    for name in argv:
        path = Path(name)
        if not path.is_file():
            print(f"not a file: {path}", file=sys.stderr)
            return 2
        records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        for note, replies in replies_by_note(records).items():
            pairs = near_identical_pairs(replies)
            total += len(pairs)
            print(f"{path.name} · note {note} · {len(replies)} replies · {len(pairs)} near-identical pairs")
    print(f"sameness: {total} near-identical pairs of public replies under one note")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
