"""What the lexicons and patterns see in one comment: the raw signals the triage rules decide from.

Text arrives folded to Simplified lower case. Praise is set aside (blanked) before the complaint
markers are looked for, so "态度特别好" is not a complaint about 态度; `Signals.unpraised` keeps that
text for choosing what the complaint is about.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field

from agent.knowledge.files import load_yaml
from agent.schemas import Evidence, PiiHit, Violation

FLOOD_MIN_AUTHORS = 3
_SOMEONE_ELSES = re.compile(r"(?:你|他|她|你的|他的|她的)(?:微信|qq|电话|手机)")
_NOT_NEGATED = r"(?<![不没别无])(?<!不太)(?<!不是)(?<!不够)(?<!不怎么)(?<!并不)"
# The commenter's own number ("我电话…打给我") is theirs to share: not a privacy violation.
_OWN_CONTACT = re.compile(r"(?:我的?|本人)(?:电话|手机|手机号|号码)|打给我|联系我|call me", re.I)
_PRIVATE_KINDS = {"phone", "address", "id_card", "name", "email"}
_REDIRECT_KINDS = {"wechat", "qq", "url"}
# Money asked for with an amount ("不赔500", "转我两千块"): the lexicon's words miss most spellings.
_NUM = r"(?:\d+(?:\.\d+)?|[一二两三四五六七八九十百千万]+)"
_MONEY_DEMAND = re.compile(rf"(?:赔|转|给|打|付|补)(?:我|给我)?(?:个)?(?:\d+\s*(?:块|元|万|w|k|rmb)?|{_NUM}\s*(?:块|元|万元))"
                           rf"|{_NUM}\s*(?:块钱|块|元)")
_POST_THREAT = re.compile(r"天天发|每天发|一直发|到处发|发帖|发到|挂出来|挂你|曝光|全网|媒体|投诉到|告到")


class Lexicons(BaseModel):
    violations: dict[Violation, list[str]]
    markers: dict[str, list[str]]


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

    def has(self, marker: str) -> bool:
        return bool(self.markers.get(marker))

    def describe(self) -> list[str]:
        out = [f"{v.value}: {', '.join(t)}" for v, t in self.violations.items()]
        out += [f"{m}: {', '.join(t)}" for m, t in self.markers.items() if m not in {"negative", "positive"}]
        return out


def _terms(text: str, terms: list[str]) -> list[str]:
    return [t for t in terms if t in text]


def _praise(text: str, terms: list[str]) -> tuple[list[str], str]:
    """Praise that is not negated, and the text with it blanked out.

    Blanking keeps "态度特别好" from counting as a complaint about 态度, while "不好吃" and
    "不推荐" (a negated praise word) stay complaints.
    """
    hits: list[str] = []
    for term in sorted(terms, key=len, reverse=True):
        pattern = re.compile(_NOT_NEGATED + re.escape(term))
        if pattern.search(text):
            hits.append(term)
            text = pattern.sub("\u3000" * len(term), text)
    return hits, text


def unpraised(folded: str, lexicons: Lexicons) -> str:
    """The comment with its (not negated) praise blanked out."""
    return _praise(folded, lexicons.markers.get("positive", []))[1]


def scan(folded: str, pii: list[PiiHit], evidence: Evidence, lexicons: Lexicons) -> Signals:
    """Lexicon and pattern hits on a comment folded to Simplified lower case."""
    sig = Signals()
    for violation, terms in lexicons.violations.items():
        hits = _terms(folded, terms)
        if hits:
            sig.violations[violation] = hits
    praise, rest = _praise(folded, lexicons.markers.get("positive", []))
    sig.unpraised = rest
    if praise:
        sig.markers["positive"] = praise
    for marker, terms in lexicons.markers.items():
        hits = [] if marker == "positive" else _terms(rest, terms)
        if hits:
            sig.markers[marker] = hits
    _money_markers(sig, folded)
    ad_words = bool(sig.violations.get(Violation.spam_redirect))  # before contacts are added to it below
    someone_elses = bool(_SOMEONE_ELSES.search(folded))
    redirect: list[str] = sorted({h.kind for h in pii if h.kind in _REDIRECT_KINDS})
    if redirect or (sig.violations.get(Violation.spam_redirect) and any(h.kind == "phone" for h in pii)):
        sig.violations.setdefault(Violation.spam_redirect, []).extend(redirect or ["phone"])
    # "你微信是 xxx" exposes somebody else's id (privacy); "加我微信 xxx" advertises one's own (redirect).
    if any(h.kind == "wechat" for h in pii) and someone_elses and not ad_words:
        sig.violations.pop(Violation.spam_redirect, None)
        sig.violations[Violation.privacy] = ["wechat"]
    private: list[str] = sorted({h.kind for h in pii if h.kind in _PRIVATE_KINDS})
    if _OWN_CONTACT.search(folded) and not someone_elses:
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


def _money_markers(sig: Signals, folded: str) -> None:
    """An amount of money asked for, and a threat to keep posting: the two halves of extortion."""
    demand = [m.group(0) for m in _MONEY_DEMAND.finditer(folded)]
    if demand:
        sig.markers.setdefault("extortion_pay", []).extend(d for d in demand if d not in sig.markers["extortion_pay"])
    threat = [m.group(0) for m in _POST_THREAT.finditer(folded)]
    if threat and demand:
        sig.markers.setdefault("extortion_threat", []).extend(t for t in threat if t not in sig.markers["extortion_threat"])
