"""The knowledge files: their schemas and loaders (brand facts, script library, order records).

A broken file fails with its path and the field at fault (`KnowledgeError`), never a traceback.
"""

from __future__ import annotations

import csv
import hashlib
import re
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, model_validator

from agent.errors import UserError
from agent.schemas import Strategy, Violation


class KnowledgeError(UserError):
    """A knowledge file is missing or malformed; the message names the file and the field."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Product(_Strict):
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


class Certification(_Strict):
    id: str
    title: str
    issuer: str
    products: list[str] = Field(description="Product ids it covers")
    summary: str
    report_no: str | None = None


class Policy(_Strict):
    id: str
    title: str
    text: str
    promises: list[str] = Field(default_factory=list, description="What a public reply may promise under it")


class Service(_Strict):
    hours: str
    channels: list[str]
    response_time: str


class BrandAccount(_Strict):
    """One of the brand's own Xiaohongshu accounts: its replies in an import are the brand's."""

    user_id: str | None = None
    nickname: str | None = Field(None, description="Matched only for rows without a user id")
    creator_hash: str | None = None


class BrandReview(_Strict):
    """How the team desk reviews this brand's items."""

    four_eyes_severity3: bool = Field(False, description="A severity-3 item is approved by someone other "
                                                         "than the person who edited it")


class AlertChannel(_Strict):
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


class BrandAlerts(_Strict):
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


class Brand(_Strict):
    id: str
    name: str
    category: str
    aliases: list[str] = Field(default_factory=list)
    about: str
    service: Service
    products: list[Product]
    certifications: list[Certification] = Field(default_factory=list)
    policies: list[Policy] = Field(default_factory=list)
    review: BrandReview = Field(default_factory=BrandReview)
    alerts: BrandAlerts = Field(default_factory=BrandAlerts)
    accounts: list[BrandAccount] = Field(default_factory=list)

    @property
    def account_keys(self) -> frozenset[str]:
        """The ids, hashes and names of the brand's accounts, for `agent.sources.read_any(brand_accounts=…)`."""
        return frozenset(k.strip() for a in self.accounts for k in (a.user_id, a.creator_hash, a.nickname)
                         if k and k.strip())

    def product(self, product_id: str | None) -> Product | None:
        return next((p for p in self.products if p.id == product_id), None)

    def policy(self, policy_id: str) -> Policy | None:
        return next((p for p in self.policies if p.id == policy_id), None)

    @property
    def allowed_promises(self) -> list[str]:
        return [promise for p in self.policies for promise in p.promises]


class ScriptTemplate(_Strict):
    """One entry of the script library (话术库): a reply for one situation, with named slots."""

    id: str
    strategy: Strategy
    situation: str
    title: str
    triggers: list[str] = Field(default_factory=list, description="Words (Simplified) that select it")
    issue: str | None = Field(None, description="What {issue} says when the comment is not quoted")
    categories: list[str] = Field(default_factory=list,
                                  description="Only for brands whose category contains one of these words")
    needs_cluster: bool = Field(False, description="Says that look-alike comments appeared: only where the "
                                                   "evidence holds a cluster")
    text: str = Field(description="The reply, with {slots}")

    def hits(self, folded: str) -> list[str]:
        """The trigger words `folded` (a folded comment, NOT_TRIGGERS masked) names."""
        return [w for w in self.triggers if w and w in folded]


class AppealTemplate(_Strict):
    """How to argue one report reason: the supplementary explanation and what to attach."""

    reason: Violation
    explanation: str = Field(description="With {slots}")
    evidence_checklist: list[str]
    next_steps: list[str]


# Words that hold a trigger without naming its problem: the bathroom (卫生间) is not hygiene (卫生), a towel
# (毛巾) is not a hair (毛). Masked before triggers are matched.
NOT_TRIGGERS = re.compile(r"卫生间|卫生纸|毛巾|毛毯|毛衣|羽毛")


def mask_compounds(text: str) -> str:
    """The text with NOT_TRIGGERS blanked (same length: positions still line up)."""
    return NOT_TRIGGERS.sub(lambda m: "　" * len(m.group(0)), text)


class ScriptLibrary(_Strict):
    replies: list[ScriptTemplate]
    appeals: list[AppealTemplate]

    def for_strategy(self, strategy: Strategy, category: str = "") -> list[ScriptTemplate]:
        """The strategy's templates that fit a brand of this category (a skincare tip never answers a cardigan)."""
        return [t for t in self.replies if t.strategy == strategy
                and (not t.categories or any(c in category for c in t.categories))]

    def candidates(self, strategy: Strategy, category: str = "") -> list[ScriptTemplate]:
        """The templates a comment answered with this strategy may take: the brand category's, else the
        strategy's for any category, else every reply (a library without the strategy still answers)."""
        return self.for_strategy(strategy, category) or self.for_strategy(strategy) or self.replies

    @cached_property
    def issue_triggers(self) -> frozenset[str]:
        """The trigger words of every specific apology script: words that name a product or service problem."""
        return frozenset(w for t in self.replies if t.strategy == Strategy.apologize_resolve
                         and t.situation != "general" for w in t.triggers if w)

    def reply(self, template_id: str | None) -> ScriptTemplate | None:
        return next((t for t in self.replies if t.id == template_id), None) if template_id else None

    def appeal(self, reason: Violation) -> AppealTemplate | None:
        return next((a for a in self.appeals if a.reason == reason), None)


# libyaml's loader parses the knowledge ~10x faster than the pure-Python one (it is on `draft`'s cold start).
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(path: Path) -> Any:
    """A knowledge YAML file, safely loaded; a missing or broken file is a KnowledgeError naming it."""
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER)
    except FileNotFoundError as e:
        raise KnowledgeError(f"{path}: file not found") from e
    except yaml.YAMLError as e:
        raise KnowledgeError(f"{path}: not valid YAML ({e})") from e


def _validate(model: type[_Strict], data: Any, path: Path) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as e:
        err = e.errors()[0]
        field = ".".join(str(p) for p in err["loc"]) or "(top level)"
        raise KnowledgeError(f"{path}: field '{field}': {err['msg']}") from e


def brands_dir(knowledge_dir: Path) -> Path:
    return knowledge_dir / "brands"


def known_brands(knowledge_dir: Path) -> list[str]:
    root = brands_dir(knowledge_dir)
    return sorted(p.name for p in root.iterdir() if (p / "brand.yaml").is_file()) if root.is_dir() else []


class UnknownBrandError(KnowledgeError):
    def __init__(self, brand: str, known: list[str]) -> None:
        super().__init__(f"unknown brand '{brand}'; known brands: {', '.join(known) or '(none)'}")


def brand_file(knowledge_dir: Path, brand: str, name: str = "brand.yaml") -> Path:
    return brands_dir(knowledge_dir) / brand / name


# The loaders below are cached per file version: a key of (mtime, size) re-reads a file edited while
# the desk runs, and reads it once per draft otherwise.
def _version(path: Path) -> tuple[int, int]:
    try:
        st = path.stat()
    except FileNotFoundError:
        return (0, 0)
    return (st.st_mtime_ns, st.st_size)


def load_brand(knowledge_dir: Path, brand: str) -> Brand:
    return _load_brand_cached(knowledge_dir, brand, _version(brand_file(knowledge_dir, brand)))


@lru_cache(maxsize=32)
def _load_brand_cached(knowledge_dir: Path, brand: str, _version: tuple[int, int]) -> Brand:
    known = known_brands(knowledge_dir)
    if brand not in known:
        raise UnknownBrandError(brand, known)
    path = brand_file(knowledge_dir, brand)
    result: Brand = _validate(Brand, load_yaml(path), path)
    return result


def brand_fingerprint(knowledge_dir: Path, brand: str) -> str:
    """Changes whenever the brand's facts file changes: drafts made before then are stale."""
    path = brand_file(knowledge_dir, brand)
    return _fingerprint_cached(path, _version(path))


@lru_cache(maxsize=32)
def _fingerprint_cached(path: Path, _version: tuple[int, int]) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16] if path.exists() else ""


def load_script_library(knowledge_dir: Path) -> ScriptLibrary:
    root = knowledge_dir / "scripts"
    return _load_library_cached(root, tuple(sorted((p.name, _version(p)) for p in root.glob("*.yaml"))))


@lru_cache(maxsize=4)
def _load_library_cached(root: Path, _files: tuple[tuple[str, tuple[int, int]], ...]) -> ScriptLibrary:
    replies: list[ScriptTemplate] = []
    appeals: list[AppealTemplate] = []
    for path in sorted(root.glob("*.yaml")):
        if path.name == "ladder.yaml":  # the escalation ladder's templates (agent.drafting.ladder), not replies
            continue
        data = load_yaml(path) or {}
        part: ScriptLibrary = _validate(ScriptLibrary, {"replies": [], "appeals": [], **data}, path)
        replies += part.replies
        appeals += part.appeals
    if not replies:
        raise KnowledgeError(f"{root}: the script library has no reply templates")
    return ScriptLibrary(replies=replies, appeals=appeals)


ORDER_FIELDS = ("order_id", "author", "product", "status", "ordered_at", "tracking_status")


def load_orders(knowledge_dir: Path, brand: str) -> tuple[dict[str, str], ...]:
    """The brand's demo order records (a real deployment points this at an export of its back end)."""
    path = brand_file(knowledge_dir, brand, "orders.csv")
    return _load_orders_cached(path, _version(path))


@lru_cache(maxsize=32)
def _load_orders_cached(path: Path, _version: tuple[int, int]) -> tuple[dict[str, str], ...]:
    if not path.exists():
        return ()
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        missing = [c for c in ORDER_FIELDS if c not in (reader.fieldnames or [])]
        if missing:
            raise KnowledgeError(f"{path}: missing column(s) {', '.join(missing)}")
        return tuple(dict(row) for row in reader)
