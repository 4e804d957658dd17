"""The layers import one way: an ast walk of agent/, ui/, evals/ and bench/ (imports inside functions and
under TYPE_CHECKING count too) fails on an import of a higher layer, on a cycle between agent packages, on
agent.cli imported from ui/, evals/ or bench/, and on ui/ reaching into more than three agent.review modules.

To add a package, add its prefix to LAYERS at the floor it belongs on (a package missing from the table fails).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ("agent", "ui", "evals", "bench")
CONTRACT = "agent.*"  # every module file directly in agent/ (config, errors, schemas, text, placeholders, ...)


class Layer(NamedTuple):
    name: str
    prefixes: tuple[str, ...]  # a module belongs to the layer of the longest prefix it starts with


# Bottom first: a module may import its own layer and the layers below it, never one above.
LAYERS: tuple[Layer, ...] = (
    Layer("contract", (CONTRACT,)),
    Layer("storage", ("agent.storage",)),  # the engine, the one migration history, the job queue
    Layer("cases", ("agent.cases",)),  # the appeal case model and its rules: pure, read by drafting and review
    Layer("sources, knowledge", ("agent.sources", "agent.knowledge")),
    Layer("triage", ("agent.triage",)),
    Layer("drafting", ("agent.drafting",)),
    Layer("planning", ("agent.planning",)),  # the package another branch is creating
    Layer("graph", ("agent.graph",)),
    Layer("review: queue store", ("agent.review.store",)),
    Layer("review: team", ("agent.review.team",)),
    Layer("review: case work", ("agent.review.casework",)),
    Layer("review: views", ("agent.review.views",)),
    Layer("review: alerts", ("agent.review.alerts",)),
    Layer("review: service, jobs, the ui facade", ("agent.review",)),
    Layer("entry points", ("agent.cli", "ui", "evals", "bench")),
)
NO_CLI_FROM = ("ui", "evals", "bench")  # agent.cli is the command line; nothing imports it
MAX_REVIEW_MODULES_FROM_UI = 3


class Import(NamedTuple):
    source: str  # the importing module
    target: str  # the imported module (a package's __init__ when a name is taken from it)
    line: int


def modules(root: Path) -> dict[str, Path]:
    """Dotted name -> file, for every .py file under the scanned folders."""
    found = {}
    for top in SCANNED:
        for path in sorted((root / top).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def imports(root: Path) -> Iterator[Import]:
    """Every import between scanned modules, wherever it sits in the file."""
    known = modules(root)
    for name, path in known.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:  # relative: from the importing module's package up
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*up, base] if base else up)
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
            for target in targets:
                while target and target not in known:  # `import a.b.c` of a name: the module holding it
                    target = target.rpartition(".")[0]
                if target and target != name:
                    yield Import(name, target, node.lineno)


def unit_of(module: str, root: Path) -> str:
    """The LAYERS prefix a module belongs to; CONTRACT for a file directly in agent/; '' when unlisted."""
    best = ""
    for layer in LAYERS:
        for prefix in layer.prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > len(best):
                best = prefix
    is_contract_file = module.count(".") == 1 and (root / "agent" / f"{module.split('.')[1]}.py").is_file()
    if module == "agent" or (is_contract_file and not best):
        return CONTRACT
    return best


def floor(unit: str) -> int:
    return next(i for i, layer in enumerate(LAYERS) if unit in layer.prefixes)


def upward_imports(root: Path) -> list[str]:
    problems = []
    for imp in imports(root):
        src, dst = unit_of(imp.source, root), unit_of(imp.target, root)
        for module, unit in ((imp.source, src), (imp.target, dst)):
            if not unit:
                problems.append(f"{module}: not in LAYERS (add its package to the table)")
        if src and dst and floor(dst) > floor(src):
            problems.append(f"{imp.source}:{imp.line} imports {imp.target}, a higher layer "
                            f"({LAYERS[floor(dst)].name} above {LAYERS[floor(src)].name})")
    return sorted(set(problems))


def package_cycles(root: Path) -> list[str]:
    """Cycles between agent packages (the LAYERS units inside agent/, the contract's files left out)."""
    graph: dict[str, set[str]] = {}
    for imp in imports(root):
        src, dst = unit_of(imp.source, root), unit_of(imp.target, root)
        if src != dst and all(u.startswith("agent.") and u != CONTRACT for u in (src, dst)):
            graph.setdefault(src, set()).add(dst)
    cycles = set()
    for start in graph:
        stack: list[tuple[str, list[str]]] = [(start, [start])]
        while stack:
            node, path = stack.pop()
            for nxt in graph.get(node, ()):
                if nxt == start:
                    cycles.add(" -> ".join(path + [start]))
                elif nxt not in path and nxt > start:  # each cycle once, from its smallest unit
                    stack.append((nxt, path + [nxt]))
    return sorted(cycles)


def cli_imports(root: Path) -> list[str]:
    return sorted(f"{i.source}:{i.line} imports {i.target}" for i in imports(root)
                  if i.source.split(".")[0] in NO_CLI_FROM and (i.target + ".").startswith("agent.cli."))


def review_modules_from_ui(root: Path) -> set[str]:
    return {i.target for i in imports(root) if i.source.split(".")[0] == "ui" and i.target.startswith("agent.review")}


# --- the code base ------------------------------------------------------------------------------------

def test_no_import_runs_up_a_layer() -> None:
    assert upward_imports(ROOT) == []


def test_no_cycle_between_agent_packages() -> None:
    assert package_cycles(ROOT) == []


def test_nothing_imports_the_command_line() -> None:
    assert cli_imports(ROOT) == []


def test_ui_talks_to_the_desk_through_at_most_three_modules() -> None:
    used = review_modules_from_ui(ROOT)
    assert len(used) <= MAX_REVIEW_MODULES_FROM_UI, sorted(used)


# --- the checks themselves, on a tiny tree that breaks each rule ---------------------------------------

def _tree(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for top in SCANNED:
        (root / top).mkdir(exist_ok=True)
    return root


def test_an_upward_import_inside_a_function_fails(tmp_path: Path) -> None:
    root = _tree(tmp_path, {
        "agent/__init__.py": "", "agent/errors.py": "",
        "agent/triage/__init__.py": "", "agent/drafting/__init__.py": "", "agent/drafting/llm.py": "",
        "agent/triage/rules.py": "from agent import errors\n\ndef f():\n    from agent.drafting.llm import x\n",
    })
    assert upward_imports(root) == [
        "agent.triage.rules:4 imports agent.drafting.llm, a higher layer (drafting above triage)"]


def test_a_cycle_between_packages_fails(tmp_path: Path) -> None:
    root = _tree(tmp_path, {
        "agent/__init__.py": "", "agent/sources/__init__.py": "", "agent/knowledge/__init__.py": "",
        "agent/sources/a.py": "import agent.knowledge.b\n", "agent/knowledge/b.py": "from agent.sources import a\n",
    })
    assert upward_imports(root) == []  # one layer: only the cycle is wrong
    assert package_cycles(root) == ["agent.knowledge -> agent.sources -> agent.knowledge"]


def test_an_import_of_the_cli_from_evals_fails_and_unlisted_packages_are_named(tmp_path: Path) -> None:
    root = _tree(tmp_path, {
        "agent/__init__.py": "", "agent/cli/__init__.py": "", "agent/cli/io.py": "",
        "agent/newpkg/__init__.py": "", "evals/runner.py": "from agent.cli.io import read\n",
        "ui/page.py": "from agent.newpkg import x\n",
    })
    assert cli_imports(root) == ["evals.runner:1 imports agent.cli.io"]
    assert upward_imports(root) == ["agent.newpkg: not in LAYERS (add its package to the table)"]


def test_ui_reaching_into_four_review_modules_is_counted(tmp_path: Path) -> None:
    files = {"agent/__init__.py": "", "agent/review/__init__.py": ""}
    files |= {f"agent/review/m{i}.py": "" for i in range(4)}
    files["ui/page.py"] = "".join(f"from agent.review.m{i} import x\n" for i in range(4))
    assert len(review_modules_from_ui(_tree(tmp_path, files))) == 4
