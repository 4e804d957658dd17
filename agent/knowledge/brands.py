"""The brand facts file (`knowledge/brands/<brand>/brand.yaml`): its schema, its loader and its fingerprint."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator

from agent.knowledge.loading import (
    Strict,
    UnknownBrandError,
    brand_file,
    file_version,
    known_brands,
    load_yaml,
    validate,
)


class Product(Strict):
    id: str
    name: str
    aliases: list[str] = Field(default_factory=list, description="What commenters call it")
    category: str
    description: str
    ingredients: list[str] = Field(default_factory=list)
    usage: str = Field(description="The correct way to use it, in one or two sentences")
    cautions: list[str] = Field(default_factory=list)
    claims: list[str] = Field(default_factory=list, description="Claims a reply may make about it")
    common_misuses: list[str] = Field(default_factory=list)


class Certification(Strict):
    id: str
    title: str
    issuer: str
    products: list[str] = Field(description="Product ids it covers")
    summary: str
    report_no: str | None = None


# What a customer may state about their case; the offline drafter reads them from the comment
# (knowledge/wording/replies.yaml, `stated_facts`) and a policy's conditions name them.
StatedFact = Literal["used", "unopened", "received", "not_received", "refunded", "missing_item",
                     "damaged_parcel", "food",
                     # Had it longer than N days, by the customer's own account ("去年买的", "穿了两个月"): a
                     # policy's window ("签收后15天内") has passed (agent/drafting/held_for.py).
                     "over_7_days", "over_15_days", "over_30_days", "over_90_days", "over_180_days",
                     "over_365_days"]


class PolicyCondition(Strict):
    """When one offer of a policy applies: a reply sentence holding `offer` offers it, and such a sentence is
    never drafted where the customer states one of `never_when`, or states none of `only_when`."""

    offer: str = Field(min_length=2, description="The words that make a sentence offer it (e.g. 无理由退货)")
    never_when: list[StatedFact] = Field(default_factory=list, description="Stated facts that rule it out")
    only_when: list[StatedFact] = Field(default_factory=list,
                                        description="When given, it is offered only where one of these is stated")
    instead: str | None = Field(None, min_length=2, description="What is offered in its place where it is ruled "
                                "out (another promise of the file, under its own conditions): after the 15-day "
                                "window, the 90-day repair")

    def applies(self, facts: frozenset[str]) -> bool:
        return not facts & set(self.never_when) and (not self.only_when or bool(facts & set(self.only_when)))


class Policy(Strict):
    id: str
    title: str
    text: str
    promises: list[str] = Field(default_factory=list, description="What a public reply may promise under it")
    conditions: list[PolicyCondition] = Field(default_factory=list,
                                              description="When its offers apply, by what the customer states")


class Service(Strict):
    hours: str
    channels: list[str]
    response_time: str


class BrandAccount(Strict):
    """One of the brand's own Xiaohongshu accounts: its replies in an import are the brand's."""

    user_id: str | None = None
    nickname: str | None = Field(None, description="Matched only for rows without a user id")
    creator_hash: str | None = None


class BrandReview(Strict):
    """How the team desk reviews this brand's items."""

    four_eyes_severity3: bool = Field(False, description="A severity-3 item is approved by someone other "
                                                         "than the person who edited it")


class AlertChannel(Strict):
    """One chat channel a brand's alerts go to. The URL holds the channel's token: keep it out of git by
    naming the environment variable that holds it (`url_env`); an inline `url` works for a quick try."""

    kind: Literal["wecom", "feishu", "slack", "json"] = Field(description="The message shape the webhook takes")
    name: str | None = Field(None, description="How `redreply alerts list` names it (default: the kind)")
    url: SecretStr | None = Field(None, description="The webhook URL itself (prefer url_env)")
    url_env: str | None = Field(None, pattern=r"^[A-Za-z_][A-Za-z0-9_]*$",
                                description="The environment variable holding the webhook URL")

    @model_validator(mode="after")
    def _one_url(self) -> AlertChannel:
        if (self.url is None) == (self.url_env is None):
            raise ValueError("give the webhook as url_env (an environment variable's name) or url, exactly one")
        if self.url is not None and not self.url.get_secret_value().startswith(("http://", "https://")):
            raise ValueError("the webhook url must start with http:// or https://")  # never echo it: a token
        return self

    @property
    def label(self) -> str:
        return self.name or self.kind


class BrandAlerts(Strict):
    """Where and when the desk alerts this brand's team (agent.review.alerts.triggers); no channels = no alerts."""

    channels: list[AlertChannel] = Field(default_factory=list)
    spike_per_hour: int = Field(10, ge=2, description="Negative comments under one note within an hour that "
                                                       "make a spike")

    @model_validator(mode="after")
    def _unique_labels(self) -> BrandAlerts:
        labels = [c.label for c in self.channels]
        if len(labels) != len(set(labels)):
            raise ValueError("two alert channels share a name: give each a distinct `name`")
        return self

    def channel(self, label: str) -> AlertChannel | None:
        return next((c for c in self.channels if c.label == label), None)


ClaimKind = Literal["heavy_metals", "hormones", "counterfeit", "carcinogen", "allergy", "expiry", "fibre", "stance"]
GatedRung = Literal["complaint_email", "legal_brief", "regulator_12377", "litigation"]


class BrandRights(Strict):
    """What the brand holds the rights to: an IP report is drafted only for these."""

    marks: list[str] = Field(default_factory=list, description="Its registered marks, as a comment writes them")
    content: list[str] = Field(default_factory=list, description="Its own content a copier reuses (official pictures…)")


class EscalationGate(Strict):
    """What warrants one higher rung: any one condition met (the comment's likes, its look-alikes, its severity)."""

    likes: int | None = Field(None, ge=0)
    cluster: int | None = Field(None, ge=1, description="The comment and its look-alikes")
    severity: int | None = Field(None, ge=1, le=3)
    rejections: int | None = Field(None, ge=1, description="Earlier rungs the platform rejected or left unanswered")


def _default_gates() -> dict[GatedRung, EscalationGate]:
    return {"complaint_email": EscalationGate(likes=100, cluster=5, rejections=2),
            "legal_brief": EscalationGate(likes=500, cluster=10, severity=3),
            "regulator_12377": EscalationGate(likes=1000, cluster=20),
            "litigation": EscalationGate(likes=5000, cluster=50)}


class Brand(Strict):
    id: str
    name: str
    category: str
    trade: str | None = Field(None, description="The trade it sells in, a key of knowledge/wording/trades.yaml: "
                                                "a comment about another trade is not answered as its order")
    aliases: list[str] = Field(default_factory=list)
    about: str
    service: Service
    products: list[Product]
    certifications: list[Certification] = Field(default_factory=list)
    policies: list[Policy] = Field(default_factory=list)
    review: BrandReview = Field(default_factory=BrandReview)
    alerts: BrandAlerts = Field(default_factory=BrandAlerts)
    accounts: list[BrandAccount] = Field(default_factory=list)
    evidence_documents: dict[ClaimKind, list[str]] = Field(
        default_factory=dict, description="The certification ids that answer each kind of claim")
    rights: BrandRights = Field(default_factory=BrandRights)
    escalation_gates: dict[GatedRung, EscalationGate] = Field(default_factory=_default_gates)

    @model_validator(mode="after")
    def _instead_is_a_promise(self) -> Brand:
        """What stands in for a ruled-out offer is one of the file's own promises: nothing else may be promised."""
        for i, policy in enumerate(self.policies):
            for j, condition in enumerate(policy.conditions):
                if condition.instead and condition.instead not in self.allowed_promises:
                    raise ValueError(f"policies.{i}.conditions.{j}.instead: '{condition.instead}' is none of "
                                     "the file's promises")
        return self

    @property
    def account_keys(self) -> frozenset[str]:
        """The ids, hashes and names of the brand's accounts, for `agent.sources.read_any(brand_accounts=…)`."""
        return frozenset(k.strip() for a in self.accounts for k in (a.user_id, a.creator_hash, a.nickname)
                         if k and k.strip())

    def product(self, product_id: str | None) -> Product | None:
        return next((p for p in self.products if p.id == product_id), None)

    def policy(self, policy_id: str) -> Policy | None:
        return next((p for p in self.policies if p.id == policy_id), None)

    def conditions_against(self, text: str, facts: frozenset[str]) -> list[PolicyCondition]:
        """The conditions whose offer `text` makes although the stated `facts` rule it out."""
        return [c for p in self.policies for c in p.conditions if c.offer in text and not c.applies(facts)]

    def certification(self, cert_id: str) -> Certification | None:
        return next((c for c in self.certifications if c.id == cert_id), None)

    @property
    def allowed_promises(self) -> list[str]:
        return [promise for p in self.policies for promise in p.promises]


def load_brand(knowledge_dir: Path, brand: str) -> Brand:
    return _load_brand_cached(knowledge_dir, brand, file_version(brand_file(knowledge_dir, brand)))


@lru_cache(maxsize=32)
def _load_brand_cached(knowledge_dir: Path, brand: str, _version: tuple[int, int]) -> Brand:
    known = known_brands(knowledge_dir)
    if brand not in known:
        raise UnknownBrandError(brand, known)
    path = brand_file(knowledge_dir, brand)
    result: Brand = validate(Brand, load_yaml(path), path)
    return result


def brand_fingerprint(knowledge_dir: Path, brand: str) -> str:
    """Changes whenever the brand's facts file changes: drafts made before then are stale."""
    path = brand_file(knowledge_dir, brand)
    return _fingerprint_cached(path, file_version(path))


@lru_cache(maxsize=32)
def _fingerprint_cached(path: Path, _version: tuple[int, int]) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16] if path.exists() else ""
