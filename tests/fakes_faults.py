"""A model that fails in every way we know, by a seeded plan: shared by the fault tests and bench/soak.py.

Kept apart from tests/fakes.py (the scripted fake): this one is about faults, not answers.
"""

from __future__ import annotations

import json
import random
import threading
from typing import Any

from agent.drafting.llm import TransientModelError

# The answer a call asks for, by the name of its schema (stable when a prompt is reworded).
TRIAGE_SCHEMA = "TriageOut"


class FaultyModel:
    """Behind the seam like any client; fails by a seeded plan, and is down for a stretch of calls.

    Faults: timeouts, 429 with Retry-After, 500s, truncated and non-JSON answers, refusals, empty answers.
    """

    name = "fake/faulty"

    def __init__(self, seed: int = 7, down_from: int = 1500, down_to: int = 2300) -> None:
        self.rng = random.Random(seed)
        self.calls = 0
        self.down = (down_from, down_to)
        self.lock = threading.Lock()

    def complete(self, messages: list[dict[str, str]], *, json_schema: dict[str, Any] | None = None) -> str:
        with self.lock:
            self.calls += 1
            n, roll = self.calls, self.rng.random()
        if self.down[0] <= n < self.down[1]:
            raise TransientModelError("ServiceUnavailableError (status 503)")
        triage = (json_schema or {}).get("title") == TRIAGE_SCHEMA
        good = ({"source": "genuine_experience", "severity": 2, "violations": [], "confidence": 0.7, "rationale": "x"}
                if triage else {"reply": "亲，真的很抱歉～麻烦私信我们订单号，我们马上帮你跟进哦"})
        if roll < 0.08:
            raise TransientModelError("Timeout (status 408)")
        if roll < 0.14:
            raise TransientModelError("RateLimitError (status 429)", retry_after=0.01)
        if roll < 0.18:
            raise TransientModelError("InternalServerError (status 500)")
        if roll < 0.24:
            return '{"reply": "亲，抱歉'  # truncated
        if roll < 0.28:
            return "not json at all"
        if roll < 0.31:
            return "抱歉，我无法协助处理这个请求。"  # a refusal
        if roll < 0.34:
            return ""
        return json.dumps(good, ensure_ascii=False)
