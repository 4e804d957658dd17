"""What a model must answer, as pydantic models whose JSON schema is sent to the provider.

A model's answer is untrusted input: the enums are constrained in the schema (llama-server turns it
into a grammar), and the few slips small models make anyway (a list for one value, a confidence of
85, an enum in the wrong case) are normalised before validation rather than failing the draft.
"""

from __future__ import annotations

import copy
from typing import Any

from pydantic import BaseModel, Field, field_validator

from agent.schemas import Source, Violation


def inline_refs(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema with every `$ref` to `$defs` replaced by its definition: some servers' grammar
    converters and strict modes do not follow references. Objects are closed (no extra keys)."""
    defs = schema.get("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            if "$ref" in node:
                return walk(copy.deepcopy(defs[node["$ref"].split("/")[-1]]))
            out = {k: walk(v) for k, v in node.items() if k not in ("$defs", "title", "description", "default")}
            if out.get("type") == "object":
                out["additionalProperties"] = False
                out["required"] = list(out.get("properties", {}))
            return out
        if isinstance(node, list):
            return [walk(n) for n in node]
        return node

    return walk(schema)


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else value


class TriageOut(BaseModel):
    source: Source
    severity: int = Field(ge=1, le=3)
    violations: list[Violation]
    confidence: float = Field(ge=0, le=1)
    rationale: str = Field(max_length=400)

    @field_validator("source", mode="before")
    @classmethod
    def _one_source(cls, v: Any) -> Any:
        v = _first(v)
        return v.strip().lower() if isinstance(v, str) else v

    @field_validator("severity", mode="before")
    @classmethod
    def _severity(cls, v: Any) -> Any:
        v = _first(v)
        try:
            return min(3, max(1, round(float(v))))
        except (TypeError, ValueError):
            return v

    @field_validator("confidence", mode="before")
    @classmethod
    def _confidence(cls, v: Any) -> Any:
        v = _first(v)
        try:
            f = float(str(v).rstrip("%"))
        except (TypeError, ValueError):
            return v
        return min(1.0, max(0.0, f / 100 if 1 < f <= 100 else f))

    @field_validator("violations", mode="before")
    @classmethod
    def _violations(cls, v: Any) -> Any:
        items = v if isinstance(v, list) else [] if v in (None, "", "none") else [v]
        known = {x.value for x in Violation} - {Violation.illegal.value}  # the extortion track's, not a finding
        # Values outside the enum are dropped, not fatal: the rules decide what is proven anyway.
        return [s for s in (str(i).strip().lower() for i in items) if s in known]

    @field_validator("rationale", mode="before")
    @classmethod
    def _rationale(cls, v: Any) -> Any:
        return str(_first(v) or "")[:400]


class DraftOut(BaseModel):
    """The public reply and, when the plan appeals, the report's supplementary explanation: one call."""

    reply: str = Field(min_length=1, max_length=1000)
    appeal_explanation: str = Field("", max_length=1200)

    @field_validator("reply", "appeal_explanation", mode="before")
    @classmethod
    def _text(cls, v: Any) -> Any:
        v = _first(v)
        return "" if v is None else str(v)


class RungOut(BaseModel):
    """The text of one later appeal rung (a second report, a back-office appeal, an email, a brief)."""

    text: str = Field(min_length=1, max_length=6000)

    @field_validator("text", mode="before")
    @classmethod
    def _text(cls, v: Any) -> Any:
        v = _first(v)
        return "" if v is None else str(v)
