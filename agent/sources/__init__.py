"""Reading comment exports, whatever tool wrote them, and understanding their threads.

One entry point, `read_any(path)`, recognises an export's shape by the fields its records use (no flag
needed; `format=` overrides with a name from `FORMATS`):

- RedReply's own lines (`id`, `text`, optional `author`, `note_title`, `posted_at`, `order_id`), as before;
- MediaCrawler's Xiaohongshu comments (`comment_id`, `content`, `note_id`, `create_time`,
  `parent_comment_id`, …) and notes (`note_id`, `title`/`desc`, …);
- the raw web API (`id`, `content`, `user_info`, `target_comment`, nested `sub_comments`, `show_tags`);
- Spider_XHS rows (`comment_id`, `content`, `upload_time`, …) and its Excel export with Chinese headers.

Containers (containers.py): JSON Lines, a JSON array, a saved API response, CSV (BOM or not), .xlsx and
MediaCrawler's SQLite database. A MediaCrawler comments file `…_comments_<date>.<ext>` is joined on
`note_id` with the contents file beside it (`…_contents_<date>.<ext>`), the database with its note
table, any file with `notes_path`. Values (values.py): epoch s/ms by magnitude, counts like "1.2万",
pictures as lists, JSON or comma-joined. Threads (threads.py): parent and root links, orphans, loops,
brand replies, `thread_for` and `fit_thread` within a token budget.

Bad input: an unrecognised file or one that is not UTF-8 is a one-line `UserError`; a broken record is
a `LineError` with its line number, and the rest imports. Reading the same file twice gives equal results.
"""

from __future__ import annotations

from pathlib import Path

from agent.errors import UserError
from agent.sources.containers import Records, read_records
from agent.sources.detect import FORMATS, NOTE_FORMATS, detect, resolve_format
from agent.sources.mapping import comments_from, notes_from
from agent.sources.models import (
    ImportedComment,
    ImportResult,
    LineError,
    Note,
    ThreadIndex,
    estimate_tokens,
    fit_thread,
    message_tokens,
)
from agent.sources.threads import context_of, link

__all__ = [
    "FORMATS", "ImportResult", "ImportedComment", "LineError", "Note", "ThreadIndex", "context_of",
    "estimate_tokens", "fit_thread", "message_tokens", "read_any", "sibling_notes",
]


def read_any(path: Path, format: str | None = None, notes_path: Path | None = None,
             brand_accounts: frozenset[str] = frozenset(), max_chars: int = 5000) -> ImportResult:
    """Every comment of the export at `path` (or, for a notes file, its notes), linked into threads.

    `brand_accounts`: the brand's user ids / creator hashes (display names only count for rows with no
    author id; see threads.py). `max_chars`: longer comments are skipped as line errors."""
    path = Path(path)
    forced = resolve_format(format)
    records, db_notes = read_records(path)
    if not records.rows and not records.errors:
        raise UserError(f"{path}: no records in the file")
    if not records.rows and forced is None:
        return ImportResult(format="unknown", errors=records.errors, fields_seen=records.fields)
    fmt = forced or detect(records.fields, path)
    if fmt in NOTE_FORMATS:
        notes, errors = notes_from(records)
        return ImportResult(notes=notes, errors=_by_line(errors), format=fmt, fields_seen=records.fields)
    comments, errors = comments_from(records, fmt, max_chars)
    notes, source, note_errors = _notes(path, notes_path, db_notes)
    return ImportResult(comments=link(comments, notes, brand_accounts), notes=notes, format=fmt,
                        errors=_by_line(errors) + note_errors, fields_seen=records.fields, notes_source=source,
                        partial=records.more)


def sibling_notes(path: Path) -> Path | None:
    """MediaCrawler's contents file beside a comments file (`search_comments_2026-03-01.jsonl` →
    `search_contents_2026-03-01.jsonl`), when it exists."""
    if "_comments_" not in path.name:
        return None
    candidate = path.with_name(path.name.replace("_comments_", "_contents_", 1))
    return candidate if candidate.is_file() else None


def _notes(path: Path, notes_path: Path | None, db_notes: Records | None
           ) -> tuple[dict[str, Note], str | None, list[LineError]]:
    """The notes to join: the named file (its problems are errors), else the database's table, else the
    contents file beside it (its problems are reported as line 0 and the comments still import)."""
    if notes_path is not None:
        records, _ = read_records(Path(notes_path))
        if not records.rows or _detected(records, Path(notes_path)) not in NOTE_FORMATS:
            raise UserError(f"{notes_path}: not a notes file (fields seen: {', '.join(records.fields) or 'none'}); "
                            f"expected {FORMATS['mediacrawler_notes']}")
        return _labelled(records, str(notes_path))
    if db_notes is not None:
        return _labelled(db_notes, db_notes.container)
    beside = sibling_notes(path)
    if beside is None:
        return {}, None, []
    try:
        records, _ = read_records(beside)
        if not records.rows or _detected(records, beside) not in NOTE_FORMATS:
            return {}, None, [LineError(0, f"{beside.name}: not a notes file; notes not joined")]
    except UserError as e:
        return {}, None, [LineError(0, f"notes not joined: {e}")]
    return _labelled(records, str(beside))


def _detected(records: Records, path: Path) -> str | None:
    try:
        return detect(records.fields, path)
    except UserError:
        return None


def _labelled(records: Records, source: str) -> tuple[dict[str, Note], str, list[LineError]]:
    notes, errors = notes_from(records)
    name = Path(source).name if ":" not in source else source
    return notes, source, [LineError(e.line, f"{name}: {e.message}") for e in _by_line(errors)]


def _by_line(errors: list[LineError]) -> list[LineError]:
    return sorted(errors, key=lambda e: e.line)
