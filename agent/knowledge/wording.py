"""The wording files (knowledge/wording/*.yaml): the Chinese words and phrase patterns the triage and the
offline drafter read, one file per subject, each with its typed model.

A list of alternatives in a file is one regular expression ("a|b|c"), compiled when the file loads: a
pattern that does not compile, or a key the model does not know, fails at once with the file and the key
(`KnowledgeError`). Each file is read once per process (the accessors are cached), never per comment.
The words belong to the language and the code that reads them, not to a deployment, so they are read
from the project's own knowledge/ folder (where `Settings.knowledge_dir` points by default) with no
settings at hand; the lexicons stay in `lexicons.yaml` under whichever knowledge folder the settings
name, so a deployment still overrides those (`agent.triage.signals.lexicons_for`).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TypeVar

from agent.config import PROJECT_ROOT
from agent.knowledge.loading import load_yaml, validate
from agent.knowledge.wording_appeals import Appeals
from agent.knowledge.wording_models import (
    Experience,
    Extortion,
    People,
    Praise,
    Privacy,
    Questions,
    Quoting,
    Rationales,
    Replies,
    Sections,
    Trades,
    Turns,
    Variety,
    _Wording,
)

WORDING_DIR = PROJECT_ROOT / "knowledge" / "wording"


W = TypeVar("W", bound=_Wording)


def load_wording(model: type[W], path: Path) -> W:
    """One wording file, validated: a missing file, an unknown key or a broken pattern is a KnowledgeError."""
    return validate(model, load_yaml(path), path)  # type: ignore[no-any-return]


# Every file and its model: the test loads each and checks each field is read by the code.
FILES: dict[str, type[_Wording]] = {
    "praise.yaml": Praise, "turns.yaml": Turns, "questions.yaml": Questions, "people.yaml": People,
    "experience.yaml": Experience, "extortion.yaml": Extortion, "privacy.yaml": Privacy,
    "quoting.yaml": Quoting, "replies.yaml": Replies, "appeals.yaml": Appeals,
    "rationales.yaml": Rationales, "sections.yaml": Sections, "variety.yaml": Variety,
    "trades.yaml": Trades,
}
_FILE_OF = {model: name for name, model in FILES.items()}


@cache
def _load(model: type[W]) -> W:
    """A wording file read once per process: the triage reads these per comment, so a call costs a lookup."""
    return load_wording(model, WORDING_DIR / _FILE_OF[model])


def praise() -> Praise:
    return _load(Praise)


def turns() -> Turns:
    return _load(Turns)


def questions() -> Questions:
    return _load(Questions)


def people() -> People:
    return _load(People)


def experience() -> Experience:
    return _load(Experience)


def extortion() -> Extortion:
    return _load(Extortion)


def privacy() -> Privacy:
    return _load(Privacy)


def sections() -> Sections:
    return _load(Sections)


def trades() -> Trades:
    return _load(Trades)


def quoting() -> Quoting:
    return _load(Quoting)


def replies() -> Replies:
    return _load(Replies)


def appeals() -> Appeals:
    return _load(Appeals)


def rationales() -> Rationales:
    return _load(Rationales)


def variety() -> Variety:
    return _load(Variety)
