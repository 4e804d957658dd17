"""`redreply contract [--check]`: docs/contract.md, written from the models of the JSON contract."""

from __future__ import annotations

import argparse
from pathlib import Path

from agent.config import Settings
from agent.contract_doc import CONTRACT_PATH, differs, write


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("contract", help="write docs/contract.md (the JSON contract) from the models")
    p.add_argument("--check", action="store_true", help="write nothing; exit 1 when the file differs from the models")
    p.add_argument("--out", type=Path, default=CONTRACT_PATH, help="where to write it (default docs/contract.md)")
    p.set_defaults(func=cmd_contract)


def cmd_contract(args: argparse.Namespace, settings: Settings) -> int:
    if args.check:
        if differs(args.out):
            print(f"{args.out} differs from the models in agent/schemas.py: run `redreply contract`")
            return 1
        print(f"{args.out} matches the models")
        return 0
    write(args.out)
    print(f"wrote {args.out}")
    return 0
