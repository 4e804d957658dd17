"""The one model seam. Every model call in RedReply goes through `ModelClient.complete`.

`LiteLLMClient` is the only code that imports litellm (lazily, so the offline CLI starts fast).
Tests inject their own `ModelClient` (queued answers, recorded prompts) instead of patching anything.
The `offline` model has no client: the nodes use the script-library drafter instead.
"""

from __future__ import annotations

import json
import re
import threading
import time
import weakref
from typing import Any, Protocol, TypeVar, runtime_checkable

from pydantic import BaseModel, ValidationError

from agent.config import Settings, configure_offline_libraries
from agent.drafting.prompts import render
from agent.errors import ModelError, UserError

T = TypeVar("T", bound=BaseModel)


@runtime_checkable
class ModelClient(Protocol):
    name: str

    def complete(self, messages: list[dict[str, str]], *, json_schema: dict[str, Any] | None = None) -> str:
        """Send chat messages, return the model's text. Raises on transport errors."""
        ...


class TransientModelError(ModelError):
    """Worth retrying: timeout, rate limit, server error. `retry_after` in seconds when the server said."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class LiteLLMClient:
    """Any provider litellm knows, by name: openai/…, deepseek/…, dashscope/…, ollama/…"""

    def __init__(self, settings: Settings, **litellm_kwargs: Any) -> None:
        configure_offline_libraries()  # before the import: litellm fetches its cost map at import time
        import litellm  # lazy: a second of import time the offline path never pays

        litellm.telemetry = False
        litellm.suppress_debug_info = True
        self._litellm = litellm
        self.name = settings.model
        self._settings = settings
        self._extra = litellm_kwargs  # passed through to litellm.completion (e.g. mock_response in tests)

    def complete(self, messages: list[dict[str, str]], *, json_schema: dict[str, Any] | None = None) -> str:
        s = self._settings
        kwargs: dict[str, Any] = {
            "model": s.model,
            "messages": messages,
            "timeout": s.model_timeout_s,
            "temperature": s.temperature,
            "num_retries": 0,  # retries are ours: bounded, with backoff that honours Retry-After
            **self._extra,
        }
        if s.api_base:
            kwargs["api_base"] = s.api_base
        if s.api_key:
            kwargs["api_key"] = s.api_key.get_secret_value()
        if json_schema is not None:
            kwargs["response_format"] = {"type": "json_object"}
        try:
            response = self._litellm.completion(**kwargs)
        except Exception as e:  # litellm maps every provider's errors onto openai's classes
            raise _classify(e) from e
        content = response.choices[0].message.content
        return content or ""


def _classify(e: Exception) -> ModelError:
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
    validate_model_name(settings.model)
    return LiteLLMClient(settings)


def validate_model_name(model: str) -> None:
    """Catch a typo before a batch starts, without a network call."""
    if model == "offline":
        return
    configure_offline_libraries()
    import litellm

    try:
        _, provider, _, _ = litellm.get_llm_provider(model)
    except Exception as e:
        raise UserError(
            f"unknown model '{model}': use 'offline' or a litellm name such as openai/gpt-4o-mini, "
            "deepseek/deepseek-chat, ollama/qwen2.5:7b"
        ) from e
    if not provider:
        raise UserError(f"unknown model '{model}'")


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


class CircuitBreaker:
    """After `threshold` calls in a row that failed all their retries, calls fail at once for `cooldown_s`
    (then one trial call decides): a provider that is down costs a batch seconds, not an hour of timeouts."""

    def __init__(self, threshold: int, cooldown_s: float) -> None:
        self.threshold, self.cooldown_s = threshold, cooldown_s
        self.failures = 0
        self.open_until = 0.0
        self._lock = threading.Lock()

    def check(self) -> None:
        with self._lock:
            now = time.monotonic()
            if self.failures >= self.threshold and now < self.open_until:
                raise ModelError(f"provider failing: {self.failures} calls in a row failed; "
                                 f"paused for {self.open_until - now:.0f} s")
            if self.failures >= self.threshold:
                self.open_until = now + self.cooldown_s  # half-open: this call is the trial

    def record(self, ok: bool) -> None:
        with self._lock:
            self.failures = 0 if ok else self.failures + 1
            if self.failures >= self.threshold:
                self.open_until = time.monotonic() + self.cooldown_s


_breakers: weakref.WeakKeyDictionary[Any, CircuitBreaker] = weakref.WeakKeyDictionary()
_breakers_lock = threading.Lock()


def breaker_for(client: ModelClient, settings: Settings) -> CircuitBreaker:
    with _breakers_lock:
        if client not in _breakers:
            _breakers[client] = CircuitBreaker(settings.breaker_failures, settings.breaker_cooldown_s)
        return _breakers[client]


def call_with_retries(client: ModelClient, settings: Settings, messages: list[dict[str, str]],
                      json_schema: dict[str, Any] | None, sleep: Any = time.sleep) -> str:
    """Bounded retries of transient errors, exponential backoff, Retry-After honoured (capped at 30 s),
    behind the client's circuit breaker."""
    breaker = breaker_for(client, settings)
    breaker.check()
    try:
        answer = _call_with_retries(client, settings, messages, json_schema, sleep)
    except ModelError:
        breaker.record(ok=False)
        raise
    breaker.record(ok=True)
    return answer


def _call_with_retries(client: ModelClient, settings: Settings, messages: list[dict[str, str]],
                       json_schema: dict[str, Any] | None, sleep: Any) -> str:
    attempts = settings.model_retries + 1
    for attempt in range(attempts):
        try:
            return client.complete(messages, json_schema=json_schema)
        except TransientModelError as e:
            if attempt == attempts - 1:
                raise ModelError(f"gave up after {attempts} attempts: {e}") from e
            delay = e.retry_after if e.retry_after is not None else settings.retry_backoff_s * 2**attempt
            sleep(min(delay, 30.0))
        except ModelError:
            raise
        except Exception as e:  # a client that raises something else (a fake, a plugin)
            raise ModelError(f"{type(e).__name__}: {e}") from e
    raise ModelError("unreachable")  # pragma: no cover


def structured_call(client: ModelClient, settings: Settings, prompt: str, variables: dict[str, Any],
                    response_model: type[T], sleep: Any = time.sleep) -> T:
    """Render prompts/<prompt>.md, call the model, validate JSON; one repair turn on invalid output.

    Raises ModelError carrying the last answer and the attempt count when it cannot get valid output.
    """
    messages = render(settings.prompts_dir, prompt, variables)
    schema = response_model.model_json_schema()
    answer = ""
    for attempt in (1, 2):
        answer = call_with_retries(client, settings, messages, schema, sleep=sleep)
        if not answer.strip():
            error = "the answer was empty"
        else:
            try:
                return response_model.model_validate(parse_json_object(answer))
            except (json.JSONDecodeError, ValidationError) as e:
                error = _short_error(e)
        if attempt == 1:
            messages = [*messages, {"role": "assistant", "content": answer},
                        {"role": "user", "content": render_repair(settings, error, schema)}]
    raise ModelError(f"no valid {response_model.__name__} after 2 attempts: {error}; last answer: {answer[:200]!r}")


def render_repair(settings: Settings, error: str, schema: dict[str, Any]) -> str:
    return render(settings.prompts_dir, "repair", {"error": error, "schema": json.dumps(schema, ensure_ascii=False)})[-1][
        "content"]


def _short_error(e: Exception) -> str:
    if isinstance(e, ValidationError):
        return "; ".join(f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in e.errors()[:5])
    return f"not valid JSON ({e})"
