"""The models an import produces: comments with their place in a thread, the notes they sit under, and
the per-line errors of the file they came from; and the thread index and token budget their methods use
(`ThreadIndex`, `estimate_tokens`, `fit_thread`), here so that models.py needs nothing from threads.py."""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator

from agent.schemas import CommentIn, CommentStatus, Context, NoteRef, ThreadMessage

NOTE_TITLE_CHARS = 60  # a note without a title is named by the start of its text, at most this long
# The most a comment's thread block (note line and earlier messages, `Context.prompt_text`) adds to a draft
# prompt, by `estimate_tokens` (which over-counts): the root and the latest messages are kept, the middle dropped.
THREAD_TOKENS = 300
MESSAGE_OVERHEAD = 4  # tokens for the author label and separators of one thread message
_CJK = re.compile(r"[\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
                  r"\uff00-\uffef\U00020000-\U0002fa1f]")


@dataclass
class LineError:
    """A record that was not imported: its line (the row number for CSV, Excel and SQLite) and why.

    Identical to `LineError` in agent/comments_io.py (to be unified)."""

    line: int
    message: str


def _top_level(v: Any) -> Any:
    """The platform writes a missing parent as "", "0" or 0; all mean top level."""
    if v is None or v == "" or v == 0 or v == "0":
        return None
    return str(v) if isinstance(v, int) else v


class ImportedComment(BaseModel):
    """One comment (or reply) from an export, in RedReply's terms, whatever shape it came in."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1, max_length=128)
    text: str = Field(min_length=1)
    author: str | None = Field(None, description="Display name as exported; crawlers often mask it")
    status: CommentStatus = Field("visible", description="The platform status the export carries")
    author_id: str | None = Field(None, description="User id or creator hash; None when the export has neither")
    note_id: str | None = None
    note_title: str | None = Field(None, description="The note's title, else the start of its text")
    posted_at: str | None = Field(None, description="ISO 8601 UTC, e.g. 2026-03-01T12:30:05Z")
    likes: int = 0
    reply_count: int = 0
    pictures: list[str] = Field(default_factory=list)
    parent_id: str | None = Field(None, description="The comment this one answers; None at top level")
    root_id: str | None = Field(None, description="The first comment of the thread; None at top level")
    is_brand: bool = Field(False, description="Written by the note's author or the brand's own account")
    orphan: bool = Field(False, description="Its parent is not in the file: kept, root_id is the parent's id "
                                            "unless the export names the thread's first comment")
    order_id: str | None = Field(None, description="Only RedReply's own shape carries an order id")
    source_format: str = "redreply"

    @field_validator("id", mode="before")
    @classmethod
    def _id_as_str(cls, v: Any) -> Any:
        return str(v) if isinstance(v, int) else v

    @field_validator("parent_id", "root_id", mode="before")
    @classmethod
    def _parent_top_level(cls, v: Any) -> Any:
        return _top_level(v)

    def as_comment_in(self, thread: Sequence[ImportedComment] = (), max_tokens: int = THREAD_TOKENS) -> CommentIn:
        """The drafting pipeline's input line for this comment, its `context` holding its note and the
        earlier messages of its thread (`thread`, normally `ImportResult.thread_for(id)`) fitted so that
        the thread block adds at most `max_tokens` to a prompt."""
        return CommentIn(id=self.id, text=self.text, author=self.author, author_id=self.author_id,
                         note_id=self.note_id, note_title=self.note_title, posted_at=self.posted_at,
                         order_id=self.order_id, likes=self.likes, reply_count=self.reply_count,
                         context=self._context(thread, max_tokens))

    def _context(self, thread: Sequence[ImportedComment], max_tokens: int) -> Context:
        budget = max_tokens
        while True:  # the labels and the note line cost a little beyond the messages' own estimate
            ctx = Context(note=NoteRef(id=self.note_id, title=self.note_title) if self.note_id else None,
                          parent_id=self.parent_id, root_id=self.root_id, likes=self.likes,
                          pictures=list(self.pictures), status=self.status,
                          thread=[ThreadMessage(id=m.id, author=m.author, text=m.text, brand=m.is_brand)
                                  for m in fit_thread(thread, budget)])
            if not ctx.thread:  # a note line alone is at most NOTE_LINE_CHARS long
                return ctx
            over = estimate_tokens(ctx.prompt_text()) - max_tokens
            if over <= 0:
                return ctx
            budget -= over


class Note(BaseModel):
    """A note (笔记) the comments sit under, from a contents file or the database's note table."""

    id: str = Field(min_length=1)
    title: str = ""
    desc: str = ""
    url: str | None = None
    liked_count: int = 0
    comment_count: int = 0
    tags: list[str] = Field(default_factory=list)
    author_id: str | None = Field(None, description="The note author's user id (their replies are the brand's)")
    author: str | None = None

    @property
    def display_title(self) -> str:
        """The title, else the start of the text (at most 60 characters, an ellipsis marking a cut)."""
        if self.title.strip():
            return self.title.strip()
        desc = " ".join(self.desc.split())
        return desc if len(desc) <= NOTE_TITLE_CHARS else desc[: NOTE_TITLE_CHARS - 1] + "…"


class ImportResult(BaseModel):
    """What `read_any` read: the comments in file order, the notes by id and the lines it skipped."""

    comments: list[ImportedComment] = Field(default_factory=list)
    notes: dict[str, Note] = Field(default_factory=dict)
    errors: list[LineError] = Field(default_factory=list)
    format: str = Field(description="The detected (or forced) shape, a key of agent.sources.FORMATS")
    fields_seen: list[str] = Field(default_factory=list, description="The record fields the file used")
    notes_source: str | None = Field(None, description="Where the notes came from (a file or a table), if any")
    partial: str | None = Field(None, description="Set when the file is one page of a longer section: the line to show")
    _index: ThreadIndex | None = PrivateAttr(None)

    def threads(self) -> ThreadIndex:
        """The thread index over the comments (built once; do not mutate `comments` afterwards)."""
        if self._index is None:
            self._index = ThreadIndex(self.comments)
        return self._index

    def thread_for(self, comment_id: str) -> list[ImportedComment]:
        """The earlier messages of the comment's thread, root first; see `ThreadIndex.thread_for`."""
        return self.threads().thread_for(comment_id)

    def to_answer(self) -> list[ImportedComment]:
        """The comments to draft replies for: everything but the brand's own replies."""
        return [c for c in self.comments if not c.is_brand]

    def comments_in(self, max_tokens: int = THREAD_TOKENS) -> list[CommentIn]:
        """`to_answer()` as the drafting pipeline's input lines, each with its note and fitted thread."""
        return [c.as_comment_in(self.thread_for(c.id), max_tokens) for c in self.to_answer()]

    def __eq__(self, other: object) -> bool:  # the cached index is not part of the value
        return isinstance(other, ImportResult) and self.model_dump() == other.model_dump()

    __hash__ = None  # type: ignore[assignment]


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
