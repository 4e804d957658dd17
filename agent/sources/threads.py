"""Threads: replies linked to their parent and root, orphans and loops marked, the brand's own replies
recognised, and a comment's thread as the output contract's `context`. The thread index and the
token budget a thread is fitted to (`ThreadIndex`, `fit_thread`) are in models.py, which the models' own
methods use.

Rules
- A reply's root is the top of its chain of parent links. A reply whose parent is not in the file is
  kept and marked `orphan`; its root is the parent's id, or the thread's first comment where the export
  says which (a reply nested in a web API `sub_comments` list, a `root_comment_id` column), so the
  replies under it still share one thread.
- A loop of parent links (corrupt data) never loops forever: it is broken at its earliest comment,
  which becomes the thread's first comment (root_id None, orphan True, parent_id kept as exported).
- A brand reply is one by an account in `brand_accounts`, or one the platform tagged `is_author` under a
  note one of those accounts posted. Under a creator's note the creator is not the brand: their comments
  are triaged like anyone's. With no accounts given, the note's author (tag or user id) stands for it. Accounts are
  matched by user id or creator hash. A display name is matched ONLY when the row has no author id at
  all: crawlers mask nicknames and anyone can call themselves "GlowSkin官方", so a nickname never
  overrides an id that does not match.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from agent.sources.models import ImportedComment, Note


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
    note = notes.get(c.note_id or "")
    by_note_author = c.is_brand or bool(note and note.author_id and note.author_id == c.author_id)
    if not accounts:  # nothing to tell the brand from a creator: the note's author stands for it
        return by_note_author
    if c.is_brand:  # the platform's is_author tag: the brand only on a note one of its accounts posted
        return bool(note and note.author_id in accounts)
    if c.author_id:
        return c.author_id in accounts
    return bool(c.author and c.author.strip() in accounts)


def context_of(comment: ImportedComment, thread: Sequence[ImportedComment]) -> dict[str, Any]:
    """The output contract's `context` object (../shared/design.md) for a comment and the thread messages
    the draft took into account (normally `fit_thread(thread_for(id), budget)`)."""
    return {
        "note": {"id": comment.note_id, "title": comment.note_title} if comment.note_id else None,
        "parent_id": comment.parent_id, "root_id": comment.root_id, "likes": comment.likes,
        "pictures": list(comment.pictures),
        "thread": [{"id": m.id, "author": m.author, "text": m.text, "brand": m.is_brand} for m in thread],
    }
