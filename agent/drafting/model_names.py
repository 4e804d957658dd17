"""Is a model name one litellm knows? Answered from litellm's own bundled price list, without importing
litellm (its import alone takes seconds), so a typo fails before any store or graph is opened and names
the nearest names litellm knows.
"""

from __future__ import annotations

import difflib
import importlib.util
import json
from functools import cache
from pathlib import Path

from agent.errors import UserError

# Providers whose names are whatever the server runs (a local server, a router): any name after the prefix.
_OPEN_PROVIDERS = frozenset({"ollama", "ollama_chat", "hosted_vllm", "lm_studio", "openrouter", "huggingface",
                             "together_ai", "litellm_proxy", "llamafile", "vllm", "custom_openai"})
# Providers with a closed catalog: a name litellm's list lacks is a typo.
_CLOSED_PROVIDERS = frozenset({"openai", "anthropic", "deepseek", "gemini", "mistral", "groq", "xai", "dashscope",
                               "moonshot"})


@cache
def known_models() -> tuple[frozenset[str], frozenset[str]]:
    """(model names, provider prefixes) from litellm's bundled list; empty when litellm is not installed."""
    spec = importlib.util.find_spec("litellm")
    if spec is None or not spec.origin:
        return frozenset(), frozenset()
    path = Path(spec.origin).parent / "model_prices_and_context_window_backup.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return frozenset(), frozenset()
    names: set[str] = set()
    providers: set[str] = set()
    for key, value in data.items():
        provider = value.get("litellm_provider") if isinstance(value, dict) else None
        if not provider or key == "sample_spec":
            continue
        providers.add(provider)
        names.add(key if key.startswith(f"{provider}/") else f"{provider}/{key}")
        names.add(key)
    return frozenset(names), frozenset(providers)


def nearest(model: str, n: int = 3) -> list[str]:
    names, _ = known_models()
    return difflib.get_close_matches(model, sorted(names), n=n, cutoff=0.6)


def is_known(model: str, api_base: str | None = None) -> bool:
    names, providers = known_models()
    if not names:  # no list to check against: the first call will tell
        return True
    prefix, slash, _ = model.partition("/")
    if not slash:
        return model in names
    if prefix in _OPEN_PROVIDERS or (api_base and prefix == "openai"):
        return True
    if prefix in _CLOSED_PROVIDERS:
        return model in names
    return prefix in providers


def check_model_name(model: str, api_base: str | None = None) -> None:
    """One UserError naming the nearest known names when `model` is not a name litellm knows."""
    if model == "offline" or is_known(model, api_base):
        return
    close = nearest(model)
    hint = f"did you mean {', '.join(close)}?" if close else \
        "use 'offline' or a litellm name such as openai/gpt-4o-mini, deepseek/deepseek-chat, ollama/qwen2.5:7b"
    raise UserError(f"unknown model '{model}': {hint}")
