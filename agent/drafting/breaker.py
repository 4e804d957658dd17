"""The circuit breaker in front of a single model deployment.

litellm's Router cools a failing deployment down only when its group has another deployment to use
instead; with a single deployment it keeps calling it. The breaker covers that case: a provider that is
down costs a batch seconds, not an hour of timeouts.
"""

from __future__ import annotations

import threading
import time
import weakref
from typing import Any

from agent.config import Settings
from agent.errors import ModelError


class CircuitBreaker:
    """After `threshold` calls in a row that failed all their retries, calls fail at once for `cooldown_s`
    (then one trial call decides): a provider that is down costs a batch seconds, not an hour of timeouts.

    litellm's Router cools a failing deployment down only when its group has another deployment to
    use instead; with a single deployment it keeps calling it, so the breaker covers that case."""

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


def breaker_for(client: Any, settings: Settings) -> CircuitBreaker:
    with _breakers_lock:
        if client not in _breakers:
            _breakers[client] = CircuitBreaker(settings.breaker_failures, settings.breaker_cooldown_s)
        return _breakers[client]
