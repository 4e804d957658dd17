"""Which phrasing an offline reply takes. Each script has several phrasings, and a reply's interchangeable
words (its opener, its sign-off, its empathy line: `knowledge/wording/variety.yaml`) have alternatives. The
choice is seeded by the comment's id, so a rerun gives the same reply, and steered away from the replies
already given under the note and for the brand that day: onlookers read two near-identical replies as a bot."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence

from agent.drafting.variety import NEAR_IDENTICAL, similarity
from agent.knowledge.wording import variety
from agent.schemas import RecentReplies

# How many candidate replies are tried before the least repetitive one is taken: enough to get past a
# note's worth of look-alike comments, few enough that a draft stays a few milliseconds.
MAX_TRIES = 32


def seed_of(key: str) -> int:
    """A stable number for a comment id (Python's hash() changes per process; reruns must not)."""
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "big")


def closest_to(text: str, recent: Sequence[str]) -> tuple[float, str]:
    """The similarity of the recent reply most like `text`, and that reply (0 and "" when there is none)."""
    best = (0.0, "")
    for r in recent:
        s = similarity(text, r)
        if s > best[0]:
            best = (s, r)
    return best


def _groups(text: str) -> list[tuple[int, str, tuple[str, ...]]]:
    """The variable words the text holds: (where, the word, its alternatives), at most one per group."""
    words = variety()
    found: list[tuple[int, str, tuple[str, ...]]] = []
    opener = next((w for w in sorted(words.openers, key=len, reverse=True) if text.startswith(w)), None)
    if opener:
        found.append((0, opener, words.openers))
    taken = [(0, len(opener))] if opener else []
    for group in words.swaps:
        for w in sorted(group, key=len, reverse=True):
            at = text.find(w)
            if at >= 0 and not any(a < at + len(w) and at < b for a, b in taken):
                found.append((at, w, group))
                taken.append((at, at + len(w)))
                break
    tail = text.rstrip()
    closing = next((w for w in sorted(words.sign_offs, key=len, reverse=True) if tail.endswith(w)), None)
    if closing and not any(a < len(tail) and len(tail) - len(closing) < b for a, b in taken):
        found.append((len(tail) - len(closing), closing, words.sign_offs))
    return sorted(found)


def _with_words(text: str, groups: list[tuple[int, str, tuple[str, ...]]], picks: list[str]) -> str:
    out, last = [], 0
    for (at, word, _), pick in zip(groups, picks, strict=True):
        out += [text[last:at], pick]
        last = at + len(word)
    return "".join(out) + text[last:]


def word_variations(text: str, seed: int) -> Iterator[str]:
    """The text with its variable words swapped, in an order the seed decides; the first is the seed's own."""
    groups = _groups(text)
    sizes = [len(g[2]) for g in groups]
    total = 1
    for n in sizes:
        total *= n
    for k in range(min(total, MAX_TRIES)):
        code, picks = (seed + k) % total, []
        for (_, _, options), n in zip(groups, sizes, strict=True):
            picks.append(options[code % n])
            code //= n
        yield _with_words(text, groups, picks)


def candidates(phrasings: Sequence[str], render: Callable[[str], str], seed: int) -> Iterator[str]:
    """Rendered replies to try, best first: the seed's phrasing with the seed's words, then each other phrasing,
    then more word variations of each in turn. Rendered only when reached: most replies take the first."""
    order = [phrasings[(seed + i) % len(phrasings)] for i in range(len(phrasings))]
    variations: list[Iterator[str]] = []
    seen: set[str] = set()
    word_seed = seed // max(1, len(phrasings))
    tried = 0
    for phrasing in order:  # the first variation of every phrasing
        body = render(phrasing)
        if body in seen:
            continue
        seen.add(body)
        v = word_variations(body, word_seed)
        variations.append(v)
        tried += 1
        yield next(v)
    while variations and tried < MAX_TRIES:  # then the others, a phrasing at a time
        for v in list(variations):
            text = next(v, None)
            if text is None:
                variations.remove(v)
                continue
            tried += 1
            yield text


def choose(options: Iterator[str], recent: RecentReplies) -> str:
    """The first option near-identical to no recent reply; else the one least like them, a repeat under the note
    being worse than one of the brand's day (onlookers of one note read them side by side)."""
    best: tuple[tuple[bool, float], str] | None = None
    for text in options:
        if not recent.under_note and not recent.brand_today:
            return text
        note, _ = closest_to(text, recent.under_note)
        day, _ = closest_to(text, recent.brand_today)
        if max(note, day) < NEAR_IDENTICAL:
            return text
        key = (note >= NEAR_IDENTICAL, max(note, day))
        if best is None or key < best[0]:
            best = (key, text)
    assert best is not None, "no candidate reply"
    return best[1]
