"""Where a comment's insult word insults nobody: a word named rather than used (listed as terms, said over and
over as a habit, inside a story or a joke told after a colon), and a word said of no one else (the commenter's
own side, a thing: a game's "sb ai", a design "太傻逼"). The words are in knowledge/wording/appeals.yaml."""

from __future__ import annotations

from agent.knowledge.wording import appeals


def named_not_used(text: str, start: int, end: int) -> bool:
    """text[start:end] is named, not used: listed as terms further on in its sentence ("黑鬼，白皮猪之类的称呼"),
    repeated as someone's habit of saying it ("天天黑鬼黑鬼的"), or inside words told after a colon
    ("他的笑话是这样的：…")."""
    words = appeals()
    word = text[start:end]
    rest = words.sentence_end.split(text[end:], maxsplit=1)[0]
    doubled = text[end:end + len(word)] == word or text[max(0, start - len(word)):start] == word
    return bool(words.mention_later.search(rest)) or doubled or bool(words.told_intro.search(text[:start]))


def said_of_no_one(before: str, after: str) -> bool:
    """The word in its clause (`before` it, `after` it) is said of the commenter's own side ("我们低等小黄人") or
    of a thing ("sb ai", "无按键太傻逼", a clause naming no person): no insult at anyone else."""
    words = appeals()
    if words.self_ref.search(before) or words.thing_after.search(after):
        return True
    return bool(words.degree_before.search(before)) and not words.people.search(before + after)
