"""`--write-docs` for the bench scripts: their printed figures go into their own section of docs/benchmarks.md.

A section lies between `<!-- bench:NAME:start -->` and `<!-- bench:NAME:end -->`; only what is between
the two markers is replaced, so the rest of the page (its prose, the other sections) stays as written.
The section holds the command that produced the figures, the machine it ran on and what the script printed.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import re
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"


def markers(name: str) -> tuple[str, str]:
    return f"<!-- bench:{name}:start -->", f"<!-- bench:{name}:end -->"


def replace_section(text: str, name: str, body: str) -> str:
    """`text` with what lies between NAME's two markers replaced by `body` (markers kept)."""
    start, end = markers(name)
    i, j = text.find(start), text.find(end)
    if i < 0 or j < 0 or j < i or text.count(start) != 1 or text.count(end) != 1:
        raise ValueError(f"the page needs exactly one {start} followed by one {end}")
    return text[: i + len(start)] + "\n" + body.strip("\n") + "\n" + text[j:]


def _cpu_model(cpuinfo: str) -> str:
    found = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.MULTILINE)
    return found.group(1).strip() if found else platform.processor() or platform.machine()


def _memory_gib(meminfo: str) -> float | None:
    found = re.search(r"^MemTotal:\s*(\d+)\s*kB", meminfo, re.MULTILINE)
    return int(found.group(1)) / 1024 / 1024 if found else None


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def machine() -> str:
    """Cores, CPU model, memory and Python version of this machine, in one line."""
    memory = _memory_gib(_read("/proc/meminfo"))
    parts = [f"{os.cpu_count()} cores", _cpu_model(_read("/proc/cpuinfo"))]
    parts += [f"{memory:.1f} GiB memory"] if memory is not None else []
    parts += [f"Python {platform.python_version()}"]
    return ", ".join(parts)


def command(script: str, argv: Sequence[str]) -> str:
    """How the figures were produced, without the --write-docs flag itself."""
    return " ".join(["python", f"bench/{Path(script).name}", *(a for a in argv if a != "--write-docs")])


def section(cmd: str, where: str, output: str, load: float | None = None) -> str:
    load_note = f" (load average {load:.2f} when it started)" if load is not None else ""
    return (f"Command: `{cmd}`  \nMachine: {where}{load_note}\n\n```text\n{output.rstrip()}\n```")


def add_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--write-docs", action="store_true",
                        help="also write the figures into this script's section of docs/benchmarks.md")


class _Tee(io.TextIOBase):
    def __init__(self, out: TextIO) -> None:
        self.out, self.buffer_ = out, io.StringIO()

    def write(self, s: str) -> int:
        self.buffer_.write(s)
        return self.out.write(s)

    def flush(self) -> None:
        self.out.flush()


@contextmanager
def publish(name: str, enabled: bool, doc: Path = DOC) -> Iterator[None]:
    """Run the block; if enabled and it ends normally, write what it printed into NAME's section of `doc`."""
    if not enabled:
        yield
        return
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    tee = _Tee(sys.stdout)
    sys.stdout = tee
    try:
        yield
    finally:
        sys.stdout = tee.out
    body = section(command(sys.argv[0], sys.argv[1:]), machine(), tee.buffer_.getvalue(), load)
    doc.write_text(replace_section(doc.read_text(encoding="utf-8"), name, body), encoding="utf-8")
    print(f"wrote the {name} section of {doc.relative_to(ROOT) if doc.is_relative_to(ROOT) else doc}")
