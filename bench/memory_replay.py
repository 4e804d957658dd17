"""The brand's memory: how much less a reviewer edits once the team's approved replies are remembered.

    python bench/memory_replay.py [--write-docs]

Replays a stream of 100 complaints (the brand complaints of the dev and train comment sections, then
four labelled cases) through the review desk twice, on the offline default: each comment is drafted,
then approved as the team's reply (evals/datasets/memory/approved.yaml, written blind to the drafts).
Once without memory (an approved reply never becomes a draft), once with it. Prints the mean editing
distance (rapidfuzz Levenshtein, characters) from the drafts of the last 50 to the approved text, for
both runs, and the reduction (target ≥ 30 %).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agent.config import PROJECT_ROOT, Settings, configure_offline_libraries  # noqa: E402
from agent.schemas import CommentIn, ReviewDecision  # noqa: E402
from bench.write_docs import add_flag, publish  # noqa: E402

DATASETS = PROJECT_ROOT / "evals" / "datasets"
APPROVED = DATASETS / "memory" / "approved.yaml"
TAIL = 50


def _section_complaints(folder: Path) -> list[tuple[str, CommentIn]]:
    brands = json.loads((folder / "brands.json").read_text(encoding="utf-8"))
    labels = [json.loads(line) for line in (folder / "labels.jsonl").read_text(encoding="utf-8").splitlines()]
    wanted = {r["id"] for r in labels if r["kind"] == "complaint" and r["about"] == "brand"}
    out = []
    for path in sorted(folder.glob("*_comments_*.jsonl")):
        stem = path.name.split("_comments_")[0]
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if row["comment_id"] in wanted:
                out.append((brands[stem], CommentIn(id=row["comment_id"], text=row["content"], note_id=row.get("note_id"))))
    return out


def stream(seed: int = 0) -> list[tuple[str, CommentIn, str]]:
    """(brand, comment, approved reply) of the 100 complaints, in a fixed shuffled order."""
    data = yaml.safe_load(APPROVED.read_text(encoding="utf-8"))
    replies, assign = data["replies"], {str(k): v for k, v in data["assign"].items()}
    items = _section_complaints(DATASETS / "sections" / "dev") + _section_complaints(DATASETS / "sections" / "train")
    cases = [json.loads(line) for line in (DATASETS / "cases.jsonl").read_text(encoding="utf-8").splitlines()]
    items += [(c["brand"], CommentIn(id=c["id"], text=c["comment"]["text"])) for c in cases if c["id"] in assign]
    rows = [(brand, c, replies[assign[key]]) for brand, c in items
            for key in [next((k for k in assign if c.id.endswith(k)), "")] if key]
    random.Random(seed).shuffle(rows)
    return rows


def replay(settings: Settings, rows: list[tuple[str, CommentIn, str]], store: Any) -> list[dict[str, Any]]:
    from rapidfuzz.distance import Levenshtein

    from agent.review.service import ReviewDesk
    from agent.review.store.marks import SET_ASIDE, bring_back

    desk = ReviewDesk(settings, store=store)
    out = []
    try:
        for brand, comment, approved in rows:
            r = desk.submit(comment, brand)
            out.append({"id": comment.id, "distance": Levenshtein.distance(r.reply_text, approved),
                        "drew_on": r.drew_on.id if r.drew_on else None})
            if desk.queue.get(comment.id).status in SET_ASIDE.values():  # left or reported: the team answers it anyway
                bring_back(desk.queue, comment.id, "team")
            desk.decide(comment.id, ReviewDecision(action="edit", reviewer="team", reply_text=approved))
    finally:
        desk.close()
    return out


def run(seed: int) -> dict[str, Any]:
    from agent.knowledge.store import KnowledgeStore

    rows = stream(seed)
    with tempfile.TemporaryDirectory() as tmp:
        store = KnowledgeStore(Settings(data_dir=Path(tmp) / "store"))
        store.ensure_ingested()
        # Without memory: an approved reply never fits (the default fit is the "with" run's).
        runs = {name: replay(Settings(data_dir=Path(tmp) / name).with_overrides(**over), rows, store)[-TAIL:]
                for name, over in (("without", {"memory_fit": 1.01}), ("with", {}))}
    mean = {k: sum(r["distance"] for r in v) / len(v) for k, v in runs.items()}
    return {"stream": len(rows), "tail": TAIL, "without": round(mean["without"], 1), "with": round(mean["with"], 1),
            "reduction": round(1 - mean["with"] / mean["without"], 3) if mean["without"] else 0.0,
            "drew_on": sum(r["drew_on"] is not None for r in runs["with"])}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0, help="The stream's order (default 0)")
    add_flag(parser)
    args = parser.parse_args()
    with publish("memory_replay", args.write_docs):
        configure_offline_libraries()
        f = run(args.seed)
        print(f"{f['stream']} complaints replayed; the drafts of the last {f['tail']}, mean editing distance "
              f"to the approved reply (characters):")
        print(f"  without memory  {f['without']:>6}")
        print(f"  with memory     {f['with']:>6}   ({f['drew_on']} drafts drew on an approved reply)")
        print(f"  reduction       {f['reduction']:>6.0%}   (target ≥ 30 %)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
