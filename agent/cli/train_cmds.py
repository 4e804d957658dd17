"""`redreply train`: retrain the triage classifiers from the public data (never needed to run or test)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from agent.config import PROJECT_ROOT, Settings
from agent.errors import UserError

DEFAULT_DATA = PROJECT_ROOT.parent / "shared" / "data" / "train"
DEFAULT_OUT = PROJECT_ROOT / "agent" / "triage" / "models"


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("train", help="retrain the offence, sentiment and situation models (needs scikit-learn: "
                                     "pip install -e '.[train]')")
    p.add_argument("--data", type=Path, default=DEFAULT_DATA,
                   help="folder with cold_train.jsonl, cold_dev.jsonl, reviews_train.jsonl (default ../shared/data/train)")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where the artifacts go (default: the shipped ones)")
    p.add_argument("--seed", type=int, default=13)
    p.set_defaults(func=cmd_train)


def cmd_train(args: argparse.Namespace, settings: Settings) -> int:
    if not args.data.is_dir():
        raise UserError(f"training data not found: {args.data} (pass --data)")
    try:
        from agent.triage.training import train
    except ImportError as e:
        raise UserError(f"training needs scikit-learn ({e.name} is missing): pip install -e '.[train]'") from e
    report = train(args.data, args.out, seed=args.seed, progress=lambda line: print(line, file=sys.stderr))
    print(report.model_dump_json(indent=2))
    return 0
