"""The `redreply` command. Each command group lives in its own module and registers itself here."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from agent.config import Settings, configure_offline_libraries
from agent.errors import UserError

# Modules that own a group of sub-commands; each has `register(subparsers)`.
_COMMAND_MODULES = ("knowledge_cmds", "import_cmds", "draft_cmds", "review_cmds", "eval_cmds", "ui_cmds", "train_cmds", "case_cmds", "users_cmds", "alerts_cmds")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="redreply",
        description="Draft replies and appeals for negative Xiaohongshu comments; a person approves each.",
    )
    parser.add_argument("--data-dir", help="Where the store, queue and checkpoints live (default .redreply/)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    import importlib

    for name in _COMMAND_MODULES:
        importlib.import_module(f"agent.cli.{name}").register(sub)
    return parser


def load_settings(args: argparse.Namespace) -> Settings:
    try:
        settings = Settings()
    except Exception as e:  # pydantic's ValidationError for a bad REDREPLY_* value
        raise UserError(f"bad setting: {e}") from e
    overrides = {"data_dir": getattr(args, "data_dir", None), "model": getattr(args, "model", None)}
    return settings.with_overrides(**overrides)


def main(argv: Sequence[str] | None = None) -> int:
    configure_offline_libraries()
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        settings = load_settings(args)
        code = args.func(args, settings)
        return int(code or 0)
    except UserError as e:
        print(f"error: {e}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        print("interrupted; everything accepted so far is saved and a re-run resumes", file=sys.stderr)
        return 130


def run() -> None:
    sys.exit(main())
