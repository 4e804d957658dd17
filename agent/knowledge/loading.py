"""How every knowledge file is read: strict models, safe YAML, errors that name the file and the field,
where each brand's files live, and the file-version key the loaders cache by.

A broken file fails with its path and the field at fault (`KnowledgeError`), never a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from agent.errors import UserError


class KnowledgeError(UserError):
    """A knowledge file is missing or malformed; the message names the file and the field."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# libyaml's loader parses the knowledge ~10x faster than the pure-Python one (it is on `draft`'s cold start).
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(path: Path) -> Any:
    """A knowledge YAML file, safely loaded; a missing or broken file is a KnowledgeError naming it."""
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER)
    except FileNotFoundError as e:
        raise KnowledgeError(f"{path}: file not found") from e
    except yaml.YAMLError as e:
        raise KnowledgeError(f"{path}: not valid YAML ({e})") from e


def validate(model: type[Strict], data: Any, path: Path) -> Any:
    """`data` as `model`; a KnowledgeError naming the file and the first field at fault."""
    try:
        return model.model_validate(data)
    except ValidationError as e:
        err = e.errors()[0]
        field = ".".join(str(p) for p in err["loc"]) or "(top level)"
        raise KnowledgeError(f"{path}: field '{field}': {err['msg']}") from e


def brands_dir(knowledge_dir: Path) -> Path:
    return knowledge_dir / "brands"


def known_brands(knowledge_dir: Path) -> list[str]:
    root = brands_dir(knowledge_dir)
    return sorted(p.name for p in root.iterdir() if (p / "brand.yaml").is_file()) if root.is_dir() else []


class UnknownBrandError(KnowledgeError):
    def __init__(self, brand: str, known: list[str]) -> None:
        super().__init__(f"unknown brand '{brand}'; known brands: {', '.join(known) or '(none)'}")


def brand_file(knowledge_dir: Path, brand: str, name: str = "brand.yaml") -> Path:
    return brands_dir(knowledge_dir) / brand / name


def file_version(path: Path) -> tuple[int, int]:
    """The key the loaders cache a file by: (mtime, size) re-reads a file edited while the desk runs, and
    reads it once per draft otherwise; (0, 0) for a missing file."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return (0, 0)
    return (st.st_mtime_ns, st.st_size)
