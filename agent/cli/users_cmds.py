"""`redreply users add|list|disable|passwd|language`: the desk's accounts (agent.review.team.accounts).

While the desk has no account, the CLI is the local admin and may add the first one (which must be an
admin: it manages the others). Afterwards these commands act as REDREPLY_ACCOUNT, which must be an admin.
A password is read with getpass (never echoed) or, with --password-stdin, from the first line of stdin.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from agent.cli.render import table
from agent.config import Settings
from agent.errors import UserError
from agent.knowledge.loading import known_brands
from agent.review.team.accounts import LANGUAGES, ROLES, Accounts
from agent.review.team.permissions import cli_account
from agent.review.team.roles import MANAGE_USERS, require
from agent.storage.connection import desk_database


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("users", help="desk accounts: add, list, disable, change a password")
    us = p.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    add = us.add_parser("add", help="add an account")
    add.add_argument("name")
    add.add_argument("--role", required=True, help=f"one of {', '.join(ROLES)}")
    add.add_argument("--brands", default="", help="comma-separated brands it works on (default: all)")
    add.add_argument("--language", help=f"interface language: {', '.join(LANGUAGES)} (default: REDREPLY_LANGUAGE)")
    add.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    add.set_defaults(func=cmd_add)
    ls = us.add_parser("list", help="the accounts, their roles and brands")
    ls.set_defaults(func=cmd_list)
    dis = us.add_parser("disable", help="disable an account (its sessions end)")
    dis.add_argument("name")
    dis.set_defaults(func=cmd_disable)
    pw = us.add_parser("passwd", help="set an account's password (its sessions end)")
    pw.add_argument("name")
    pw.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    pw.set_defaults(func=cmd_passwd)
    lang = us.add_parser("language", help="set an account's interface language")
    lang.add_argument("name")
    lang.add_argument("language", help=", ".join(LANGUAGES))
    lang.set_defaults(func=cmd_language)


def read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():  # getpass would warn, then end in EOFError: say what to do instead
        raise UserError("no terminal to ask the password on: pipe it in with --password-stdin")
    first, again = getpass.getpass("password: "), getpass.getpass("again: ")
    if again != first:
        raise UserError("the two passwords differ")
    return first


def _admin(settings: Settings) -> Accounts:
    accounts = Accounts(desk_database(settings))
    require(cli_account(settings), MANAGE_USERS)
    return accounts


def cmd_add(args: argparse.Namespace, settings: Settings) -> int:
    accounts = _admin(settings)
    if args.role not in ROLES:
        raise UserError(f"unknown role {args.role!r}: one of {', '.join(ROLES)}")
    brands = tuple(b.strip() for b in args.brands.split(",") if b.strip())
    known = known_brands(settings.knowledge_dir)
    unknown = [b for b in brands if b not in known]
    if unknown:
        raise UserError(f"unknown brand {', '.join(unknown)}: known are {', '.join(known)}")
    if not accounts.any() and args.role != "admin":
        raise UserError("the first account must be an admin (it manages the others)")
    if args.name in {a.name for a in accounts.list()}:
        raise UserError(f"an account named {args.name!r} already exists")
    account = accounts.add(args.name, args.role, read_password(args.password_stdin), brands, args.language)
    print(f"added {account.name} ({account.role}; brands: {', '.join(account.brands) or 'all'})")
    return 0


def cmd_list(args: argparse.Namespace, settings: Settings) -> int:
    accounts = Accounts(desk_database(settings))
    found = accounts.list()
    if not found:
        print("no accounts: the desk opens as the local admin on loopback only")
        return 0
    print(table([("name", 20), ("role", 10), ("state", 9), ("language", 8), ("brands", 0)],
                ([a.name, a.role, "disabled" if a.disabled else "active", a.language or "-", ", ".join(a.brands) or "all"]
                 for a in found)))
    return 0


def cmd_disable(args: argparse.Namespace, settings: Settings) -> int:
    _admin(settings).disable(args.name)
    print(f"disabled {args.name}; its sessions ended")
    return 0


def cmd_passwd(args: argparse.Namespace, settings: Settings) -> int:
    accounts = _admin(settings)
    accounts.get(args.name)  # an unknown name fails before the prompt
    accounts.set_password(args.name, read_password(args.password_stdin))
    print(f"password of {args.name} changed; its sessions ended")
    return 0


def cmd_language(args: argparse.Namespace, settings: Settings) -> int:
    accounts = _admin(settings)
    accounts.get(args.name)
    accounts.set_language(args.name, args.language)
    print(f"{args.name} now sees the desk in {args.language}")
    return 0
