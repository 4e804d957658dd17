"""Restating the commenter's own words in the offline draft: which clauses may be quoted, which state a
fault plainly, and how a clause is said back to the commenter (the words are in knowledge/wording/quoting.yaml).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from agent.knowledge.script_library import ScriptLibrary, ScriptTemplate, mask_compounds
from agent.knowledge.wording import questions, quoting
from agent.text import HAN_RE, normalize_for_match

# ASCII "." ends a clause too where it follows Chinese ("只能订这个了.如果可以的话", "洒到煎饼里了...这是新口味吗"),
# never inside a number or a word ("3.5", "v1.2").
_CLAUSE = re.compile(r"[，,。！!？?；;~～\s…]+|(?<=[\u4e00-\u9fff])\.+")

# Situations with no problem of their own to name a second time.
_GENERIC_SITUATIONS = {"general", "follow_up", "praise", "praise_thanks", "not_ours"}


def quotable_clauses(comment: str, avoid: list[str], refuse: list[str]) -> list[str]:
    """Short clauses of the commenter's own words a reply may restate, in order: no praise, no personal data,
    no word of `avoid` (abuse, rumors…), and none at all from a comment that talks to the model (`refuse`:
    the injection markers)."""
    from agent.triage.pii import find_pii
    from agent.triage.signals import sounds_like_praise

    folded = normalize_for_match(comment)
    if any(w and w in folded for w in refuse):
        return []
    avoid = [w for w in avoid if w]
    candidates = []
    lead_in = quoting().lead_in
    for clause in _CLAUSE.split(comment):
        # "用了面膜脸上起疹子" restated after "看到你用后…" must not say 用了 twice.
        clause = lead_in.sub("", clause.strip("“”\"'「」()（）#"))
        if re.search(r"[()（）「」\[\]【】“”]", clause):
            continue  # a fragment cut inside brackets or quotes reads broken
        if 4 <= len(HAN_RE.findall(clause)) and len(clause) <= 18 and not find_pii(clause) \
                and not any(w in clause.lower() for w in avoid) and not re.search(r"[<>{}\[\]@/:]", clause):
            candidates.append(clause)
    return [c for c in candidates if not sounds_like_praise(normalize_for_match(c))]


def hostile_kind(clause: str) -> str | None:
    """What the clause does, where it accuses, threatens or insults ("accusation", "threat", "insult"); None
    otherwise. Such a clause is never said back, by any drafter (the `no_hostile_echo` check)."""
    folded = normalize_for_match(clause)
    return next((kind for kind, words in quoting().hostile.items() if words.search(folded)), None)


def hostile_clauses(comment: str) -> list[tuple[str, str]]:
    """The comment's clauses that accuse, threaten or insult, each with its kind, folded."""
    found = ((hostile_kind(c), normalize_for_match(c)) for c in _CLAUSE.split(comment) if c.strip())
    return [(kind, clause) for kind, clause in found if kind]


def neutral(clause: str) -> bool:
    """A clause a reply may restate: it tells what happened, not how the customer feels about it, what they had
    expected, their defence, sarcasm, or an accusation, threat or insult."""
    return hostile_kind(clause) is None and not quoting().not_neutral.search(normalize_for_match(clause))


def _naming(clauses: list[str], about: Collection[str]) -> list[str]:
    """The clauses that name one of the words `about` (a script's triggers)."""
    return [c for c in clauses if any(w and w in mask_compounds(normalize_for_match(c)) for w in about)]


def quote_issue(comment: str, avoid: list[str], refuse: list[str], about: Sequence[str] = (),
                problems: Collection[str] = ()) -> str | None:
    """A clause to restate: the first that names what the reply is about (`about`: the chosen script's trigger
    words), else the first that states a fault plainly and names a problem (`problems`: any apology script's
    triggers); else None, and the script's neutral words stand in. Only a neutral clause, never a question:
    any other clause said back as the problem reads as mockery ("看到你说永远的神", "你说起球那么正常的吗") or
    as the brand taking up an accusation ("你说换个洋名字卖贵三倍")."""
    named = [c for c in _naming(quotable_clauses(comment, avoid, refuse), about) if not quoting().asking.search(c)]
    faults = [c for c in fault_clauses(comment, avoid, refuse) if not problems or _naming([c], problems)]
    return next((c for c in named + faults if neutral(c)), None)


def unexclaimed(clause: str) -> str:
    """The clause without its exclamations ("居然…", "…呀")."""
    return quoting().exclaimed.sub("", clause).strip("，, ")


def second_person(clause: str) -> str:
    """The commenter's clause as said back to them: "我" becomes "你" ("我们" is never restated)."""
    words = quoting()
    return words.first_person.sub(words.said_back_as, clause)


def told_back(clause: str) -> str:
    """The commenter's clause said back to them unquoted: in the second person, exclamations gone."""
    return unexclaimed(second_person(clause))


def also_named(library: ScriptLibrary, template: ScriptTemplate, category: str, comment: str,
               avoid: list[str], refuse: list[str]) -> list[str]:
    """The other problems the complaint names as faults ("房间太小了，而且服务态度太差了"; not "物流到是挺快的"), as
    their scripts' neutral `topic`s (never quoted back), the one it names most first, so the reply
    acknowledges all of it."""
    folded = mask_compounds(normalize_for_match(comment))
    others = [t for t in library.for_strategy(template.strategy, category)
              if t.situation not in _GENERIC_SITUATIONS | {template.situation} and t.topic
              and t.topic != template.topic and not t.needs_cluster and t.hits(folded)]
    others.sort(key=lambda t: -len(t.hits(folded)))
    # A clause that also names the answered problem is about it ("还没发货" is the delay, not a missing item).
    answered = [w for t in library.for_strategy(template.strategy, category) if t.situation == template.situation
                for w in t.triggers]
    faults = [c for c in fault_clauses(comment, avoid, refuse) if not _naming([c], answered)]
    return list(dict.fromkeys(t.topic for t in others if t.topic and _naming(faults, t.triggers)))


def fault_clauses(comment: str, avoid: list[str], refuse: list[str], quoted: str = "") -> list[str]:
    """Quotable clauses that state a fault plainly: a cue of one, not a question ("是不是变质了" restated reads
    as the brand conceding it), no "we" or advice to other readers, still 4 characters once the exclamation
    goes, and not the one already quoted."""
    words = quoting()
    return [c for c in quotable_clauses(comment, avoid, refuse)
            if words.fault_cues.search(c) and not questions().question_words.search(c)
            and not words.not_restated.search(c)
            and not (quoted and (c in quoted or quoted in c)) and len(HAN_RE.findall(unexclaimed(c))) >= 4]
