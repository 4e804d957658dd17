"""Before a batch or the desk's first draft: is the model reachable, keyed and known? One line if not.

Without it, a dead port and a missing key both surface hours later as "gave up after 3 attempts"
and a silent fall back to the offline drafter.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from agent.config import Settings, configure_offline_libraries
from agent.errors import UserError


def _served_models(settings: Settings) -> list[str]:
    """The model ids an OpenAI-compatible server lists; raises UserError naming what went wrong."""
    base = (settings.api_base or "").rstrip("/")
    request = urllib.request.Request(f"{base}/models")
    if settings.api_key:
        request.add_header("Authorization", f"Bearer {settings.api_key.get_secret_value()}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (the configured server)
            data = json.loads(response.read().decode("utf-8") or "{}")
    except urllib.error.HTTPError as e:
        if e.code in (401, 403):
            raise UserError(f"the model server at {base} refused the key (HTTP {e.code}): set REDREPLY_API_KEY") from e
        return []  # a server without /models: the first call will tell
    except (urllib.error.URLError, OSError) as e:
        reason = getattr(e, "reason", e)
        raise UserError(f"cannot reach the model server at {base}: {reason} (is it running? see "
                        "README: Use a local model)") from e
    except ValueError:
        return []
    return [str(m.get("id")) for m in data.get("data", []) if isinstance(m, dict)]


def _missing_keys(model: str) -> list[str]:
    configure_offline_libraries()
    import litellm

    try:
        env = litellm.validate_environment(model=model)
    except Exception:  # a provider litellm cannot check: the first call will tell
        return []
    return list(env.get("missing_keys") or [])


def preflight(settings: Settings) -> None:
    """Raise one clear UserError for a refused connection, a missing key or a model the server does not serve."""
    if settings.is_offline:
        return
    if settings.api_base:
        served = _served_models(settings)
        name = settings.model.split("/", 1)[-1]
        if served and name not in served:
            raise UserError(f"the model server at {settings.api_base} does not serve '{name}'; it serves: "
                            f"{', '.join(served)} (set REDREPLY_MODEL=openai/{served[0]})")
        return
    if not settings.api_key:
        missing = _missing_keys(settings.model)
        if missing:
            raise UserError(f"no key for {settings.model}: set {' or '.join(missing)} (or REDREPLY_API_KEY)")
