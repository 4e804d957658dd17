"""Runs of words a draft shares with another text (the comment, a clause of it, an earlier reply): what the echo
checks of every drafter compare."""

from __future__ import annotations

import re

_NON_WORD = re.compile(r"[\s\W_]+", re.U)


def squashed(text: str) -> str:
    """The text without spaces and punctuation: how runs of shared words are compared."""
    return _NON_WORD.sub("", text)


def common_runs(reply: str, comment: str, n: int = 5) -> list[str]:
    """Maximal runs of ≥ n characters (punctuation and spaces ignored) of the reply found in the comment
    (both already folded); the model's checks (agent.drafting.model_checks) use it too."""
    reply, comment = squashed(reply), squashed(comment)
    runs, i = [], 0
    while i <= len(reply) - n:
        if reply[i:i + n] in comment:
            j = i + n
            while j < len(reply) and reply[i:j + 1] in comment:
                j += 1
            runs.append(reply[i:j])
            i = j
        else:
            i += 1
    return runs
