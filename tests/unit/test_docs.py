"""README.md and docs/ are a user's manual: short, about the product, and true to the code.

- README.md is at most 200 lines and starts with the two commands;
- no development-journal words in README.md or docs/*.md (JOURNAL lists the patterns);
- every relative link resolves to a file in the repository (and a #heading of a page, to a heading in it);
- every `redreply COMMAND [ACTION]` they name exists in the CLI's parser.
"""

import argparse
import re
from pathlib import Path

import pytest

from agent.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
PAGES = [README, *sorted((ROOT / "docs").glob("*.md"))]

# What a journal says and a manual does not: working sessions, issue numbers, the people who helped,
# dated runs and "today's" figures, commit hashes, and paths outside the repository.
JOURNAL = {
    "a working session": re.compile(r"\bsessions?\b", re.IGNORECASE),
    "an issue number": re.compile(r"\bissues?\s*#?\d+|(?<![\w&])#\d+\b", re.IGNORECASE),
    "a helper": re.compile(r"\bhelpers?\b", re.IGNORECASE),
    "a date": re.compile(r"\b20\d\d-\d\d-\d\d\b"),
    "today's figures": re.compile(r"\btoday's\b|\bthis (?:run|week)\b", re.IGNORECASE),
    "a commit hash": re.compile(r"\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7,40}\b"),
    "a path outside the repository": re.compile(r"\.\./shared|\bshared/(?:design|style)\.md|\.\./\.\./"),
}
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
COMMAND = re.compile(r"\bredreply ([a-z][a-z_-]*)(?: ([a-z][a-z_-]*))?")


def _text(page: Path) -> str:
    return page.read_text(encoding="utf-8")


def _slug(heading: str) -> str:
    """A heading's anchor as GitHub writes it."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _anchors(page: Path) -> set[str]:
    return {_slug(m.group(1)) for m in re.finditer(r"^#{1,6} (.+)$", _text(page), re.MULTILINE)}


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def test_readme_is_short_and_starts_with_the_two_commands():
    text = _text(README)
    assert len(text.splitlines()) <= 200
    first_block = text.split("```")[1]
    assert "make run" in first_block and "make test" in first_block
    assert text.index("make run") < text.index("## ")


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_no_journal_words(page):
    found = [(what, m.group(0), _text(page)[:m.start()].count("\n") + 1)
             for what, pattern in JOURNAL.items() for m in pattern.finditer(_text(page))]
    assert not found, f"{page.name}: " + "; ".join(f"line {line}: {what} ({s!r})" for what, s, line in found)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_relative_link_resolves(page):
    broken = []
    for target in LINK.findall(_text(page)):
        if re.match(r"[a-z]+:", target):
            continue  # http(s), mailto
        path, _, anchor = target.partition("#")
        file = (page.parent / path).resolve() if path else page
        inside = file == ROOT or ROOT in file.parents
        if not inside or not file.exists():
            broken.append(target)
        elif anchor and file.suffix == ".md" and anchor not in _anchors(file):
            broken.append(target)
    assert not broken, f"{page.name}: {broken}"


def test_the_journal_patterns_catch_what_they_should():
    caught = ["the fifth session of the day", "issue 14", "see #21", "a helper who judged them",
              "run on 2026-12-05", "today's figures", "before (f56e5af)", "../shared/data", "shared/design.md"]
    for text in caught:
        assert any(p.search(text) for p in JOURNAL.values()), text
    for text in ["房&#38388;", "REDREPLY_SESSION_HOURS", "severity 3", "#triage", "AMD EPYC", "decade"]:
        assert not any(p.search(text) for p in JOURNAL.values()), text


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_command_named_exists(page):
    commands = _subcommands(build_parser())
    missing = []
    for name, action in COMMAND.findall(_text(page)):
        if name not in commands:
            missing.append(name)
            continue
        actions = _subcommands(commands[name])
        if action and actions and action not in actions:
            missing.append(f"{name} {action}")
    assert not missing, f"{page.name}: {missing}"


def test_the_manual_has_its_pages():
    for name in ["desk", "imports", "models", "cases", "alerts", "evals", "benchmarks", "operations",
                 "contract", "architecture"]:
        assert (ROOT / "docs" / f"{name}.md").exists(), name
        assert f"docs/{name}.md" in _text(README), name


def test_make_run_takes_a_port():
    import shutil
    import subprocess

    if not shutil.which("make"):
        pytest.skip("no make")
    out = subprocess.run(["make", "-n", "run", "PORT=8600"], cwd=ROOT, capture_output=True, text=True).stdout
    assert "ui --demo --port 8600" in out
    out = subprocess.run(["make", "-n", "run"], cwd=ROOT, capture_output=True, text=True).stdout
    assert "ui --demo --port 8501" in out
