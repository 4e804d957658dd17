"""Containers: a file turned into numbered records (dicts), whatever it is stored as.

JSON Lines, a single JSON array (indented or not), a JSON object holding a `comments` list (a saved
web API response), UTF-8 CSV with or without a BOM, .xlsx (first sheet with data; needs openpyxl) and
SQLite (MediaCrawler's `sqlite_tables.db`). A record that cannot be read is a `LineError` with its line
(the row number for CSV, Excel and SQLite) and the rest is read.
"""

from __future__ import annotations

import bisect
import csv
import io
import json
import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agent.errors import UserError
from agent.sources.models import LineError
from agent.sources.values import flag

SQLITE_MAGIC = b"SQLite format 3\x00"
ZIP_MAGIC = b"PK\x03\x04"
COMMENT_TABLE, NOTE_TABLE = "xhs_note_comment", "xhs_note"
_decoder = json.JSONDecoder()


@dataclass
class Records:
    """The records of one file (or table), each with the line it starts on, and the unreadable ones."""

    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)
    container: str = "jsonl"
    fields: list[str] = field(default_factory=list)  # in first-seen order
    more: str | None = None  # a saved API page says the section goes on (`has_more`, a cursor): its one line

    def add(self, line: int, data: Any) -> None:
        if isinstance(data, dict):
            self.rows.append((line, data))
        else:
            self.errors.append(LineError(line, f"expected a JSON object, got {type(data).__name__}"))


def read_records(path: Path) -> tuple[Records, Records | None]:
    """The file's records, and for a SQLite database also its note table's records."""
    if not path.is_file():
        raise UserError(f"{path}: no such file")
    head = path.open("rb").read(16)
    suffix = path.suffix.lower()
    if head.startswith(SQLITE_MAGIC) or suffix in (".db", ".sqlite", ".sqlite3"):
        return _sqlite(path)
    if head.startswith(ZIP_MAGIC) or suffix in (".xlsx", ".xlsm"):
        return _finish(_xlsx(path)), None
    text = _utf8(path)
    start = text.lstrip()[:1]
    if suffix in (".csv", ".tsv") or (suffix not in (".json", ".jsonl", ".ndjson") and start not in ("[", "{")):
        return _finish(_csv(text, "\t" if suffix == ".tsv" else ",")), None
    if start == "[":
        return _finish(_json_array(text, text.index("["), "json")), None
    return _finish(_json_object_or_lines(text)), None


def _finish(records: Records) -> Records:
    seen: dict[str, None] = dict.fromkeys(records.fields)
    for _, row in records.rows:
        if not row.keys() <= seen.keys():  # most rows add nothing new
            seen.update(dict.fromkeys(k for k in row if isinstance(k, str)))
    records.fields = list(seen)
    return records


def _utf8(path: Path) -> str:
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UserError(f"{path}: UTF-16 text; save it as UTF-8 (in Excel: 'CSV UTF-8')")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise UserError(f"{path}: not UTF-8 text ({e.reason} at byte {e.start}); save it as UTF-8 "
                        "(in Excel: 'CSV UTF-8'; GBK files need converting first)") from e


def _lines(text: str, records: Records) -> Records:
    for i, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            records.add(i, json.loads(line))
        except json.JSONDecodeError as e:
            records.errors.append(LineError(i, f"invalid JSON ({e.msg}, column {e.colno})"))
    return records


def _json_object_or_lines(text: str) -> Records:
    """One JSON object (a saved API response holding `comments`, or a single record), else JSON Lines."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return _lines(text, Records(container="jsonl"))
    if not isinstance(data, dict):
        return _lines(text, Records(container="jsonl"))
    inner: dict[str, Any] = data["data"] if isinstance(data.get("data"), dict) else data
    if isinstance(inner.get("comments"), list):
        records = _api_page(text, inner["comments"])
        records.more = _more(inner)
        return records
    records = Records(container="json")
    records.add(1, data)
    return records


def _api_page(text: str, comments: list[Any]) -> Records:
    match = re.search(r'"comments"\s*:\s*\[', text)
    if match:
        located = _json_array(text, match.end() - 1, "json")
        if len(located.rows) == len(comments):
            return located
    records = Records(container="json")
    for number, item in enumerate(comments, start=1):  # positions unknown: numbered instead
        records.add(number, item)
    return records


def _more(page: dict[str, Any]) -> str | None:
    """The one line a partial page earns: the API says more comments follow (`has_more`) and where (`cursor`)."""
    if not flag(page.get("has_more")):
        return None
    cursor = page.get("cursor")
    at = f" (next cursor {cursor})" if cursor not in (None, "") else ""
    return f"this file holds one page of a longer comment section{at}: only its comments are imported"


class _LineOf:
    """The 1-based line of a character position, by bisecting the newline positions."""

    def __init__(self, text: str) -> None:
        self._newlines = [m.start() for m in re.finditer("\n", text)]

    def __call__(self, pos: int) -> int:
        return bisect.bisect_left(self._newlines, pos) + 1


def _json_array(text: str, open_at: int, container: str) -> Records:
    """The elements of the array opening at `open_at`; a broken element is skipped up to the next one
    that starts at the same indentation as the first (how an indented dump lays them out)."""
    records, line_of = Records(container=container), _LineOf(text)
    pos = _skip(text, open_at + 1)
    resync = _resync_pattern(text, pos)
    while pos < len(text) and text[pos] != "]":
        try:
            obj, end = _decoder.raw_decode(text, pos)
        except json.JSONDecodeError as e:
            records.errors.append(LineError(e.lineno, f"invalid JSON ({e.msg}, column {e.colno})"))
            found = resync.search(text, e.pos + 1) if resync else None
            if not found:
                break
            pos = found.end() - 1
            continue
        records.add(line_of(pos), obj)
        pos = _skip(text, end)
        if pos < len(text) and text[pos] == ",":
            pos = _skip(text, pos + 1)
        elif pos >= len(text) or text[pos] != "]":
            records.errors.append(LineError(line_of(pos), "invalid JSON (expected ',' or ']' after an element)"))
            found = resync.search(text, pos) if resync else None
            if not found:
                break
            pos = found.end() - 1
    return records


def _skip(text: str, pos: int) -> int:
    """The position of the next non-whitespace character."""
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos


def _resync_pattern(text: str, first: int) -> re.Pattern[str] | None:
    line_start = text.rfind("\n", 0, first) + 1
    indent = text[line_start:first]
    if line_start == 0 or indent.strip() or first >= len(text) or text[first] != "{":
        return None
    return re.compile("\n" + re.escape(indent) + r"\{")


def _csv(text: str, delimiter: str) -> Records:
    records = Records(container="csv")
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    records.fields = [f.strip() for f in reader.fieldnames or [] if f and f.strip()]
    start = 2
    try:
        for row in reader:
            extra = row.pop(None, None)  # type: ignore[call-overload]
            if extra:
                records.errors.append(LineError(start, f"this row has {len(extra)} more cells than the header"))
            else:
                records.rows.append((start, {k.strip(): v for k, v in row.items() if k and k.strip()}))
            start = reader.line_num + 1
    except csv.Error as e:
        records.errors.append(LineError(reader.line_num, f"broken CSV: {e}"))
    return records


def _xlsx(path: Path) -> Records:
    try:
        import openpyxl
    except ImportError as e:  # pragma: no cover - openpyxl is a dependency
        raise UserError(f"{path}: reading .xlsx needs the openpyxl package (pip install openpyxl)") from e
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises zipfile, KeyError and its own errors for a broken file
        raise UserError(f"{path}: not a readable .xlsx workbook ({type(e).__name__}: {e})") from e
    try:
        for sheet in book.worksheets:
            records = _sheet_rows(sheet.iter_rows(values_only=True))
            if records.fields:
                return records
        return Records(container="xlsx")
    finally:
        book.close()


def _sheet_rows(rows: Any) -> Records:
    records, header = Records(container="xlsx"), None
    for number, values in enumerate(rows, start=1):
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        if header is None:
            header = [str(v).strip() if v is not None else "" for v in values]
            records.fields = [h for h in header if h]
            continue
        records.rows.append((number, {h: v for h, v in zip(header, values, strict=False) if h}))
    return records


def _sqlite(path: Path) -> tuple[Records, Records | None]:
    try:
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    except sqlite3.Error as e:
        raise UserError(f"{path}: cannot open the SQLite database ({e})") from e
    try:
        conn.row_factory = sqlite3.Row
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        if COMMENT_TABLE in tables:
            return _table(conn, COMMENT_TABLE), _table(conn, NOTE_TABLE) if NOTE_TABLE in tables else None
        if NOTE_TABLE in tables:
            return _table(conn, NOTE_TABLE), None
        raise UserError(f"{path}: a SQLite database without the '{COMMENT_TABLE}' or '{NOTE_TABLE}' table "
                        f"(tables seen: {', '.join(tables) or 'none'}); MediaCrawler writes both to sqlite_tables.db")
    except sqlite3.DatabaseError as e:
        raise UserError(f"{path}: not a readable SQLite database ({e})") from e
    finally:
        conn.close()


def _table(conn: sqlite3.Connection, table: str) -> Records:
    cursor = conn.execute(f'SELECT * FROM "{table}" ORDER BY rowid')
    records = Records(container=f"sqlite:{table}")
    records.fields = [d[0] for d in cursor.description]
    for number, row in enumerate(cursor, start=1):
        records.rows.append((number, dict(row)))
    return records
