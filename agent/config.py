"""One settings object for the whole product, read from `REDREPLY_*` variables and `redreply.toml`.

Everything else receives a `Settings` instance; nothing reads the environment on its own.
"""

from __future__ import annotations

import os
import re
from datetime import timedelta, timezone, tzinfo
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, PositiveFloat, SecretStr, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BEIJING = timezone(timedelta(hours=8), "CST")


@lru_cache(maxsize=32)
def time_zone(name: str) -> tzinfo:
    """A time zone by its IANA name; ValueError (one line) for a name no zone has."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        if name == "Asia/Shanghai":  # the default, even on a machine without the zone database: no DST there
            return BEIJING
        raise ValueError(f"unknown time zone {name!r}: use an IANA name such as Asia/Shanghai or Europe/Berlin") \
            from None


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="REDREPLY_",
        toml_file="redreply.toml",
        extra="ignore",
    )

    model: str = Field("offline", description="'offline' (no network) or any litellm model name, e.g. openai/gpt-4o-mini")
    api_base: str | None = Field(None, description="Base URL of an OpenAI-compatible server, if any")
    api_key: SecretStr | None = Field(None, description="Key for the model provider; provider env vars work too")
    fallback_models: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Models tried in order when the first fails (comma-separated); "
                                          "the offline drafter is always the last")
    model_timeout_s: float | None = Field(None, gt=0, description="Timeout of one model call; unset = chosen "
                                                                  "by provider (see timeout_for)")
    structured_output: Literal["json_schema", "json_object"] = Field(
        "json_schema", description="json_schema: the provider enforces the answer's schema (falls back to "
                                   "json_object by itself where the provider rejects it)")
    triage_model_below: float = Field(0.8, ge=0, le=1.01, description="Ask the model to refine the triage only "
                                                                        "when the rules' confidence is below this")
    model_retries: int = Field(2, ge=0, le=5, description="Retries of a transient model error (429, 5xx, timeout)")
    retry_backoff_s: float = Field(1.0, ge=0, description="First backoff; doubles per retry, honours Retry-After")
    temperature: float = Field(0.3, ge=0, le=2)
    breaker_failures: int = Field(5, ge=1, description="Failed calls in a row that pause the model")
    breaker_cooldown_s: float = Field(30.0, ge=0, description="How long the paused model is skipped")

    brand: str = Field("glowskin", description="Default brand")
    data_dir: Path = Field(Path(".redreply"), description="Where the Chroma store, queue and checkpoints live")
    knowledge_dir: Path = Field(PROJECT_ROOT / "knowledge", description="Guidelines, script library and brand facts")
    prompts_dir: Path = Field(PROJECT_ROOT / "prompts", description="Prompt templates")
    chroma_host: str | None = Field(None, description="Chroma server host; unset = embedded PersistentClient")
    chroma_port: int = Field(8000)
    checkpoint_url: str | None = Field(
        None, description="postgresql://… to use LangGraph's PostgresSaver; unset = the database_url's PostgreSQL, "
        "else SQLite in data_dir"
    )
    database_url: str | None = Field(
        None, description="postgresql://user:password@host:port/db for every table (queue jobs, imports, schema); "
        "unset = the SQLite file in data_dir"
    )
    job_lease_s: float = Field(120.0, gt=0, description="How long a worker holds a drafting job before another may take it")
    job_max_attempts: int = Field(3, ge=1, description="Drafting attempts before a job is dead-lettered")

    memory_fit: float = Field(0.92, ge=0, le=1.01, description="An approved reply to a comment at least this "
                              "similar (cosine), in the same situation, becomes the offline draft; 1.01 = never")
    memory_examples_from: float = Field(0.8, ge=0, le=1.01, description="Approved replies to comments at least "
                                        "this similar are the model's examples")
    reply_max_chars: int = Field(300, ge=50, le=1000, description="Length limit of a public reply")
    comment_max_chars: int = Field(5000, ge=100, description="Longer comments are rejected at normalize")
    duplicate_window_days: int = Field(14, description="How far back near-duplicate comments are looked for")
    response_window_h: int = Field(48, description="The golden response window")
    desk_url: str = Field("http://localhost:8501", description="The review desk's address as the team opens "
                                                               "it: alerts link to items under it")
    reviewer: str = Field(default_factory=lambda: os.environ.get("USER", "reviewer"))
    account: str | None = Field(None, description="The desk account the CLI acts as (REDREPLY_ACCOUNT); "
                                                  "unused while the desk has no accounts (local admin)")
    language: Literal["zh_Hans", "zh_Hant", "en"] = Field("en", description="The desk's default "
                                                         "interface language; each account may choose")
    session_hours: float = Field(8.0, gt=0, description="How long a desk sign-in lasts")
    team_tz: str = Field("Asia/Shanghai", description="The team's time zone, an IANA name: the desk shows its "
                                                      "times in it (comments' own naive times stay Beijing time)")
    case_deadlines_h: Annotated[dict[str, PositiveFloat | None], NoDecode] = Field(
        default_factory=dict, description="Hours from submitting an appeal rung to its deadline, per rung: "
        "'brand_backend=96,litigation=none'; a rung not named keeps the ladder's default (case_rules.RUNGS)")

    @field_validator("fallback_models", mode="before")
    @classmethod
    def _split(cls, v: Any) -> Any:
        return [m.strip() for m in v.split(",") if m.strip()] if isinstance(v, str) else v

    @field_validator("case_deadlines_h", mode="before")
    @classmethod
    def _deadlines(cls, v: Any) -> Any:
        # Rung names are checked where the ladder is known (case_rules.rung_deadlines), not here.
        if not isinstance(v, str):
            return v
        pairs = [p.partition("=") for p in v.split(",") if p.strip()]
        return {k.strip(): None if h.strip().lower() in ("", "none") else h.strip() for k, _, h in pairs}

    @field_validator("team_tz", mode="after")
    @classmethod
    def _zone(cls, v: str) -> str:
        time_zone(v)  # a name no zone has is refused when the settings are read
        return v

    @field_validator("data_dir", "knowledge_dir", "prompts_dir", mode="after")
    @classmethod
    def _absolute(cls, v: Path) -> Path:
        return v.expanduser().resolve()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Explicit arguments beat the environment, which beats redreply.toml.
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls))

    # Paths derived from data_dir, so one setting moves all state.
    @property
    def chroma_path(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def queue_path(self) -> Path:
        return self.data_dir / "queue.sqlite"

    @property
    def memory_path(self) -> Path:
        """Where an earlier version kept the brand's memory; now in the desk's database, moved in once."""
        return self.data_dir / "memory.sqlite"

    @property
    def checkpoint_path(self) -> Path:
        return self.data_dir / "checkpoints.sqlite"

    @property
    def is_offline(self) -> bool:
        return self.model == "offline"

    def timeout_for(self, model: str) -> float:
        """An explicit setting wins. Otherwise a model on this machine (a loopback server, ollama) gets
        10 minutes: a small CPU model takes minutes per answer, and a timeout only wastes the work
        done so far. A hosted provider answers in seconds: 60 s, so a stuck call does not hold a batch."""
        if self.model_timeout_s:
            return self.model_timeout_s
        local = model.startswith(("ollama/", "ollama_chat/")) or bool(
            self.api_base and re.search(r"//(localhost|127\.|\[::1\]|0\.0\.0\.0)", self.api_base))
        return 600.0 if local else 60.0

    def with_overrides(self, **kw: Any) -> Settings:
        """A copy with some fields replaced (CLI flags), validated like the original."""
        data = self.model_dump()
        data.update({k: v for k, v in kw.items() if v is not None})
        return Settings(**data)


def setting_errors(error: ValidationError) -> str:
    """Why the settings could not be read, in one line: each bad setting by the variable that sets it."""
    parts = []
    for e in error.errors():
        name = "_".join(str(x) for x in e["loc"])
        parts.append(f"{name} (REDREPLY_{name.upper()}): {str(e['msg']).removeprefix('Value error, ')}")
    return "bad setting " + "; ".join(parts)


def configure_offline_libraries() -> None:
    """Process-wide switches that keep the libraries from reaching the network."""
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("STREAMLIT_BROWSER_GATHER_USAGE_STATS", "false")
