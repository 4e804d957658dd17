"""The wording files (knowledge/wording/*.yaml): every list is read by the code, and a broken file fails
at load with one line naming the file and the key."""

import ast
import inspect
import re
from functools import cached_property
from pathlib import Path

import pytest
import yaml

from agent.config import PROJECT_ROOT
from agent.knowledge import wording
from agent.knowledge.loading import KnowledgeError

AGENT = PROJECT_ROOT / "agent"
LOADER = AGENT / "knowledge" / "wording.py"



# Each file's cached accessor (wording.praise → Praise): a field counts as read only through its own file's
# accessor, so a field that shares a name with something else (Features.first_hand) is not taken as read.
_MODELS = {model.__name__: model for model in wording.FILES.values()}
ACCESSORS: dict[str, type[wording._Wording]] = {
    name: _MODELS[fn.__annotations__["return"]] for name, fn in vars(wording).items()
    if inspect.isfunction(fn) and fn.__annotations__.get("return") in _MODELS}


def _accessor(node: ast.expr, aliases: dict[str, str]) -> str | None:
    """The accessor a call is to (`praise()`, `praise_words()` imported as it, `wording.praise()`), if any."""
    if not isinstance(node, ast.Call):
        return None
    f = node.func
    if isinstance(f, ast.Name):
        return aliases.get(f.id)
    if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id == "wording":
        return f.attr if f.attr in ACCESSORS else None
    return None


def _reads(path: Path) -> set[tuple[type, str]]:
    """(model, name) for every `accessor().name`, `words.name` (words = accessor()) and, in a model's own
    class, `self.name` in one source file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    aliases = {a.asname or a.name: a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)
               and n.module == "agent.knowledge.wording" for a in n.names if a.name in ACCESSORS}
    reads = {(ACCESSORS[acc], n.attr) for n in ast.walk(tree)
             if isinstance(n, ast.Attribute) and (acc := _accessor(n.value, aliases))}
    for fn in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)):
        # `words = praise()` in one function, `words = turns()` in another: names are bound per function.
        bound = {t.id: acc for n in ast.walk(fn) if isinstance(n, ast.Assign)
                 and (acc := _accessor(n.value, aliases)) for t in n.targets if isinstance(t, ast.Name)}
        reads |= {(ACCESSORS[bound[n.value.id]], n.attr) for n in ast.walk(fn) if isinstance(n, ast.Attribute)
                  and isinstance(n.value, ast.Name) and n.value.id in bound}
    for n in ast.walk(tree):
        if isinstance(n, ast.ClassDef) and n.name in {m.__name__ for m in ACCESSORS.values()}:
            model = next(m for m in ACCESSORS.values() if m.__name__ == n.name)
            reads |= {(model, a.attr) for a in ast.walk(n) if isinstance(a, ast.Attribute)
                      and isinstance(a.value, ast.Name) and a.value.id == "self"}
    return reads


def _compounds(model: type[wording._Wording]) -> list[str]:
    """The patterns a model builds from its fields (its cached properties)."""
    return [name for name, v in vars(model).items() if isinstance(v, cached_property)]


def test_every_wording_file_has_a_model_accessor_and_loads():
    on_disk = sorted(p.name for p in wording.WORDING_DIR.glob("*.yaml"))
    assert on_disk == sorted(wording.FILES)
    assert sorted(m.__name__ for m in ACCESSORS.values()) == sorted(m.__name__ for m in wording.FILES.values())
    for name, model in wording.FILES.items():
        loaded = wording.load_wording(model, wording.WORDING_DIR / name)
        for compound in _compounds(model):
            getattr(loaded, compound)  # a compound of valid parts compiles too


@pytest.mark.parametrize("name", sorted(wording.FILES))
def test_every_field_and_compound_is_read_by_the_code(name):
    model = wording.FILES[name]
    sources = sorted(AGENT.rglob("*.py"))
    everywhere = set().union(*(_reads(p) for p in sources))
    outside = set().union(*(_reads(p) for p in sources if p != LOADER))
    unread = [f for f in model.model_fields if (model, f) not in everywhere]
    assert not unread, f"{name}: no code reads {unread}: use them or take them out"
    # A field read only inside the loader feeds a compound; the compound itself must be read elsewhere.
    unread_compounds = [c for c in _compounds(model) if (model, c) not in outside]
    assert not unread_compounds, f"{name}: no code reads {unread_compounds}"


def test_the_accessors_read_each_file_once():
    assert wording.praise() is wording.praise()
    assert wording.quoting() is wording.quoting()


def _broken_copy(tmp_path: Path, name: str, key: str, value: object) -> Path:
    data = yaml.safe_load((wording.WORDING_DIR / name).read_text(encoding="utf-8"))
    data[key] = value
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _one_line_error(path: Path, model: type[wording._Wording], key: str) -> str:
    with pytest.raises(KnowledgeError) as e:
        wording.load_wording(model, path)
    message = str(e.value)
    assert "\n" not in message
    assert str(path) in message and f"'{key}" in message
    return message


def test_an_unknown_key_fails_naming_the_file_and_the_key(tmp_path):
    path = _broken_copy(tmp_path, "questions.yaml", "asks_whom", ["请问"])
    assert "Extra inputs are not permitted" in _one_line_error(path, wording.Questions, "asks_whom")


@pytest.mark.parametrize("value", [["请问", "可以.{0,12}[吗么嘛"], "(?:如果"])
def test_a_pattern_that_does_not_compile_fails_naming_the_file_and_the_key(tmp_path, value):
    path = _broken_copy(tmp_path, "questions.yaml", "asks_how", value)
    assert "does not compile" in _one_line_error(path, wording.Questions, "asks_how")


def test_an_empty_list_or_a_missing_key_fails(tmp_path):
    _one_line_error(_broken_copy(tmp_path, "people.yaml", "brand_people", []), wording.People, "brand_people")
    data = yaml.safe_load((wording.WORDING_DIR / "turns.yaml").read_text(encoding="utf-8"))
    del data["summing_up"]
    path = tmp_path / "turns.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    _one_line_error(path, wording.Turns, "summing_up")


def test_a_list_is_its_items_as_alternatives_in_order():
    asks = wording.questions().asks_how
    raw = yaml.safe_load((wording.WORDING_DIR / "questions.yaml").read_text(encoding="utf-8"))["asks_how"]
    assert asks.pattern == "|".join(raw)
    assert wording.privacy().own_contact.flags & re.I  # (?i) written in the file


def test_every_source_rule_has_its_rationale_and_the_notes_fill():
    from agent.triage.rules import SOURCE_RULES

    words = wording.rationales()
    assert sorted(words.sources) == sorted([name for name, _, _ in SOURCE_RULES] + ["fallback"])
    assert "{" not in words.source_overruled.format(model="praise", source="complaint", why="…")
    assert "{" not in words.violations_dropped.format(dropped="abuse")
