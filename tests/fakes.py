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
        self.schemas: list[str | None] = []  # the name of what each call asked for (TriageOut, DraftOut)
        self._lock = threading.Lock()

    def complete(self, messages: list[dict[str, str]], *, json_schema: dict[str, Any] | None = None) -> str:
        with self._lock:
            self.calls.append(messages)
            self.schemas.append((json_schema or {}).get("title"))
            answer = self.answers.pop(0) if self.answers else self.default
        if self.delay_s:
            time.sleep(self.delay_s)
        if isinstance(answer, BaseException):
            raise answer
        if callable(answer):
            answer = answer(messages, json_schema) if getattr(answer, "wants_schema", False) else answer(messages)
        if answer is None:
            raise AssertionError("FakeModel ran out of answers")
        return answer if isinstance(answer, str) else json.dumps(answer, ensure_ascii=False)

    def prompts_text(self) -> str:
        return "\n".join(m["content"] for call in self.calls for m in call)


# What each structured call asks for, by the name of its answer's model: stable when prompts are reworded.
ANSWER_KINDS = {"TriageOut": "triage", "DraftOut": "draft", "RungOut": "rung"}


def by_prompt(answers: dict[str, Any]) -> Callable[..., str]:
    """An answer chosen by what the call asks for ("triage", "draft" or "rung"), for whole-graph runs."""

    def pick(messages: list[dict[str, str]], json_schema: dict[str, Any] | None = None) -> str:
        key = ANSWER_KINDS.get((json_schema or {}).get("title", ""), "draft")
        a = answers[key]
        a = a(messages) if callable(a) else a
        return a if isinstance(a, str) else json.dumps(a, ensure_ascii=False)

    pick.wants_schema = True  # type: ignore[attr-defined]
    return pick
