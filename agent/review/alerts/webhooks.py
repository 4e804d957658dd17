"""Webhook channels: the message shape each chat tool takes, and one delivery attempt.

A webhook URL carries its channel's token, so it is a secret: it is resolved only at send time
(`channel_url`, the one place the brand file's `url_env` indirection reads the environment) and only
its scheme and host ever reach a message, a log or the alerts table (`safe_url`, `scrub`).
"""

from __future__ import annotations

import json
import os
import socket
import urllib.error
import urllib.request
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel

from agent.errors import UserError
from agent.knowledge.brands import AlertChannel

TIMEOUT_S = 5.0  # a chat webhook answers in well under a second; a stuck one must not hold the sender
WECOM_MAX_BYTES = 2048  # WeCom's limit on a text message's content
# The chat tools' own "slow down" codes, answered with HTTP 200: retried like a 429.
WECOM_RETRY_CODES = {45009, -1}  # api freq out of limit; system busy
FEISHU_RETRY_CODES = {11232, 9499}  # frequency limited; busy


class AlertPayload(BaseModel):
    """What every channel is told about one alert (the generic `json` channel receives exactly this)."""

    key: str  # the idempotency key: a receiver that sees one twice can drop the second
    trigger: str
    brand: str
    item_id: str
    reason: str
    link: str
    text: str
    created_at: str


class Attempt(BaseModel):
    """The outcome of one POST: delivered, or why not and whether trying again could help."""

    ok: bool
    retryable: bool = False
    detail: str = ""


def channel_url(channel: AlertChannel, env: Mapping[str, str] | None = None) -> str:
    """The channel's webhook URL, from the brand file or the environment variable it names."""
    if channel.url is not None:
        return channel.url.get_secret_value()
    env = os.environ if env is None else env
    value = (env.get(channel.url_env or "") or "").strip()
    if not value:
        raise UserError(f"alert channel '{channel.label}': environment variable {channel.url_env} is not set")
    if not value.startswith(("http://", "https://")):
        raise UserError(f"alert channel '{channel.label}': {channel.url_env} must hold an http(s) URL")
    return value


def safe_url(url: str) -> str:
    """The URL with everything after the host hidden: enough to tell channels apart, no token."""
    parts = urlsplit(url)
    host = parts.hostname or "?"
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}/***"


def scrub(text: str, url: str) -> str:
    """An error text with the URL and each of its path/query parts removed, in case a library quoted them."""
    parts = urlsplit(url)
    secrets = [url, parts.path, parts.query, *parts.path.split("/"), *parts.query.split("&")]
    for secret in sorted({s for s in secrets if len(s) >= 6}, key=len, reverse=True):
        text = text.replace(secret, "***")
    return text


def body_for(kind: str, alert: AlertPayload) -> dict[str, Any]:
    """The JSON body each tool's incoming webhook takes for a plain-text message."""
    if kind == "wecom":
        text = alert.text.encode()[:WECOM_MAX_BYTES].decode(errors="ignore")
        return {"msgtype": "text", "text": {"content": text}}
    if kind == "feishu":
        return {"msg_type": "text", "content": {"text": alert.text}}
    if kind == "slack":
        # Slack reads <…> as links and mentions: the comment's excerpt must stay plain text.
        return {"text": alert.text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")}
    return {"source": "redreply", "version": 1, **alert.model_dump()}


def _answer_error(kind: str, raw: bytes) -> Attempt | None:
    """WeCom and Feishu answer HTTP 200 with an error code in the body; None when the body says success."""
    try:
        data = json.loads(raw or b"{}")
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    if kind == "wecom" and data.get("errcode", 0) != 0:
        code = data.get("errcode")
        return Attempt(ok=False, retryable=code in WECOM_RETRY_CODES, detail=f"WeCom errcode {code}: {data.get('errmsg', '')}")
    code = data.get("code", data.get("StatusCode", 0))
    if kind == "feishu" and code not in (0, None):
        return Attempt(ok=False, retryable=code in FEISHU_RETRY_CODES,
                       detail=f"Feishu code {code}: {data.get('msg', data.get('StatusMessage', ''))}")
    return None


def post(channel: AlertChannel, url: str, alert: AlertPayload, timeout: float = TIMEOUT_S) -> Attempt:
    """One POST of the alert to the channel. Never raises: every failure is an Attempt with a safe detail."""
    data = json.dumps(body_for(channel.kind, alert), ensure_ascii=False).encode()
    request = urllib.request.Request(url, data=data, method="POST", headers={
        "Content-Type": "application/json; charset=utf-8", "Idempotency-Key": alert.key,
        "User-Agent": "redreply-alerts/1"})
    where = safe_url(url)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (http(s) only, checked)
            raw = response.read(65536)
    except urllib.error.HTTPError as e:
        # 408/429/5xx may pass; any other 4xx is the receiver refusing this message, and will again.
        retryable = e.code in (408, 425, 429) or e.code >= 500
        return Attempt(ok=False, retryable=retryable, detail=f"{where} answered HTTP {e.code}")
    except (urllib.error.URLError, OSError) as e:
        reason = getattr(e, "reason", e)
        if isinstance(reason, ConnectionRefusedError):
            why = "refused the connection"
        elif isinstance(reason, (TimeoutError, socket.timeout)):
            why = f"did not answer within {timeout:g} s"
        elif isinstance(reason, socket.gaierror):
            why = "has a host name that does not resolve"
        else:
            why = f"could not be reached ({scrub(str(reason), url)[:120]})"
        return Attempt(ok=False, retryable=True, detail=f"{where} {why}")
    problem = _answer_error(channel.kind, raw)
    if problem is not None:
        return problem.model_copy(update={"detail": f"{where}: {scrub(problem.detail, url)[:200]}"})
    return Attempt(ok=True, detail=f"{where} accepted it")
