"""Threads: replies linked to their parent and root, orphans and loops marked, the brand's own replies
recognised, and a comment's earlier thread fitted to a token budget.

Rules
- A reply's root is the top of its chain of parent links. A reply whose parent is not in the file is
  kept and marked `orphan`; its root is the parent's id, or the thread's first comment where the export
  says which (a reply nested in a web API `sub_comments` list, a `root_comment_id` column), so the
  replies under it still share one thread.
- A loop of parent links (corrupt data) never loops forever: it is broken at its earliest comment,
  which becomes the thread's first comment (root_id None, orphan True, parent_id kept as exported).
- A brand reply is one the platform tagged `is_author` (the note's author replied), one by the note's
  author (their user id matches the note's), or one by an account in `brand_accounts`. Accounts are
  matched by user id or creator hash. A display name is matched ONLY when the row has no author id at
  all: crawlers mask nicknames and anyone can call themselves "GlowSkin官方", so a nickname never
  overrides an id that does not match.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from agent.sources.models import ImportedComment, Note

MESSAGE_OVERHEAD = 4  # tokens for the author label and separators of one thread message
_CJK = re.compile(r"[\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
                  r"\uff00-\uffef\U00020000-\U0002fa1f]")


def link(comments: list[ImportedComment], notes: dict[str, Note], brand_accounts: Iterable[str] = ()
         ) -> list[ImportedComment]:
    """The comments (same order) with root_id, orphan and is_brand set by the rules above, and note_title
    from their note where the export did not carry one."""
    accounts = frozenset(a.strip() for a in brand_accounts if a and a.strip())
    by_id = {c.id: c for c in comments}
    order = {c.id: i for i, c in enumerate(comments)}
    top, orphans = _tops(by_id, order)
    out = []
    for c in comments:
        root, note = top[c.id], notes.get(c.note_id or "")
        update = {"root_id": None if root == c.id else root, "orphan": c.id in orphans,
                  "is_brand": _is_brand(c, notes, accounts)}
        if note is not None and not c.note_title:
            update["note_title"] = note.display_title or None
        out.append(c.model_copy(update=update))
    return out


def _tops(by_id: dict[str, ImportedComment], order: dict[str, int]) -> tuple[dict[str, str], set[str]]:
    """For each comment the id its thread starts at (present, missing or a loop's earliest), and the orphans."""
    top: dict[str, str] = {}
    orphans: set[str] = set()
    for start in by_id:
        path: list[str] = []
        on_path: set[str] = set()
        cur = start
        while cur not in top:
            if cur in on_path:
                loop = path[path.index(cur):]
                first = min(loop, key=lambda i: (by_id[i].posted_at or "", order[i]))
                top[first] = first
                orphans.add(first)
                break
            path.append(cur)
            on_path.add(cur)
            parent = by_id[cur].parent_id
            if parent is None:
                top[cur] = cur
            elif parent not in by_id:
                hint = by_id[cur].root_id
                top[cur] = hint if hint and hint != cur else parent
                orphans.add(cur)
            else:
                cur = parent
        pending = [p for p in reversed(path) if p not in top]
        while pending:  # each chain now ends at a resolved comment, so every pass makes progress
            pending = [p for p in pending if _inherit(p, by_id, top)]
    return top, orphans


def _inherit(node: str, by_id: dict[str, ImportedComment], top: dict[str, str]) -> bool:
    """Takes the parent's thread when it is known; True while still pending."""
    parent = by_id[node].parent_id
    if parent in top:
        top[node] = top[parent]  # type: ignore[index]
        return False
    return True


def _is_brand(c: ImportedComment, notes: dict[str, Note], accounts: frozenset[str]) -> bool:
    if c.is_brand:
        return True
    if c.author_id:
        note = notes.get(c.note_id or "")
        return c.author_id in accounts or bool(note and note.author_id and note.author_id == c.author_id)
    return bool(c.author and c.author.strip() in accounts)


class ThreadIndex:
    """The comments grouped by thread, for `thread_for` lookups (build once per import)."""

    def __init__(self, comments: Sequence[ImportedComment]) -> None:
        self._by_id = {c.id: c for c in comments}
        self._order = {c.id: i for i, c in enumerate(comments)}
        self._groups: dict[str, list[ImportedComment]] = defaultdict(list)
        for c in comments:
            self._groups[c.root_id or c.id].append(c)

    def _key(self, c: ImportedComment) -> tuple[str, int]:
        return c.posted_at or "", self._order[c.id]

    def _ancestors(self, c: ImportedComment) -> set[str]:
        seen: set[str] = set()
        parent = c.parent_id
        while parent is not None and parent in self._by_id and parent not in seen:
            seen.add(parent)
            parent = self._by_id[parent].parent_id
        return seen

    def thread_for(self, comment_id: str) -> list[ImportedComment]:
        """The earlier messages of the comment's thread: its root first (when in the file), then the others
        posted before it in time order (file order on ties), ending before the comment. Every comment it
        answers, directly or not, is included; nothing that answers it is. KeyError for an unknown id."""
        c = self._by_id.get(comment_id)
        if c is None:
            raise KeyError(f"no comment '{comment_id}' in this import")
        root, key, ancestors = c.root_id or c.id, self._key(c), self._ancestors(c)
        earlier = [m for m in self._groups[root] if m.id != c.id and (
            m.id in ancestors or (self._key(m) < key and c.id not in self._ancestors(m)))]
        return sorted(earlier, key=lambda m: (m.id != root, self._key(m)))


def estimate_tokens(text: str) -> int:
    """A deliberately generous token estimate for Chinese-first text: one token per CJK character (Han,
    kana, hangul and full-width punctuation), plus the other words (whitespace-separated runs) / 0.75,
    rounded up. Tokenizers of the models RedReply uses give 0.6–1 token per Han character and ~1.3 per
    English word, so this over-counts rather than under-counts."""
    cjk = len(_CJK.findall(text))
    words = len(_CJK.sub(" ", text).split())
    return cjk + math.ceil(words / 0.75)


def message_tokens(m: ImportedComment) -> int:
    """A thread message's cost: its text, its author and MESSAGE_OVERHEAD."""
    return estimate_tokens(m.text) + estimate_tokens(m.author or "") + MESSAGE_OVERHEAD


def fit_thread(messages: Sequence[ImportedComment], max_tokens: int) -> list[ImportedComment]:
    """The thread within `max_tokens` (by `message_tokens`): the root (messages[0]) always, then the latest
    messages that fit, in order; the middle is dropped. A root too long on its own is cut (ending in "…")."""
    if not messages or max_tokens <= 0:
        return []
    root, rest = messages[0], messages[1:]
    budget = max_tokens - message_tokens(root)
    if budget < 0:
        cut = _cut(root, max_tokens)
        return [cut] if cut else []
    kept: list[ImportedComment] = []
    for m in reversed(rest):
        cost = message_tokens(m)
        if cost > budget:
            break
        kept.append(m)
        budget -= cost
    return [root, *reversed(kept)]


def _cut(m: ImportedComment, max_tokens: int) -> ImportedComment | None:
    room = max_tokens - MESSAGE_OVERHEAD - estimate_tokens(m.author or "")
    lo, hi = 0, len(m.text)
    while lo < hi:  # the longest prefix that fits with its ellipsis
        mid = (lo + hi + 1) // 2
        if estimate_tokens(m.text[:mid] + "…") <= room:
            lo = mid
        else:
            hi = mid - 1
    return m.model_copy(update={"text": m.text[:lo] + "…"}) if lo else None


def context_of(comment: ImportedComment, thread: Sequence[ImportedComment]) -> dict[str, Any]:
    """The output contract's `context` object (../shared/design.md) for a comment and the thread messages
    the draft took into account (normally `fit_thread(thread_for(id), budget)`)."""
    return {
        "note": {"id": comment.note_id, "title": comment.note_title} if comment.note_id else None,
        "parent_id": comment.parent_id, "root_id": comment.root_id, "likes": comment.likes,
        "pictures": list(comment.pictures),
        "thread": [{"id": m.id, "author": m.author, "text": m.text, "brand": m.is_brand} for m in thread],
    }
