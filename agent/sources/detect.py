"""Recognising an export's shape by the fields its records use (no flag needed; `format` overrides).

Chinese column headers (Spider_XHS's Excel export) are first translated to the English field names
the other shapes use, so one mapping serves every crawler shape.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from agent.errors import UserError

# name → what it is and the fields that identify it (shown in --help and in the unrecognised-file message)
FORMATS: dict[str, str] = {
    "redreply": "RedReply's own lines (id, text)",
    "mediacrawler_comments": "MediaCrawler comments (comment_id, content, note_id, create_time)",
    "mediacrawler_notes": "MediaCrawler notes (note_id, title/desc)",
    "xhs_web_api": "the Xiaohongshu web API (id, content, user_info, sub_comments)",
    "spider_xhs": "Spider_XHS rows (comment_id, content, upload_time)",
    "spider_xhs_excel": "Spider_XHS Excel with Chinese headers (评论id, 评论内容)",
    "spider_xhs_excel_notes": "Spider_XHS notes with Chinese headers (笔记id, 标题)",
}
NOTE_FORMATS = frozenset({"mediacrawler_notes", "spider_xhs_excel_notes"})
_ALIASES = {"mediacrawler": "mediacrawler_comments", "web_api": "xhs_web_api", "api": "xhs_web_api",
            "spider_xhs_xlsx": "spider_xhs_excel", "notes": "mediacrawler_notes"}

CHINESE_HEADERS: dict[str, str] = {
    "评论id": "comment_id", "评论ID": "comment_id", "评论内容": "content", "点赞数量": "like_count",
    "点赞数": "like_count", "上传时间": "upload_time", "评论时间": "upload_time", "发布时间": "upload_time",
    "ip归属地": "ip_location", "IP归属地": "ip_location", "用户昵称": "nickname", "昵称": "nickname",
    "用户id": "user_id", "用户ID": "user_id", "笔记id": "note_id", "笔记ID": "note_id", "笔记url": "note_url",
    "笔记链接": "note_url", "用户主页url": "home_url", "头像url": "avatar", "评论图片": "pictures",
    "图片地址url列表": "image_list", "评论标签": "show_tags", "子评论数量": "sub_comment_count",
    "回复数量": "sub_comment_count", "父评论id": "parent_comment_id", "回复评论id": "parent_comment_id",
    "根评论id": "root_comment_id", "标题": "title", "描述": "desc", "笔记类型": "type",
    "评论数量": "comment_count", "收藏数量": "collected_count", "分享数量": "share_count", "标签": "tag_list",
}


def has_cjk_keys(fields: Iterable[str]) -> bool:
    return any(any("\u4e00" <= ch <= "\u9fff" for ch in f) for f in fields)


def translate(row: dict[str, Any]) -> dict[str, Any]:
    """A row with Chinese headers renamed to the English field names (unknown headers kept as they are)."""
    return {CHINESE_HEADERS.get(k.strip(), k.strip()): v for k, v in row.items()}


def resolve_format(name: str | None) -> str | None:
    """A `--format` value as a known format name (None stays None)."""
    if name is None:
        return None
    key = name.strip().lower().replace("-", "_")
    key = _ALIASES.get(key, key)
    if key not in FORMATS:
        raise UserError(f"unknown format '{name}'; the formats are: {', '.join(FORMATS)}")
    return key


def detect(fields: list[str], path: Path) -> str:
    """The format whose fields these are; an unrecognised set is a one-line UserError."""
    if has_cjk_keys(fields):
        english = {CHINESE_HEADERS.get(f, f) for f in fields}
        if {"comment_id", "content"} <= english:
            return "spider_xhs_excel"
        if "note_id" in english and english & {"title", "desc"}:
            return "spider_xhs_excel_notes"
        raise _unrecognised(fields, path)
    f = set(fields)
    if {"id", "text"} <= f:
        return "redreply"
    if {"comment_id", "content"} <= f:
        if "upload_time" in f or ("create_time" not in f and "note_id" not in f):
            return "spider_xhs"
        return "mediacrawler_comments"
    if {"id", "content"} <= f and f & {"user_info", "target_comment", "sub_comments", "show_tags", "create_time"}:
        return "xhs_web_api"
    if "note_id" in f and f & {"title", "desc"} and "content" not in f:
        return "mediacrawler_notes"
    raise _unrecognised(fields, path)


def _unrecognised(fields: list[str], path: Path) -> UserError:
    shown = ", ".join(fields[:15]) + (f", … ({len(fields)} in all)" if len(fields) > 15 else "")
    return UserError(f"{path.name}: not a comment export RedReply recognises (fields seen: {shown or 'none'}); "
                     f"supported: {'; '.join(FORMATS.values())}. Use --format to name one.")
