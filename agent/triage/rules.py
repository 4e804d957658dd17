"""The deterministic triage rules: lexicons, patterns, duplicate clusters and order evidence.

They run before any model and decide alone on the offline path. A model may refine the result,
but `enforce_rules` keeps what the evidence proves (see the triage node).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field

from agent.knowledge.files import load_yaml
from agent.schemas import Evidence, PiiHit, Source, Triage, Violation

FLOOD_MIN_AUTHORS = 3
# The strictest report reason the comment supports comes first (the playbook: pick the closest, strictest).
REASON_PRIORITY = [
    Violation.porn, Violation.political, Violation.privacy, Violation.rumor, Violation.abuse,
    Violation.ip_infringement, Violation.spam_redirect, Violation.flooding,
]
_SOMEONE_ELSES = re.compile(r"(?:你|他|她|你的|他的|她的)(?:微信|qq|电话|手机)")
_BRAND_PEOPLE = ("客服", "老板", "店员", "运营", "员工", "你们店", "这家店")
# An asking-how question, not a complaint phrased as one ("怎么是淡黄色的？" is a worry about quality).
_QUESTION = re.compile(r"请问|求问|怎么用|如何使用|怎么洗|可以.{0,12}[吗么嘛]|能不能|能.{0,8}[吗么嘛]|适合.{0,10}[吗么嘛]"
                       r"|有没有.{0,10}[吗么嘛活动]|怎么辨别|怎么分辨|会不会是假|是不是正品|是正品吗|会.{0,10}[吗么嘛]"
                       r"|该(?:拿|买|选)|[sml]还是[sml]\b|哪个码|多大码|\b(?:does|do|can|is|are|how|which|what)\b[^?？]{0,80}[?？]")
# Praise followed by "but …" is a complaint wrapped in politeness ("菜不错，但是晚了半小时").
_CONTRAST = re.compile(r"但|就是|不过|可惜|只是|然而|除了")
# A first-hand account of using the product ("用了你们精华脸肿了"), as opposed to a threat to post others'.
_USED_IT = re.compile(r"用了|用完|敷完|擦了|抹了|涂了|我.{0,6}用")
# Asking whether something is true is not stating it ("听说含激素，是真的吗？").
_ASKING = re.compile(r"真的吗|是真的|是不是真|吗[?？]|[?？]\s*$")
_NOT_NEGATED = r"(?<![不没别无])(?<!不太)(?<!不是)(?<!不够)(?<!不怎么)(?<!并不)"
# The commenter's own number ("我电话…打给我") is theirs to share: not a privacy violation.
_OWN_CONTACT = re.compile(r"(?:我的?|本人)(?:电话|手机|手机号|号码)|打给我|联系我|call me", re.I)
_PRIVATE_KINDS = {"phone", "address", "id_card", "name", "email"}
_REDIRECT_KINDS = {"wechat", "qq", "url"}


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


def scan(folded: str, pii: list[PiiHit], evidence: Evidence, lexicons: Lexicons) -> Signals:
    """Lexicon and pattern hits on a comment folded to Simplified lower case."""
    sig = Signals()
    for violation, terms in lexicons.violations.items():
        hits = _terms(folded, terms)
        if hits:
            sig.violations[violation] = hits
    praise, rest = _praise(folded, lexicons.markers.get("positive", []))
    if praise:
        sig.markers["positive"] = praise
    for marker, terms in lexicons.markers.items():
        hits = [] if marker == "positive" else _terms(rest, terms)
        if hits:
            sig.markers[marker] = hits
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


def decide(sig: Signals, evidence: Evidence, folded: str) -> Triage:
    """Source, severity and violations from the signals alone (the offline triage)."""
    violations = set(sig.violations)
    safety, quality = sig.has("safety"), sig.has("quality")
    if sig.has("counterfeit_claim") and not evidence.order_found and (sig.has("attack") or
                                                                     Violation.flooding in violations):
        violations.add(Violation.rumor)  # "it's fake, don't buy" with nothing bought is a claim nobody can back
    claim = safety or sig.has("counterfeit_claim") or Violation.rumor in violations  # not taste or texture
    asks_how = bool(_QUESTION.search(folded))
    asking = asks_how or bool(_ASKING.search(folded))
    if not evidence.order_found and claim and not asking and (sig.has("hearsay") or sig.has("steer")):
        violations.add(Violation.rumor)  # second-hand, or steering buyers to a rival: nothing backs it
    impersonation = sig.has("impersonation") and Violation.spam_redirect in violations
    if impersonation:
        violations.add(Violation.ip_infringement)  # posing as the brand's after-sales
    attack = sig.has("attack") or bool(violations & {Violation.flooding, Violation.rumor, Violation.ip_infringement})
    complaint = safety or quality or sig.has("negative") or sig.has("counterfeit_claim") or attack
    extortion = sig.has("extortion_pay") and (sig.has("extortion_deal") or sig.has("extortion_threat"))
    if extortion and safety and not evidence.order_found and _USED_IT.search(folded):
        violations.add(Violation.rumor)  # an injury nobody can verify, used to ask for money
    prepurchase = sig.has("prepurchase") and not evidence.order_found
    question = (asks_how or prepurchase) and not (
        safety or quality or attack or (sig.has("negative") and not prepurchase))
    ads = violations & {Violation.porn, Violation.spam_redirect}  # a counterfeit seller is an attack, not an ad
    spam_only = bool(ads) and not (safety or quality or sig.has("negative") or sig.has("counterfeit_claim")
                                   or violations & {Violation.flooding, Violation.rumor, Violation.ip_infringement})
    doxxing_staff = Violation.privacy in violations and any(w in folded for w in _BRAND_PEOPLE)
    rationale: list[str] = []

    if extortion:
        source = Source.extortion
        rationale.append("以删评或停止发负评为条件索要钱财或好处")
    elif question and not violations:
        source = Source.not_negative
        rationale.append("是在提问，不是投诉：回答用法即可")
    elif impersonation:
        source = Source.not_negative
        rationale.append("冒充官方售后，把人引到站外：导流，不是投诉")
    elif doxxing_staff and not evidence.order_found:
        source = Source.competitor_attack
        rationale.append("公开品牌工作人员的个人信息，查无订单")
    elif sig.has("misuse") or (sig.has("expectation") and not (violations & {Violation.flooding, Violation.rumor})
                               and not sig.has("steer")):
        source = Source.misunderstanding
        rationale.append("描述的用法不符合说明，或期待超出产品承诺")
    elif Violation.spam_redirect in violations and sig.has("competing_sale"):
        source = Source.competitor_attack
        rationale.append("在品牌笔记下导流售卖同款、平替或代购")
    elif spam_only and not evidence.order_found:
        source = Source.not_negative
        rationale.append("没有产品投诉，是广告、导流或低俗内容")
    elif evidence.order_found and (complaint or violations or not sig.has("positive")):
        source = Source.genuine_experience
        rationale.append("后台有该作者的订单：真实顾客")
    elif attack and not evidence.order_found and (Violation.flooding in violations or Violation.rumor in violations
                                                  or sig.has("counterfeit_claim") or not (safety or quality)):
        source = Source.competitor_attack
        rationale.append("内容空洞、带攻击性且查无订单" +
                         ("，多个账号发布相似内容" if Violation.flooding in violations else ""))
    elif complaint:
        source = Source.genuine_experience
        rationale.append("有具体的不满：在有相反证据前按真实顾客对待")
    elif violations & {Violation.abuse, Violation.political}:
        source = Source.competitor_attack
        rationale.append("没有具体投诉，只有辱骂或敏感话题：恶意攻击")
    elif violations:
        source = Source.not_negative
        rationale.append("没有产品投诉，但违反平台规则（广告、低俗或他人隐私）")
    elif (sig.has("positive") and not _CONTRAST.search(folded)) or question:
        source = Source.not_negative
        rationale.append("是好评或提问，不是投诉")
    else:
        # What reaches RedReply is mostly negative: an unrecognised comment is treated as a real
        # customer's complaint (an apology never hurts; a rebuttal of a real customer does).
        source = Source.genuine_experience
        rationale.append("未识别出具体问题：按真实顾客的反馈处理，请审核人确认")

    hostile = violations & {Violation.porn, Violation.political, Violation.rumor}
    if Violation.abuse in violations and source not in (Source.genuine_experience, Source.misunderstanding):
        hostile.add(Violation.abuse)  # a real customer swearing is still a complaint, not an attack
    if source == Source.not_negative and not safety:
        severity = 1
    elif safety or source in (Source.competitor_attack, Source.extortion) or hostile:
        severity = 3
    elif quality:
        severity = 2
    else:
        severity = 1
    if safety:
        rationale.append("涉及安全（过敏、烂脸等）：即使是真实顾客也按3级处理")

    confidence = 0.55 + 0.1 * min(3, len(sig.describe()))
    if source == Source.genuine_experience and evidence.order_found:
        confidence += 0.1
    return Triage(
        source=source, severity=severity, violations=sorted(violations, key=REASON_PRIORITY.index),
        confidence=round(min(confidence, 0.95), 2), rationale="；".join(rationale), signals=sig.describe(),
    )


def enforce_rules(model_triage: Triage, rules: Triage, evidence: Evidence) -> Triage:
    """What a model may not overrule: proven violations stay, a real customer is never an attacker."""
    proven = {v for v in rules.violations if v in (Violation.flooding, Violation.spam_redirect, Violation.privacy)}
    violations = set(model_triage.violations) | proven
    source = model_triage.source
    if evidence.order_found and source in (Source.competitor_attack,):
        source = Source.genuine_experience
    if evidence.order_found:
        violations.discard(Violation.rumor)
    severity = max(model_triage.severity, 3 if any("safety" in s for s in rules.signals) else 1)
    return model_triage.model_copy(update={
        "source": source, "severity": severity,
        "violations": sorted(violations, key=REASON_PRIORITY.index),
        "signals": rules.signals, "pii": rules.pii,
    })


def never_quote(knowledge_dir: Path) -> list[str]:
    """Words a reply must never quote back: insults, rumors, redirects, attacks."""
    lex = lexicons_for(knowledge_dir)
    words = [w for terms in lex.violations.values() for w in terms]
    return words + [w for m in ("attack", "counterfeit_claim", "extortion", "injection") for w in lex.markers.get(m, [])]


def appeal_reason(violations: list[Violation]) -> Violation | None:
    return min(violations, key=REASON_PRIORITY.index) if violations else None
