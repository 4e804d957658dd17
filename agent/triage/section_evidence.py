"""What a whole comment section tells about one comment beyond its words: the note's relation to the brand,
whether the comment addresses the brand, the author's lead-generation signs across the section.

The note is the brand's own when one of the brand's accounts posted it; it tags the brand when its title,
text or tags name the brand or one of its products; unknown when it has neither title nor text (never
guessed from the comments); unrelated otherwise. Lead-generation signs of an author: the nickname, the same
invitation repeated across their comments, one account under several notes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from agent.knowledge.brands import Brand
from agent.knowledge.wording import sections
from agent.schemas import CommentIn, Context, NoteRelation
from agent.sources import ImportedComment, ImportResult, Note
from agent.text import normalize_for_match


def brand_terms(brand: Brand) -> tuple[str, ...]:
    """The names that make a text about the brand: its aliases, its name, its products' names, its accounts."""
    names = [brand.name, *brand.aliases, *(p.name for p in brand.products)]
    names += [a.nickname for a in brand.accounts if a.nickname]
    return tuple(sorted({normalize_for_match(n) for n in names if n and n.strip()}, key=len, reverse=True))


def names_brand(text: str, brand: Brand) -> bool:
    folded = normalize_for_match(text)
    return any(t in folded for t in brand_terms(brand))


def names_offer(folded: str, brand: Brand) -> bool:
    """The brand, its account, or anything it sells by any of its names, generic ones too ("精华", "面膜")."""
    names = (n for p in brand.products for n in (p.name, *p.aliases))
    return names_brand(folded, brand) or any(n and normalize_for_match(n) in folded for n in names)


def note_relation(note: Note | None, brand: Brand) -> NoteRelation:
    if note is not None and note.author_id and note.author_id in brand.account_keys:
        return "own"
    if note is None or not (note.title.strip() or note.desc.strip()):
        return "unknown"
    return "tags" if names_brand(" ".join([note.title, note.desc, *note.tags]), brand) else "unrelated"


def _addresses(c: ImportedComment, by_id: dict[str, ImportedComment], brand: Brand) -> bool:
    """An @ to the brand, or a reply to the brand's own comment."""
    parent = by_id.get(c.parent_id or "")
    folded = normalize_for_match(c.text)
    at_brand = "@" in folded and any("@" + t in folded.replace(" ", "") for t in brand_terms(brand))
    return at_brand or bool(parent and parent.is_brand)


def author_signs(comments: Iterable[ImportedComment]) -> dict[str, list[str]]:
    """Lead-generation signs by author (id, else nickname): the nickname, repeated invitations, several notes."""
    words = sections()
    by_author: dict[str, list[ImportedComment]] = defaultdict(list)
    for c in comments:
        by_author[c.author_id or c.author or ""].append(c)
    out: dict[str, list[str]] = {}
    for key, mine in by_author.items():
        invites = sum(1 for c in mine if words.lead_gen.search(normalize_for_match(c.text)))
        signs = ["nickname"] if words.lead_gen_nickname.search(normalize_for_match(mine[0].author or "")) else []
        signs += ["repeated_invitations"] if invites >= 2 else []
        signs += ["several_notes"] if invites and len({c.note_id for c in mine}) > 1 else []
        if key and signs:
            out[key] = signs
    return out


def section_inputs(result: ImportResult, brand: Brand, max_tokens: int) -> list[CommentIn]:
    """Every comment of the import (the brand's own included: they are left, with their reason) as an input
    line whose context holds its thread and what the whole section says about it."""
    by_id = {c.id: c for c in result.comments}
    signs = author_signs(result.comments)
    out = []
    for c in result.comments:
        line = c.as_comment_in(result.thread_for(c.id), max_tokens)
        note = result.notes.get(c.note_id or "")
        line.context = (line.context or Context()).model_copy(update={
            "note_relation": note_relation(note, brand) if c.note_id else None, "addresses_brand": _addresses(c, by_id, brand),
            "author_signs": signs.get(c.author_id or c.author or "", []), "by_brand": c.is_brand})
        out.append(line)
    return out
