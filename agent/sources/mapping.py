"""Records of a recognised shape turned into `ImportedComment`s and `Note`s.

All crawler shapes share one mapping, field by field (first present name wins):
id ← comment_id | id; text ← content; author ← nickname | user_info.nickname;
author_id ← user_id | creator_hash | user_info.user_id; posted_at ← create_time | upload_time;
likes ← like_count; reply_count ← sub_comment_count; parent_id ← parent_comment_id | target_comment.id;
is_brand ← show_tags contains "is_author". Nested `sub_comments` are flattened after their parent: a
reply's parent is its `target_comment`, else the comment it is nested in. A comment with no text but
pictures gets the text "[图片]" (as the app shows it), one with neither "[无文字]" (imported, then left);
status ← `status` / `deleted` / `hidden` ("hidden" or "deleted" where the export says so). RedReply's own shape goes through `CommentIn`,
so its errors read as they always have.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError

from agent.schemas import CommentIn
from agent.sources import values as v
from agent.sources.containers import Records
from agent.sources.detect import has_cjk_keys, translate
from agent.sources.models import ImportedComment, LineError, Note

PICTURE_ONLY_TEXT = "[图片]"
EMPTY_TEXT = "[无文字]"  # a comment the export holds with no text and no picture: imported, then left
_NOTE_URL = re.compile(r"/(?:explore|discovery/item)/([0-9a-zA-Z]+)")
MAX_NESTING = 20
# RedReply's own line: these fields are read here (counts like "1.2万"), the rest through `CommentIn`.
_READ_HERE = frozenset({"author_id", "note_id", "parent_id", "root_id", "likes", "reply_count", "pictures", "context"})
_BASE_FIELDS = {"id", "text", "author", "note_title", "posted_at", "order_id"}


class _Skip(Exception):
    """A record that cannot be imported; the message says why."""


def comments_from(records: Records, fmt: str, max_chars: int) -> tuple[list[ImportedComment], list[LineError]]:
    """The comments of the records in file order (replies after their parent) and the skipped ones.

    A repeated id in RedReply's shape is an error (the first is kept); in a crawler's file it is the
    same comment crawled again, and the later row replaces the earlier one in its place."""
    chinese = has_cjk_keys(records.fields)
    by_id: dict[str, ImportedComment] = {}
    errors = list(records.errors)
    for line, raw in records.rows:
        if fmt == "redreply":
            found: list[ImportedComment | LineError] = [_redreply(raw, line, max_chars)]
        else:
            found = _crawler(translate(raw) if chinese else raw, line, fmt, max_chars)
        for item in found:
            if isinstance(item, LineError):
                errors.append(item)
            elif item.id not in by_id:
                by_id[item.id] = item
            elif fmt == "redreply":
                errors.append(LineError(line, f"duplicate id '{item.id}' (the first one is kept)"))
            else:
                by_id[item.id] = _recrawled(by_id[item.id], item)
    return list(by_id.values()), errors


def _recrawled(old: ImportedComment, new: ImportedComment) -> ImportedComment:
    if new.parent_id is None and old.parent_id is not None:  # a later listing without the reply link
        return new.model_copy(update={"parent_id": old.parent_id, "root_id": old.root_id})
    return new


def _redreply(raw: dict[str, Any], line: int, max_chars: int) -> ImportedComment | LineError:
    data = {k: val for k, val in raw.items() if val is not None and val != ""}
    if "text" not in data:
        return LineError(line, "missing field 'text'")
    if "id" not in data:
        return LineError(line, "missing field 'id'")
    if isinstance(data["text"], str):
        data["text"] = v.comment_text(data["text"])
    try:
        base = CommentIn.model_validate({k: val for k, val in data.items() if k not in _READ_HERE})
        if len(base.text) > max_chars:
            return LineError(line, f"comment is {len(base.text)} characters; the limit is {max_chars}")
        extra = {k: data[k] for k in ("author_id", "note_id", "parent_id", "root_id") if k in data}
        return ImportedComment(**base.model_dump(include=_BASE_FIELDS), **{k: v.text_of(val) for k, val in extra.items()},
                               likes=v.count(data.get("likes")), reply_count=v.count(data.get("reply_count")),
                               pictures=v.pictures(data.get("pictures")), source_format="redreply")
    except ValidationError as e:
        return LineError(line, _first_error(e))


def _first_error(e: ValidationError) -> str:
    err = e.errors()[0]
    return f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}"


def _crawler(raw: dict[str, Any], line: int, fmt: str, max_chars: int) -> list[ImportedComment | LineError]:
    """The record's comment followed by its nested replies (depth first, in their order)."""
    out: list[ImportedComment | LineError] = []
    stack: list[tuple[dict[str, Any], str | None, str | None, int]] = [(raw, None, None, 0)]
    while stack:
        record, parent, root, depth = stack.pop()
        cid = v.text_of(v.first(record, "comment_id", "id"))
        try:
            out.append(_one(record, fmt, max_chars, parent, root))
        except _Skip as e:
            out.append(LineError(line, (f"reply {cid or '?'}: " if depth else "") + str(e)))
        subs = record.get("sub_comments")
        if cid and isinstance(subs, list) and depth < MAX_NESTING:  # replies to a skipped comment still import
            stack.extend((s, cid, root or cid, depth + 1) for s in reversed(subs) if isinstance(s, dict))
    return out


def _one(rec: dict[str, Any], fmt: str, max_chars: int, nested_in: str | None, root: str | None) -> ImportedComment:
    cid = v.text_of(v.first(rec, "comment_id", "id"))
    if not cid:
        raise _Skip(f"missing field '{'id' if fmt == 'xhs_web_api' else 'comment_id'}'")
    if "content" not in rec:
        raise _Skip("missing field 'content'")
    text = v.comment_text(rec.get("content"))
    pictures = v.pictures(rec.get("pictures"))
    if not text:
        text = PICTURE_ONLY_TEXT if pictures else EMPTY_TEXT
    if len(text) > max_chars:
        raise _Skip(f"comment is {len(text)} characters; the limit is {max_chars}")
    parent = v.text_of(v.first(rec, "parent_comment_id", "target_comment.id", "target_comment_id")) or nested_in
    try:
        return ImportedComment(
            id=cid, text=text, author=v.text_of(v.first(rec, "nickname", "user_info.nickname")) or None,
            author_id=v.text_of(v.first(rec, "user_id", "creator_hash", "user_info.user_id")) or None,
            note_id=v.text_of(rec.get("note_id")) or _note_in_url(rec.get("note_url")),
            posted_at=v.iso_utc(v.first(rec, "create_time", "upload_time")),
            likes=v.count(rec.get("like_count")), reply_count=v.count(rec.get("sub_comment_count")),
            pictures=pictures, parent_id=parent, root_id=root or v.text_of(rec.get("root_comment_id")) or None,
            is_brand=v.has_author_tag(rec.get("show_tags")), status=v.status(rec), source_format=fmt)
    except ValidationError as e:
        raise _Skip(_first_error(e)) from e


def _note_in_url(url: object) -> str | None:
    """The note id in a note's address (…/explore/<id>?… or …/discovery/item/<id>), for rows without note_id."""
    match = _NOTE_URL.search(v.text_of(url))
    return match.group(1) if match else None


def notes_from(records: Records) -> tuple[dict[str, Note], list[LineError]]:
    """The notes by id (a note crawled twice keeps its later row) and the rows that were not notes."""
    chinese = has_cjk_keys(records.fields)
    notes: dict[str, Note] = {}
    errors = list(records.errors)
    for line, raw in records.rows:
        rec = translate(raw) if chinese else raw
        nid = v.text_of(rec.get("note_id")) or _note_in_url(rec.get("note_url"))
        if not nid:
            errors.append(LineError(line, "missing field 'note_id'"))
            continue
        notes[nid] = Note(
            id=nid, title=v.text_of(rec.get("title")), desc=v.text_of(rec.get("desc")),
            url=v.text_of(v.first(rec, "note_url", "url")) or None,
            liked_count=v.count(v.first(rec, "liked_count", "like_count")),
            comment_count=v.count(rec.get("comment_count")), tags=v.tags(v.first(rec, "tag_list", "tags")),
            author_id=v.text_of(v.first(rec, "user_id", "user_info.user_id")) or None,
            author=v.text_of(v.first(rec, "nickname", "user_info.nickname")) or None)
    return notes, errors
