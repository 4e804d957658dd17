"""A fake model behind the one seam (agent.drafting.llm.ModelClient): replays queued answers, records prompts."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from typing import Any


class FakeModel:
    """Answers are strings, exceptions (raised), or callables of the messages (an obedient model)."""

    def __init__(self, answers: list[Any] | None = None, default: Any = None, delay_s: float = 0.0,
                 name: str = "fake/scripted") -> None:
        self.name = name
        self.answers = list(answers or [])
        self.default = default
        self.delay_s = delay_s
        self.calls: list[list[dict[str, str]]] = []
        self._lock = threading.Lock()

    def complete(self, messages: list[dict[str, str]], *, json_schema: dict[str, Any] | None = None) -> str:
        with self._lock:
            self.calls.append(messages)
            answer = self.answers.pop(0) if self.answers else self.default
        if self.delay_s:
            time.sleep(self.delay_s)
        if isinstance(answer, BaseException):
            raise answer
        if callable(answer):
            answer = answer(messages)
        if answer is None:
            raise AssertionError("FakeModel ran out of answers")
        return answer if isinstance(answer, str) else json.dumps(answer, ensure_ascii=False)

    def prompts_text(self) -> str:
        return "\n".join(m["content"] for call in self.calls for m in call)


def by_prompt(answers: dict[str, Any]) -> Callable[[list[dict[str, str]]], str]:
    """An answer chosen by which prompt was sent (triage / reply / appeal), for whole-graph runs."""

    def pick(messages: list[dict[str, str]]) -> str:
        system = messages[0]["content"]
        key = "triage" if "分诊" in system else "appeal" if "申诉" in system else "reply"
        a = answers[key]
        a = a(messages) if callable(a) else a
        return a if isinstance(a, str) else json.dumps(a, ensure_ascii=False)

    return pick
