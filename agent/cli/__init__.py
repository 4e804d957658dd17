"""The `redreply` command. Each command group lives in its own module and registers itself here."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from pydantic import ValidationError

from agent.config import Settings, configure_offline_libraries, setting_errors
from agent.errors import UserError

# The top-level commands each module owns (each has `register(subparsers)`). `redreply draft …` imports
# draft_cmds alone: a cold start pays for one group, not ten. A test checks this map against the parsers.
COMMANDS: dict[str, tuple[str, ...]] = {
    "knowledge_cmds": ("ingest", "search", "brands"), "import_cmds": ("import",), "draft_cmds": ("draft", "batch"),
    "review_cmds": ("review",), "eval_cmds": ("eval",), "ui_cmds": ("ui",), "train_cmds": ("train",),
    "case_cmds": ("case",), "users_cmds": ("users",), "alerts_cmds": ("alerts",),
    "contract_cmds": ("contract",), "worker_cmds": ("worker", "watch"), "db_cmds": ("db",),
}
_COMMAND_MODULES = tuple(COMMANDS)


def _modules_for(argv: Sequence[str] | None) -> tuple[str, ...]:
    """The one module owning the command in argv, or all of them (help, a typo, no command)."""
    first = next((a for a in argv or () if not a.startswith("-")), None)
    owner = next((m for m, names in COMMANDS.items() if first in names), None)
    return (owner,) if owner else _COMMAND_MODULES


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="redreply",
        description="Draft replies and appeals for negative Xiaohongshu comments; a person approves each.",
    )
    parser.add_argument("--data-dir", help="Where the store, queue and checkpoints live (default .redreply/)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    import importlib

    for name in _modules_for(argv) if argv is not None else _COMMAND_MODULES:
        importlib.import_module(f"agent.cli.{name}").register(sub)
    return parser


def load_settings(args: argparse.Namespace) -> Settings:
    try:
        settings = Settings()
    except ValidationError as e:  # a bad REDREPLY_* value: one line per setting, named as it is set
        raise UserError(setting_errors(e)) from None
    except Exception as e:
        raise UserError(f"bad setting: {e}") from e
    overrides = {"data_dir": getattr(args, "data_dir", None), "model": getattr(args, "model", None)}
    return settings.with_overrides(**overrides)


def main(argv: Sequence[str] | None = None) -> int:
    configure_offline_libraries()
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(argv)
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
    except BrokenPipeError:
        return _pipe_closed()
    except KeyboardInterrupt:
        print("interrupted; everything accepted so far is saved and a re-run resumes", file=sys.stderr)
        return 130


def _pipe_closed() -> int:
    """The reader closed the pipe (`redreply review list | head`): stop quietly, as a Unix tool does."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so the exit's own flush can't fail again
    return 141


def run() -> None:
    code = main()
    try:
        sys.stdout.flush()  # a short output is only written here, after main
    except BrokenPipeError:
        code = _pipe_closed()
    sys.exit(code)
