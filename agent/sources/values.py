"""Field values as the crawler tools write them, turned into plain Python values.

- times: epoch seconds or milliseconds (decided by magnitude: above 1e11 it is milliseconds, since 1e11
  seconds is the year 5138 and 1e11 ms is 1973), ISO 8601, or "YYYY-MM-DD HH:MM[:SS]" text; a time
  without a zone is China Standard Time (UTC+8, what the tools print), and the result is ISO 8601 UTC;
- counts: 12, "12", "1,234", "1.2万" (12000), "3千", "1.5w", "10+" (10); the platform shows "赞" for 0;
- pictures: a list of URLs or of picture objects, a JSON-encoded list, or URLs joined by commas;
- comment text: HTML character references a scraped page left in it ("房&#38388;", "&amp;") are decoded.
"""

from __future__ import annotations

import html
import json
import re
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from agent.schemas import CommentStatus

CHINA = timezone(timedelta(hours=8), "CST")
MS_THRESHOLD = 1e11
_TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%d", "%Y/%m/%d")
_NUMBER = re.compile(r"^\d+(\.\d+)?$")
_COUNT = re.compile(r"(\d+(?:\.\d+)?)\s*(万|w|千|k|亿)?")
_UNITS = {"万": 10_000, "w": 10_000, "千": 1_000, "k": 1_000, "亿": 100_000_000}
_PICTURE_KEYS = ("url_default", "url", "url_pre", "urlDefault", "image")
# Numeric references and the few named ones pages escape, each with its ';': html.unescape alone would also
# turn a commenter's "a&notb" into "a¬b" (HTML's legacy names need no ';').
_CHAR_REFERENCE = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|amp|lt|gt|quot|apos|nbsp);")


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text_of(value: Any) -> str:
    """A field as stripped text ('' when missing); integral floats (Excel) lose their '.0'."""
    if blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def comment_text(value: Any) -> str:
    """A comment's text as the page showed it: `text_of` with its HTML character references decoded."""
    return _CHAR_REFERENCE.sub(lambda m: html.unescape(m.group()).replace("\xa0", " "), text_of(value))


def iso_utc(value: Any) -> str | None:
    """A time in any of the shapes above as ISO 8601 UTC (seconds), or None when missing or unreadable."""
    if blank(value) or isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=CHINA)
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day, tzinfo=CHINA)
    elif isinstance(value, int | float) or _NUMBER.match(str(value).strip()):
        number = float(value)
        if number <= 0:
            return None
        moment = datetime.fromtimestamp(number / 1000 if number > MS_THRESHOLD else number, UTC)
    else:
        moment_or_none = _parse_text_time(str(value).strip())
        if moment_or_none is None:
            return None
        moment = moment_or_none
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_text_time(text: str) -> datetime | None:
    for fmt in _TIME_FORMATS:
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=CHINA)
        except ValueError:
            continue
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=CHINA)


def count(value: Any) -> int:
    """A like or reply count in any of the shapes above; unreadable text (e.g. "赞") counts as 0."""
    if blank(value) or isinstance(value, bool):
        return 0
    if isinstance(value, int | float):
        return max(0, int(value))
    match = _COUNT.search(str(value).replace(",", "").replace("，", "").lower())
    if not match:
        return 0
    return int(round(float(match.group(1)) * _UNITS.get(match.group(2) or "", 1)))


def _listish(value: str, separators: str) -> list[Any]:
    """A JSON-encoded list, or else the parts of a separated string."""
    text = value.strip()
    if text.startswith("["):
        try:
            parsed = json.loads(text)
            return parsed if isinstance(parsed, list) else [parsed]
        except json.JSONDecodeError:
            pass
    return [part.strip() for part in re.split(separators, text) if part.strip()]


def pictures(value: Any) -> list[str]:
    """Picture URLs from a list (of URLs or picture objects), a JSON-encoded list or comma-joined URLs."""
    if blank(value):
        return []
    if isinstance(value, str):
        value = _listish(value, r"[,\n]")
    if isinstance(value, dict):
        value = [value]
    urls: list[str] = []
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, dict):
            url = next((item[k] for k in _PICTURE_KEYS if isinstance(item.get(k), str) and item[k]), None)
            infos = item.get("info_list")
            if url is None and isinstance(infos, list) and infos and isinstance(infos[0], dict):
                url = infos[0].get("url")
            if url:
                urls.append(str(url))
        elif not blank(item):
            urls.append(str(item).strip())
    return urls


def tags(value: Any) -> list[str]:
    """Note tags from a list (of names or tag objects), a JSON-encoded list or a comma-joined string."""
    if blank(value):
        return []
    if isinstance(value, str):
        value = [v.strip("#") if isinstance(v, str) else v for v in _listish(value, r"[,，]")]
    out = []
    for item in value if isinstance(value, list) else [value]:
        name = item.get("name") if isinstance(item, dict) else item
        if not blank(name):
            out.append(str(name).strip())
    return out


def has_author_tag(value: Any) -> bool:
    """True when `show_tags` (a list, JSON text or plain text) carries "is_author"."""
    if blank(value):
        return False
    if isinstance(value, list):
        return any(has_author_tag(v) for v in value)
    return "is_author" in str(value)


def dig(record: dict[str, Any], dotted: str) -> Any:
    """A nested field such as 'user_info.user_id' (None when any step is missing)."""
    value: Any = record
    for key in dotted.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def first(record: dict[str, Any], *keys: str) -> Any:
    """The first of the (possibly dotted) keys whose value is not blank."""
    for key in keys:
        value = dig(record, key) if "." in key else record.get(key)
        if not blank(value):
            return value
    return None


_HIDDEN = {"hidden", "invisible", "folded"}
_DELETED = {"deleted", "removed"}


def flag(value: Any) -> bool:
    """A yes/no field as exports write it: true, 1, "true" or "1"."""
    return value in (True, 1, "true", "1")


def status(rec: dict[str, Any]) -> CommentStatus:
    """The platform status an export carries: a `deleted`/`hidden` flag or a `status` word; visible otherwise."""
    if flag(rec.get("deleted")):
        return "deleted"
    if flag(rec.get("hidden")):
        return "hidden"
    word = text_of(rec.get("status")).lower()
    return "deleted" if word in _DELETED else "hidden" if word in _HIDDEN else "visible"
