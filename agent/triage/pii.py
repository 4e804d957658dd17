"""Personal data in comments: find it, mask it for logs and reports, and spot it echoed in a reply."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from agent.knowledge.wording import privacy
from agent.schemas import PiiHit
from agent.text import LINK_TLDS

# Digits may be split by spaces, dashes or dots to dodge filters ("138 0013 8000").
_SEP = r"[\s\-\.·_]?"
# The formats that are code structure (digits, an e-mail, a link); those named by Chinese words (a WeChat or
# QQ id, an address, a name) are in knowledge/wording/privacy.yaml.
_FORMATS: dict[str, re.Pattern[str]] = {
    "id_card": re.compile(r"(?<!\d)[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?!\d)"),
    "phone": re.compile(rf"(?<!\d)(?:\+?86{_SEP})?1[3-9](?:{_SEP}\d){{9}}(?!\d)|(?<!\d)0\d{{2,3}}-\d{{7,8}}(?!\d)"),
    "email": re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"),
    "url": re.compile(rf"(?:https?://|www\.)\S+|\b[a-z0-9-]+\.(?:{LINK_TLDS})(?:/\S*)?\b", re.I),
}
URL_RE = _FORMATS["url"]


@cache
def patterns() -> list[tuple[str, re.Pattern[str]]]:
    """Every kind and its pattern, in the order they claim text (an earlier hit's span is not matched again)."""
    words = privacy()
    return [*_FORMATS.items(), ("wechat", words.wechat_id), ("qq", words.qq_id), ("address", words.address),
            ("name", words.real_name)]


def _fold(text: str) -> str:
    # Full-width digits and letters count like half-width ones; NFKC keeps the length for these.
    return unicodedata.normalize("NFKC", text)


def mask(value: str) -> str:
    """Keep the first and last characters, mask the rest: enough to recognise, not to reuse."""
    if len(value) <= 2:
        return "*" * len(value)
    keep = 1 if len(value) <= 5 else 2
    return value[:keep] + "*" * (len(value) - 2 * keep) + value[-keep:]


def find_pii(text: str) -> list[PiiHit]:
    folded = _fold(text)
    if len(folded) != len(text):  # NFKC changed the length: match on the original instead
        folded = text
    hits: list[PiiHit] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in patterns():
        for m in pattern.finditer(folded):
            group = 1 if m.lastindex else 0
            start, end = m.span(group)
            if any(start < e and end > s for s, e in taken):
                continue
            taken.append((start, end))
            hits.append(PiiHit(kind=kind, masked=mask(text[start:end]), start=start, end=end))  # type: ignore[arg-type]
    return sorted(hits, key=lambda h: h.start)


def redact(text: str, hits: list[PiiHit] | None = None) -> str:
    """The text with each hit replaced by its masked form: for logs, analytics and eval reports."""
    hits = find_pii(text) if hits is None else hits
    out, last = [], 0
    for h in sorted(hits, key=lambda h: h.start):
        out.append(text[last:h.start])
        out.append(h.masked)
        last = h.end
    out.append(text[last:])
    return "".join(out)


def echoed(reply: str, comment: str, hits: list[PiiHit]) -> list[str]:
    """Personal data from the comment that reappears in the reply (digits compared without separators)."""
    digits_reply = re.sub(r"\D", "", _fold(reply))
    found: list[str] = []
    for h in hits:
        raw = comment[h.start:h.end]
        compact = re.sub(r"[\s\-\.]", "", _fold(raw))
        if raw in reply or (compact.isdigit() and len(compact) >= 5 and compact in digits_reply):
            found.append(h.kind)
    return found
