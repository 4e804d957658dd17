"""Reading comment exports (JSONL or CSV) and writing drafts (JSONL), robust to broken lines and crashes.

In the contract layer, not agent.cli: the demo queue (ui/) and the benches read and write these files too."""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from agent.errors import UserError
from agent.schemas import CommentIn


@dataclass
class LineError:
    line: int
    message: str


def _comment(data: object, line: int, max_chars: int) -> CommentIn | LineError:
    if not isinstance(data, dict):
        return LineError(line, "expected a JSON object with at least 'id' and 'text'")
    if "text" not in data:
        return LineError(line, "missing field 'text'")
    if "id" not in data or data.get("id") in (None, ""):
        return LineError(line, "missing field 'id'")
    try:
        comment = CommentIn.model_validate(data)
    except ValidationError as e:
        err = e.errors()[0]
        return LineError(line, f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}")
    if len(comment.text) > max_chars:
        return LineError(line, f"comment is {len(comment.text)} characters; the limit is {max_chars}")
    return comment


def read_comments(path: Path, max_chars: int = 5000) -> tuple[list[CommentIn], list[LineError]]:
    """All valid comments and an error per bad line (with its line number); duplicate ids are errors too."""
    if not path.exists():
        raise UserError(f"{path}: no such file")
    try:
        raw = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise UserError(f"{path}: not UTF-8 text ({e.reason} at byte {e.start})") from e
    out: list[tuple[int, CommentIn | LineError]] = []  # with the line it came from
    if path.suffix.lower() == ".csv":
        reader = csv.DictReader(io.StringIO(raw, newline=""))
        if not reader.fieldnames or "text" not in reader.fieldnames:
            raise UserError(f"{path}: a CSV needs a header row with at least 'id' and 'text' columns")
        try:
            for i, row in enumerate(reader, start=2):
                out.append((i, _comment({k: v for k, v in row.items() if k and v not in (None, "")}, i, max_chars)))
        except csv.Error as e:
            out.append((reader.line_num, LineError(reader.line_num, f"broken CSV: {e}")))
    else:
        for i, line in enumerate(raw.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError as e:
                out.append((i, LineError(i, f"invalid JSON ({e.msg} at column {e.colno})")))
                continue
            out.append((i, _comment(data, i, max_chars)))
    comments, errors, seen = [], [], set()
    for line_no, item in out:
        if isinstance(item, LineError):
            errors.append(item)
        elif item.id in seen:
            errors.append(LineError(line_no, f"duplicate id '{item.id}' (the first one is kept)"))
        else:
            seen.add(item.id)
            comments.append(item)
    return comments, errors


def _line_id(line: bytes) -> str | None:
    """The id of one output line; None when the line is not a whole JSON object with an id."""
    try:
        return str(json.loads(line)["id"])
    except (json.JSONDecodeError, KeyError, TypeError, UnicodeDecodeError):
        return None


def done_ids(out_path: Path) -> set[str]:
    """Ids already written to an output file. It is only read: a torn or broken line is not counted
    (`repair_torn_tail` is what cuts a torn last line off)."""
    if not out_path.exists():
        return set()
    ids = (_line_id(line) for line in out_path.read_bytes().splitlines())
    return {i for i in ids if i is not None}


def repair_torn_tail(path: Path) -> int:
    """Cut off a torn last line (a crash mid-write), so the next append starts on a line of its own.

    Only the last line can be torn; a broken line before it is kept for a person to see. Returns the
    number of bytes cut (0 when the file is whole or missing).
    """
    if not path.exists():
        return 0
    lines = path.read_bytes().splitlines(keepends=True)
    if not lines or _line_id(lines[-1]) is not None:
        return 0
    size = sum(map(len, lines))
    with path.open("r+b") as f:
        f.truncate(size - len(lines[-1]))
    return len(lines[-1])


class JsonlWriter:
    """Appends one JSON line per result and syncs it: a kill loses at most the line being written."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._f = path.open("a", encoding="utf-8")

    def write(self, line: str) -> None:
        self._f.write(line + "\n")
        self._f.flush()
        os.fsync(self._f.fileno())

    def close(self) -> None:
        self._f.close()
