"""A watched folder: each new crawler export in it is imported once, known by the hash of its content,
so a file copied in twice or renamed is not queued again, and a file the crawler rewrites with new
comments is. Several watchers on one database agree through the `imports` table."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from agent.config import Settings
from agent.errors import UserError
from agent.knowledge.brands import load_brand
from agent.review.store.intake import UPLOAD_TYPES, accept_comments
from agent.sources import read_any
from agent.storage.engine import database_url, engine_for
from agent.storage.schema import ensure_schema
from agent.storage.tables import imports

SETTLE_S = 2.0  # a file changed this recently may still be being written by the crawler: next pass


@dataclass
class Imported:
    name: str
    new: int = 0
    known: int = 0
    error: str | None = None

    def line(self) -> str:
        if self.error:
            return f"{self.name}: not imported: {self.error}"
        return f"{self.name}: {self.new} new comment(s) queued for drafting, {self.known} already queued"


def _candidates(folder: Path, now: float) -> list[Path]:
    kinds = {"." + t for t in UPLOAD_TYPES}
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in kinds
                  and not p.name.startswith(".") and now - p.stat().st_mtime >= SETTLE_S)


def scan_once(settings: Settings, folder: Path, brand: str, failed: set[str] | None = None) -> list[Imported]:
    """Import every export in `folder` not imported before for `brand`. `failed` keeps the hashes of
    unreadable files for the life of the watcher, so each is reported once and not re-read every pass."""
    if not folder.is_dir():
        raise UserError(f"{folder}: no such folder to watch")
    url = database_url(settings)
    ensure_schema(url)
    accounts = load_brand(settings.knowledge_dir, brand).account_keys
    failed = failed if failed is not None else set()
    out = []
    for path in _candidates(folder, time.time()):
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        if sha in failed or _seen(url, brand, sha):
            continue
        try:
            result = read_any(path, brand_accounts=accounts, max_chars=settings.comment_max_chars)
            comments = result.comments_in()
            if not comments:
                raise UserError(f"no valid comments ({len(result.errors)} line(s) skipped)")
            new, known = accept_comments(settings, comments, brand)
        except UserError as e:
            failed.add(sha)
            out.append(Imported(path.name, error=str(e)))
            continue
        _record(url, brand, sha, path.name, len(comments))
        out.append(Imported(path.name, len(new), len(known)))
    return out


def _seen(url: str, brand: str, sha: str) -> bool:
    with engine_for(url).connect() as c:
        return c.execute(sa.select(imports.c.name).where(imports.c.brand == brand, imports.c.sha256 == sha)).first() \
            is not None


def _record(url: str, brand: str, sha: str, name: str, comments: int) -> None:
    at = datetime.now(UTC).isoformat(timespec="seconds")
    try:
        with engine_for(url).begin() as c:
            c.execute(sa.insert(imports).values(brand=brand, sha256=sha, name=name, comments=comments,
                                                imported_at=at))
    except sa.exc.IntegrityError:
        pass  # another watcher recorded it first; the comments were accepted idempotently either way
