"""docs/contract.md, written from the pydantic models of agent.schemas: the JSON contract in words.

The page lists the output record (`redreply draft --json`, each line of `redreply batch --out`) and the
input line, field by field with the type and description the models declare, the enumerations with their
values, and an example record built from the schema and validated by the model. `redreply contract`
writes it; `redreply contract --check` and a test fail when the page and the models differ.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode

from agent.contract_notes import FIELD_NOTES
from agent.enums import VIOLATION_LABELS
from agent.schemas import CommentIn, DraftResult

CONTRACT_PATH = Path(__file__).resolve().parent.parent / "docs" / "contract.md"

_INTRO = """\
# The JSON contract

<!-- Written by `redreply contract` from the pydantic models in agent/schemas.py; do not edit by hand. -->

`redreply draft "…" --json` prints one record; `redreply batch FILE --out drafts.jsonl` writes one record
per line. Each record is a `DraftResult`, described below field by field, then the enumerations its fields
take their values from, then the input line RedReply reads. A field marked *optional* may be `null` or
missing from the input; the output always holds every field. The names are stable: the evals, the review
queue and the exports use the same ones. `redreply contract --check` tells whether this page still matches
the models.
"""




def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def _type(prop: dict[str, Any]) -> str:
    """A JSON-schema property as a short type: `string`, `Triage`, `list of SourceRef`, `Source | null`."""
    if "$ref" in prop:
        return f"[{_ref_name(prop['$ref'])}](#{_ref_name(prop['$ref']).lower()})"
    if "anyOf" in prop:
        return " or ".join(_type(p) for p in prop["anyOf"])
    if "enum" in prop:
        return "one of " + ", ".join(f"`{v}`" for v in prop["enum"])
    if "const" in prop:
        return f"`{prop['const']}`"
    kind = prop.get("type")
    if kind == "array":
        return "list of " + _type(prop.get("items", {}))
    if kind == "object":
        extra = prop.get("additionalProperties")
        return "object of " + _type(extra) if isinstance(extra, dict) else "object"
    return str(kind or "any")


def _bounds(prop: dict[str, Any]) -> str:
    names = {"minimum": "≥", "maximum": "≤", "exclusiveMinimum": ">", "minLength": "length ≥", "maxLength": "length ≤"}
    found = [f"{sign} {prop[k]}" for k, sign in names.items() if k in prop]
    for branch in prop.get("anyOf", []):
        found += [f"{sign} {branch[k]}" for k, sign in names.items() if k in branch]
    return ", ".join(found)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _model_table(name: str, schema: dict[str, Any], required_always: bool) -> list[str]:
    lines = [f"### {name}", ""]
    if schema.get("description"):
        lines += [" ".join(schema["description"].split()), ""]
    lines += ["| field | type | required, default, bounds | description |", "| --- | --- | --- | --- |"]
    required = set(schema.get("required", []))
    for field, prop in schema.get("properties", {}).items():
        if required_always or field in required:
            need = "required" if field in required else ""
        else:
            need = "optional"
        if "default" in prop and prop["default"] not in (None, [], {}):
            need = (need + f", default `{json.dumps(prop['default'], ensure_ascii=False)}`").lstrip(", ")
        bounds = _bounds(prop)
        need = ", ".join(x for x in (need, bounds) if x)
        note = prop.get("description") or FIELD_NOTES.get(f"{name}.{field}", "")
        lines.append(f"| `{field}` | {_cell(_type(prop))} | {_cell(need)} | {_cell(note)} |")
    return lines + [""]


def _defs_in_order(schema: dict[str, Any]) -> list[str]:
    """The models a schema refers to, in the order a reader meets them (depth first from the top)."""
    defs = schema.get("$defs", {})
    seen: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "$ref" in node:
                name = _ref_name(node["$ref"])
                if name not in seen:
                    seen.append(name)
                    walk(defs.get(name, {}))
            for key, value in node.items():
                if key != "$defs":
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk({k: v for k, v in schema.items() if k != "$defs"})
    return seen


def _is_enum(schema: dict[str, Any]) -> bool:
    return "enum" in schema and "properties" not in schema


def _inline_enums(schema: dict[str, Any], owner: str) -> list[tuple[str, list[Any]]]:
    out = []
    for field, prop in schema.get("properties", {}).items():
        for branch in [prop, *prop.get("anyOf", []), prop.get("items", {})]:
            if "enum" in branch:
                out.append((f"{owner}.{field}", branch["enum"]))
    return out


def _example(prop: dict[str, Any], defs: dict[str, Any], name: str = "value") -> Any:
    """A value of the schema `prop`: defaults where they say something, the first enum value, one list item."""
    if "$ref" in prop:
        return _example(defs[_ref_name(prop["$ref"])], defs, name)
    if "anyOf" in prop:
        branch = next((b for b in prop["anyOf"] if b.get("type") != "null"), prop["anyOf"][0])
        return _example(branch, defs, name)
    kind = prop.get("type")
    if kind == "object" and "properties" in prop:
        return {k: _example(v, defs, k) for k, v in prop["properties"].items()}
    if "default" in prop and prop["default"] not in (None, [], {}, ""):
        return prop["default"]
    if "enum" in prop:
        return prop["enum"][0]
    if "const" in prop:
        return prop["const"]
    if kind == "array":
        return [_example(prop.get("items", {}), defs, name)]
    if kind == "object":
        return {"key": _example(prop.get("additionalProperties") or {"type": "string"}, defs, name)}
    if kind == "integer":
        return int(prop.get("minimum", 0))
    if kind == "number":
        return float(prop.get("maximum", 1)) if "maximum" in prop else 0.5
    if kind == "boolean":
        return False
    return f"<{name}>"


def example_record() -> dict[str, Any]:
    """A DraftResult built from its schema alone, checked by the model itself."""
    schema = DraftResult.model_json_schema(mode="serialization")
    record = _example(schema, schema.get("$defs", {}))
    return DraftResult.model_validate(record).model_dump(mode="json")


def _section(title: str, intro: str, model: type[BaseModel], mode: JsonSchemaMode, required_always: bool,
             described: set[str]) -> list[str]:
    """The model's table and those of the models it holds, each once on the page (`described` grows)."""
    schema = model.model_json_schema(mode=mode)
    defs = schema.get("$defs", {})
    lines = [f"## {title}", "", intro, ""]
    lines += _model_table(model.__name__, schema, required_always)
    again = [n for n in _defs_in_order(schema) if not _is_enum(defs[n]) and n in described]
    if again:
        lines += ["Described above: " + ", ".join(f"[{n}](#{n.lower()})" for n in again) + ".", ""]
    for name in _defs_in_order(schema):
        if not _is_enum(defs[name]) and name not in described:
            described.add(name)
            lines += _model_table(name, defs[name], required_always)
    return lines


def _enumerations() -> list[str]:
    lines = ["## Enumerations", ""]
    seen: dict[str, list[Any]] = {}
    modes: tuple[tuple[type[BaseModel], JsonSchemaMode], ...] = (
        (DraftResult, "serialization"), (CommentIn, "validation"))
    for model, mode in modes:
        schema = model.model_json_schema(mode=mode)
        defs = schema.get("$defs", {})
        for name in _defs_in_order(schema):
            if _is_enum(defs[name]):
                seen.setdefault(name, defs[name]["enum"])
        for owner, definition in [(model.__name__, schema), *((n, defs[n]) for n in _defs_in_order(schema))]:
            for where, values in _inline_enums(definition, owner):
                seen.setdefault(f"{where}", values)
    labels = {v.value: label for v, label in VIOLATION_LABELS.items()}
    for name, values in seen.items():
        lines += [f"### {name}", ""]
        if name == "Violation":
            lines += ["Each violation with the report reason the platform's report sheet shows:", ""]
            lines += [f"- `{v}`: {labels.get(v, '')}" for v in values]
        else:
            lines += ["- " + ", ".join(f"`{v}`" for v in values)]
        lines.append("")
    return lines


def render() -> str:
    lines = [_INTRO]
    described: set[str] = set()
    lines += _section("The output record", "One record per comment: the triage, the evidence, the plan, the "
                      "drafted reply and appeal, the checks and the cited sources, and who wrote what.",
                      DraftResult, "serialization", required_always=True, described=described)
    lines += _enumerations()
    lines += _section("The input line", "One comment per line of a JSON Lines file (or one row of a CSV "
                      "with these columns) in RedReply's own shape; `redreply draft` builds one from its "
                      "argument. Fields the model does not know are ignored; crawler exports are read by "
                      "their own shapes (see [imports.md](imports.md)).",
                      CommentIn, "validation", required_always=False, described=described)
    lines += ["## An example record", "",
              "Built from the schema alone (each default, else the first value of each enumeration, one item per "
              "list, a placeholder for each text) and validated by `DraftResult`. For a real one, run "
              "`redreply draft \"等了十天还没收到货\" --brand glowskin --json`.", "", "```json",
              json.dumps(example_record(), ensure_ascii=False, indent=2), "```", ""]
    return "\n".join(lines)


def differs(path: Path = CONTRACT_PATH) -> bool:
    return not path.exists() or path.read_text(encoding="utf-8") != render()


def write(path: Path = CONTRACT_PATH) -> None:
    path.write_text(render(), encoding="utf-8")
