"""The one model seam. Every model call in RedReply goes through `ModelClient.complete`.

`LiteLLMClient` is the only code that imports litellm (lazily, so the offline CLI starts fast). It
sends requests through litellm's Router: retries honouring Retry-After, then the fallback models in
order; the offline drafter is the last fallback, taken by the caller (agent.drafting.drafter).
Tests inject their own `ModelClient` (queued answers, recorded prompts) instead of patching anything.
"""

from __future__ import annotations

import json
import os
import re
from typing import Any, Protocol, TypeVar, runtime_checkable

from pydantic import BaseModel, ValidationError

from agent.config import Settings, configure_offline_libraries
from agent.drafting.breaker import breaker_for
from agent.drafting.model_names import check_model_name
from agent.drafting.prompts import render
from agent.drafting.schema import inline_refs
from agent.errors import ModelError

T = TypeVar("T", bound=BaseModel)


class Completion(str):
    """A model's text, carrying the token counts the provider reported (0 when it reported none)."""

    prompt_tokens: int = 0
    completion_tokens: int = 0

    def __new__(cls, text: str, prompt_tokens: int = 0, completion_tokens: int = 0) -> Completion:
        obj = super().__new__(cls, text)
        obj.prompt_tokens, obj.completion_tokens = prompt_tokens, completion_tokens
        return obj


@runtime_checkable
class ModelClient(Protocol):
    name: str

    def complete(self, messages: list[dict[str, str]], *, json_schema: dict[str, Any] | None = None) -> str:
        """Send chat messages, return the model's text (a `Completion` when usage is known)."""
        ...


class TransientModelError(ModelError):
    """Worth retrying: timeout, rate limit, server error. `retry_after` in seconds when the server said."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class LiteLLMClient:
    """Any provider litellm knows, by name (openai/…, deepseek/…, dashscope/…, ollama/…), behind a Router."""

    def __init__(self, settings: Settings, **litellm_kwargs: Any) -> None:
        configure_offline_libraries()  # before the import: litellm fetches its cost map at import time
        import litellm  # lazy: a second of import time the offline path never pays

        litellm.telemetry = False
        litellm.suppress_debug_info = True
        self._litellm = litellm
        self.name = settings.model
        self._settings = settings
        self._extra = litellm_kwargs  # passed through to every deployment (e.g. mock_response in tests)
        self._format = settings.structured_output
        self.router = self._router()

    def _deployment(self, group: str, model: str, primary: bool) -> dict[str, Any]:
        s = self._settings
        # A fallback may name its own server: "openai/qwen@http://127.0.0.1:9000/v1"; its key comes from
        # the provider's environment variable.
        model, _, own_base = model.partition("@")
        params: dict[str, Any] = {"model": model, "timeout": s.timeout_for(model), **self._extra}
        if own_base:
            params["api_base"] = own_base
        if primary and s.api_base:
            params["api_base"] = s.api_base
        if primary and s.api_key:
            params["api_key"] = s.api_key.get_secret_value()
        elif primary and s.api_base and model.startswith("openai/") and not os.environ.get("OPENAI_API_KEY"):
            # A local OpenAI-compatible server (llama-server, vLLM) wants no key, but the client insists on one.
            params["api_key"] = "no-key"
        return {"model_name": group, "litellm_params": params}

    def _router(self) -> Any:
        from litellm import Router

        s = self._settings
        model_list = [self._deployment("primary", s.model, primary=True)]
        model_list += [self._deployment(f"fallback-{i}", m, primary=False) for i, m in enumerate(s.fallback_models)]
        fallbacks = [{"primary": [d["model_name"] for d in model_list[1:]]}] if len(model_list) > 1 else []
        # The Router is the only retry loop: it honours Retry-After and moves to the fallbacks after.
        return Router(model_list=model_list, fallbacks=fallbacks, num_retries=s.model_retries,
                      retry_after=s.retry_backoff_s, timeout=s.timeout_for(s.model))

    def _response_format(self, json_schema: dict[str, Any] | None) -> dict[str, Any] | None:
        if json_schema is None:
            return None
        if self._format == "json_object":
            return {"type": "json_object"}
        return {"type": "json_schema",
                "json_schema": {"name": "answer", "schema": inline_refs(json_schema), "strict": True}}

    def complete(self, messages: list[dict[str, str]], *, json_schema: dict[str, Any] | None = None) -> str:
        kwargs: dict[str, Any] = {"model": "primary", "messages": messages, "temperature": self._settings.temperature}
        fmt = self._response_format(json_schema)
        if fmt:
            kwargs["response_format"] = fmt
        try:
            response = self.router.completion(**kwargs)
        except Exception as e:  # litellm maps every provider's errors onto openai's classes
            if fmt and fmt["type"] == "json_schema" and _rejects_schema(e):
                self._format = "json_object"  # this provider has no schema-constrained output: repair turn instead
                return self.complete(messages, json_schema=json_schema)
            raise classify(e) from e
        usage = getattr(response, "usage", None)
        return Completion(response.choices[0].message.content or "",
                          int(getattr(usage, "prompt_tokens", 0) or 0), int(getattr(usage, "completion_tokens", 0) or 0))


def _rejects_schema(e: Exception) -> bool:
    text = str(e).lower()
    return type(e).__name__ in {"BadRequestError", "UnsupportedParamsError"} and (
        "response_format" in text or "json_schema" in text or "schema" in text)


def classify(e: Exception) -> ModelError:
    """Transient (retry) or final; the message never carries the request (it may hold a key)."""
    status = getattr(e, "status_code", None)
    kind = type(e).__name__
    if kind in {"Timeout", "APITimeoutError", "APIConnectionError", "RateLimitError", "ServiceUnavailableError",
                "InternalServerError", "BadGatewayError"} or (isinstance(status, int) and (status == 429 or status >= 500)):
        headers = getattr(getattr(e, "response", None), "headers", None) or {}
        try:
            retry_after: float | None = float(headers["retry-after"]) if headers.get("retry-after") else None
        except (TypeError, ValueError):
            retry_after = None
        return TransientModelError(f"{kind} (status {status})", retry_after)
    if kind in {"AuthenticationError", "NotFoundError", "BadRequestError"} and "model" in str(e).lower():
        return ModelError(f"{kind}: the provider rejected the model name or key")
    return ModelError(f"{kind} (status {status})")


def make_client(settings: Settings) -> ModelClient | None:
    """None for the offline model; a litellm client for any other name (checked before any call)."""
    if settings.is_offline:
        return None
    validate_model_name(settings.model, settings.api_base)
    for name in settings.fallback_models:
        validate_model_name(name.partition("@")[0], settings.api_base)
    return LiteLLMClient(settings)


def validate_model_name(model: str, api_base: str | None = None) -> None:
    """Catch a typo before a batch starts, without a network call (and without importing litellm)."""
    check_model_name(model, api_base)


_JSON_BLOCK = re.compile(r"\{.*\}", re.S)


def parse_json_object(text: str) -> Any:
    """The JSON object in a model answer, tolerating code fences and chatter around it."""
    text = text.strip()
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        match = _JSON_BLOCK.search(text)
        if not match:
            raise
        return json.loads(match.group(0))


def call_model(client: ModelClient, settings: Settings, messages: list[dict[str, str]],
               json_schema: dict[str, Any] | None) -> str:
    """One call behind the client's circuit breaker; any failure becomes a ModelError."""
    breaker = breaker_for(client, settings)
    if not settings.fallback_models:  # several deployments: the Router's cooldowns do this job
        breaker.check()
    try:
        answer = client.complete(messages, json_schema=json_schema)
    except ModelError:
        breaker.record(ok=False)
        raise
    except Exception as e:  # a client that raises something else (a fake, a plugin)
        breaker.record(ok=False)
        raise ModelError(f"{type(e).__name__}: {e}") from e
    breaker.record(ok=True)
    return answer


class Usage(BaseModel):
    """What one structured call cost."""

    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0

    def add(self, messages: list[dict[str, str]], answer: str) -> None:
        self.calls += 1
        self.prompt_tokens += getattr(answer, "prompt_tokens", 0) or estimate_tokens(
            "".join(m["content"] for m in messages))
        self.completion_tokens += getattr(answer, "completion_tokens", 0) or estimate_tokens(answer)


_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


def estimate_tokens(text: str) -> int:
    """When the provider reports no usage: a CJK character is about one token, other text ~4 characters one."""
    cjk = len(_CJK.findall(text))
    return cjk + (len(text) - cjk) // 4


def structured_call(client: ModelClient, settings: Settings, prompt: str, variables: dict[str, Any],
                    response_model: type[T], usage: Usage | None = None) -> T:
    """Render prompts/<prompt>.md, call the model, validate JSON; one repair turn on invalid output.

    Raises ModelError carrying the last answer and the attempt count when it cannot get valid output.
    """
    messages = render(settings.prompts_dir, prompt, variables)
    schema = response_model.model_json_schema()
    usage = usage if usage is not None else Usage()
    answer, error = "", ""
    for attempt in (1, 2):
        answer = call_model(client, settings, messages, schema)
        usage.add(messages, answer)
        if not answer.strip():
            error = "the answer was empty"
        else:
            try:
                return response_model.model_validate(parse_json_object(answer))
            except (json.JSONDecodeError, ValidationError) as e:
                error = _short_error(e)
        if attempt == 1:
            messages = [*messages, {"role": "assistant", "content": str(answer)},
                        {"role": "user", "content": render_repair(settings, error, schema)}]
    raise ModelError(f"no valid {response_model.__name__} after 2 attempts: {error}; last answer: {answer[:200]!r}")


def render_repair(settings: Settings, error: str, schema: dict[str, Any]) -> str:
    return render(settings.prompts_dir, "repair", {"error": error, "schema": json.dumps(schema, ensure_ascii=False)})[-1][
        "content"]


def _short_error(e: Exception) -> str:
    if isinstance(e, ValidationError):
        return "; ".join(f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in e.errors()[:5])
    return f"not valid JSON ({e})"
