"""The field types of the wording files' models: a list of alternatives compiled into one pattern, a list of
words, and the strict base every wording file's model extends."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import PlainValidator

from agent.knowledge.loading import Strict


def _compile(value: Any) -> re.Pattern[str]:
    """One pattern from a regular expression, or from a list of alternatives joined with "|"."""
    if isinstance(value, list) and value and all(isinstance(v, str) and v for v in value):
        value = "|".join(value)
    if not isinstance(value, str) or not value:
        raise ValueError("expected a pattern or a non-empty list of alternatives")
    try:
        return re.compile(value)
    except re.error as e:
        raise ValueError(f"does not compile: {e}") from None


def _words(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
        raise ValueError("expected a non-empty list of words")
    return tuple(value)


Pattern = Annotated[re.Pattern[str], PlainValidator(_compile)]
Words = Annotated[tuple[str, ...], PlainValidator(_words)]


class _Wording(Strict):
    """A wording file: unknown keys are errors (extra='forbid'), so a misspelt list is never silently unused."""
