"""What the lexicons and patterns see in one comment: the raw signals the triage rules decide from.

Text arrives folded to Simplified lower case. Praise is set aside (blanked) before the complaint
markers are looked for, so "态度特别好" is not a complaint about 态度; `Signals.unpraised` keeps that
text for choosing what the complaint is about.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from functools import cached_property, lru_cache
from pathlib import Path

from pydantic import BaseModel, Field

from agent.knowledge.loading import load_yaml
from agent.knowledge.script_library import mask_compounds
from agent.knowledge.wording import extortion, people, praise, privacy, turns
from agent.schemas import Evidence, PiiHit, Violation
from agent.text import SYMPTOM_IDIOMS

FLOOD_MIN_AUTHORS = 3
_PRIVATE_KINDS = {"phone", "address", "id_card", "name", "email"}
REDIRECT_KINDS = frozenset({"wechat", "qq", "url"})  # contact ids that make a redirect, not just words


class Lexicons(BaseModel):
    violations: dict[Violation, list[str]]
    markers: dict[str, list[str]]

    @cached_property
    def marker_words(self) -> tuple[str, ...]:
        """Every marker word but praise: any of them keeps a clause from being set aside as praise."""
        return tuple(t for m, terms in self.markers.items() if m != "positive" for t in terms)


@lru_cache(maxsize=4)
def load_lexicons(path: Path) -> Lexicons:
    return Lexicons.model_validate(load_yaml(path))


def lexicons_for(knowledge_dir: Path) -> Lexicons:
    return load_lexicons(knowledge_dir / "lexicons.yaml")


class Signals(BaseModel):
    """What the rules saw in one comment; kept in the triage output for the reviewer."""

    violations: dict[Violation, list[str]] = Field(default_factory=dict)
    markers: dict[str, list[str]] = Field(default_factory=dict)
    unpraised: str = ""  # the comment with its praise blanked: what the complaint is about
    insults_at_things: list[str] = Field(default_factory=list)  # "直男癌晚期的设计": no abuse, nobody insulted

    def has(self, marker: str) -> bool:
        return bool(self.markers.get(marker))

    @property
    def fake_claim(self) -> bool:
        """The goods called fake, or not from where the brand says ("假货", "国内贴牌冒充进口")."""
        return self.has("counterfeit_claim") or self.has("origin_claim")

    def describe(self) -> list[str]:
        out = [f"{v.value}: {', '.join(t)}" for v, t in self.violations.items()]
        out += [f"{m}: {', '.join(t)}" for m, t in self.markers.items() if m not in {"negative", "positive"}]
        return out


def _terms(text: str, terms: list[str]) -> list[str]:
    return [t for t in terms if (_latin_word(t).search(text) if t.isascii() and t.isalnum() else t in text)]


@lru_cache(maxsize=256)
def _latin_word(term: str) -> re.Pattern[str]:
    """A Latin term as a word of its own: "sb" is an insult, "usb" a port."""
    return re.compile(rf"(?<![a-z0-9]){re.escape(term)}(?![a-z0-9])", re.IGNORECASE)


def _praise(text: str, terms: list[str]) -> tuple[list[str], str]:
    """Praise that is not negated, and the text with it blanked out.

    Blanking keeps "态度特别好" from counting as a complaint about 态度, while "不好吃" and
    "不推荐" (a negated praise word) stay complaints.
    """
    hits: list[str] = []
    not_negated = praise().not_negated
    for term in sorted(terms, key=len, reverse=True):
        pattern = re.compile(not_negated + re.escape(term))
        if pattern.search(text):
            hits.append(term)
            text = pattern.sub("\u3000" * len(term), text)
    return hits, text


# Clauses run between punctuation (the words a clause turns on are in knowledge/wording/turns.yaml).
_CLAUSES = re.compile(r"[^，,。.！!？?；;~～…、\s]+")


def _clauses(text: str) -> list[tuple[int, int]]:
    """Clause spans, split at punctuation and before a turn ("还可以就是有点辣" → "还可以" | "就是有点辣")."""
    spans: list[tuple[int, int]] = []
    for m in _CLAUSES.finditer(text):
        turn_at = (m.start() + c.start() for c in turns().turn_ahead.finditer(m.group(0)) if c.start())
        cuts = [m.start(), *turn_at, m.end()]
        spans += [(a, b) for a, b in itertools.pairwise(cuts) if b > a]
    return spans


def clauses(text: str) -> list[str]:
    """The comment's clauses, in order (see `_clauses`)."""
    return [text[a:b] for a, b in _clauses(text)]


def _praised_clause(clause: str, praise_terms: Sequence[str], complaint_terms: Sequence[str]) -> bool:
    """A clause that only praises: a verdict of praise or a praise word, no negation, and no complaint word
    except the topic the verdict praises ("态度" in "配送员态度很好")."""
    words = praise()
    clause = turns().turn_word.sub("", clause)  # "就是服务员的态度不错" praises after its turn word
    if words.negations.search(words.praising_negations.sub("", clause)):
        return False
    verdict = words.verdict.search(clause)
    if verdict:
        topic = words.degree_tail.sub("", clause[:verdict.start()])
        topic = next((topic[:-len(t)] for t in complaint_terms if t and topic.endswith(t)), topic)
        return not any(t in topic for t in complaint_terms)
    return any(t in clause for t in praise_terms) and not any(t in clause for t in complaint_terms)


def sounds_like_praise(clause: str) -> bool:
    """A clause ending on a verdict of praise with no negation in it ("快递很给力", "东西非常不错")."""
    words = praise()
    clause = turns().turn_word.sub("", clause.strip())
    return bool(words.verdict.search(clause)) and not words.negations.search(words.praising_negations.sub("", clause))


def unpraised(folded: str, lexicons: Lexicons) -> str:
    """The comment with its praise blanked out: whole clauses that only praise, then (not negated) praise
    words left inside mixed clauses."""
    praise_terms = lexicons.markers.get("positive", [])
    complaint_terms = lexicons.marker_words  # "删评可以" is a deal, not praise
    text = SYMPTOM_IDIOMS.sub(lambda m: "\u3000" * len(m.group(0)), folded)
    for a, b in _clauses(folded):
        if _praised_clause(folded[a:b], praise_terms, complaint_terms):
            text = text[:a] + "\u3000" * (b - a) + text[b:]
    return _praise(text, praise_terms)[1]


def scan(folded: str, pii: list[PiiHit], evidence: Evidence, lexicons: Lexicons) -> Signals:
    """Lexicon and pattern hits on a comment folded to Simplified lower case."""
    sig = Signals()
    for violation, terms in lexicons.violations.items():
        hits = _terms(folded, terms)
        if violation == Violation.abuse:
            sig.insults_at_things = [w for w in hits if _said_of_things(folded, w)]
            if label_in_debate(folded, hits):
                sig.insults_at_things = hits  # "舔狗现象绝非…": a label argued about insults nobody
            hits = [w for w in hits if w not in sig.insults_at_things]
        if hits:
            sig.violations[violation] = hits
    praise = _praise(folded, lexicons.markers.get("positive", []))[0]
    # A claim denied is praise set aside too: "是正品不是假货" complains of nothing.
    claims = lexicons.markers.get("counterfeit_claim", []) + lexicons.markers.get("origin_claim", [])
    rest = sig.unpraised = without_denied_claims(unpraised(folded, lexicons), claims)
    if praise:
        sig.markers["positive"] = praise
    masked = mask_compounds(rest)  # "还没用过" names no "没用", "卫生间" no hygiene
    for marker, terms in lexicons.markers.items():
        hits = [] if marker == "positive" else _terms(masked, terms)
        if hits:
            sig.markers[marker] = hits
    _money_markers(sig, folded)
    ad_words = bool(sig.violations.get(Violation.spam_redirect))  # before contacts are added to it below
    someone_elses = bool(privacy().someone_elses.search(folded))
    redirect: list[str] = sorted({h.kind for h in pii if h.kind in REDIRECT_KINDS})
    if redirect or (sig.violations.get(Violation.spam_redirect) and any(h.kind == "phone" for h in pii)):
        sig.violations.setdefault(Violation.spam_redirect, []).extend(redirect or ["phone"])
    # "你微信是 xxx" exposes somebody else's id (privacy); "加我微信 xxx" advertises one's own (redirect).
    if any(h.kind == "wechat" for h in pii) and someone_elses and not ad_words:
        sig.violations.pop(Violation.spam_redirect, None)
        sig.violations[Violation.privacy] = ["wechat"]
    private: list[str] = sorted({h.kind for h in pii if h.kind in _PRIVATE_KINDS})
    if privacy().own_contact.search(folded) and not someone_elses:
        private = [k for k in private if k != "phone"]
    if private and Violation.spam_redirect not in sig.violations:
        sig.violations[Violation.privacy] = private
    elif private and {"address", "id_card", "name"} & set(private):
        sig.violations[Violation.privacy] = private
    if len(evidence.duplicate_cluster) + 1 >= FLOOD_MIN_AUTHORS:
        sig.violations[Violation.flooding] = [f"{len(evidence.duplicate_cluster) + 1} near-identical comments"]
    # A rumor needs a claim nobody can back: a real order makes it the customer's experience.
    if Violation.rumor in sig.violations and evidence.order_found:
        del sig.violations[Violation.rumor]
    return sig


def label_in_debate(folded: str, hits: list[str]) -> bool:
    """A label for a kind of people argued about ("舔狗现象…", "基佬众多腐女也不少"), addressed to nobody (no 你, no
    博主, no @), with no insult word (`hits`: the lexicon's) beside the labels: an opinion in a debate, which a report
    would call a personal attack untruly."""
    words = people()
    return (bool(words.labels.search(folded)) and all(words.labels.fullmatch(h) for h in hits)
            and not words.addressed.search(folded))


def _said_of_things(folded: str, word: str) -> bool:
    """Every use of the insult word is said of a thing or of oneself ("直男癌晚期的设计", "wifi真是傻逼", "我真是脑残")."""
    said = people()
    at = [m.start() for m in re.finditer(re.escape(word), folded)]
    return bool(at) and all(said.insult_at_thing.search(folded[i + len(word):]) or said.insult_said_of.search(folded[:i])
                            for i in at)


def without_denied_claims(text: str, terms: list[str]) -> str:
    """The text with each of the claim words `terms` that it denies, hopes against or fears blanked ("是正品不是假货",
    "绝对不是假的", "希望别买到假货"): a denial is no claim."""
    denials = praise().claim_denials.pattern
    for term in sorted(terms, key=len, reverse=True):
        text = re.sub(f"(?:{denials}){re.escape(term.removeprefix('是'))}", lambda m: "\u3000" * len(m.group()), text)
    return text


def _money_markers(sig: Signals, folded: str) -> None:
    """An amount of money asked for, and a deletion promised for it or a threat to keep posting: the halves of
    extortion."""
    demand = [m.group(0) for m in extortion().money_demand.finditer(folded)]
    if demand:
        sig.markers.setdefault("extortion_pay", []).extend(d for d in demand if d not in sig.markers["extortion_pay"])
    deal = [m.group(0) for m in extortion().deletion_deals.finditer(folded)]
    if deal and demand:
        sig.markers.setdefault("extortion_deal", []).extend(d for d in deal if d not in sig.markers["extortion_deal"])
    threat = [m.group(0) for m in extortion().post_threats.finditer(folded)]
    if threat and demand:
        sig.markers.setdefault("extortion_threat", []).extend(t for t in threat if t not in sig.markers["extortion_threat"])
