"""docs/contract.md is written from agent/schemas.py: it fails here when the two differ."""

import json

from agent.cli import main
from agent.contract_doc import CONTRACT_PATH, differs, example_record, render
from agent.schemas import CommentIn, DraftResult, Escalation, Source, Strategy, Violation


def test_the_page_matches_the_models():
    assert not differs(), "docs/contract.md differs from agent/schemas.py: run `redreply contract`"


def test_every_field_and_enum_value_is_on_the_page():
    page = render()
    for model in (DraftResult, CommentIn):
        for name in model.model_fields:
            assert f"| `{name}` |" in page, name
    for enum in (Source, Violation, Strategy, Escalation):
        for value in enum:
            assert f"`{value.value}`" in page, value


def test_the_example_is_a_valid_record_and_on_the_page():
    record = example_record()
    assert DraftResult.model_validate(record).id == record["id"]
    assert json.dumps(record, ensure_ascii=False, indent=2) in render()


def test_check_exits_1_when_the_file_differs(tmp_path, capsys):
    out = tmp_path / "contract.md"
    assert main(["contract", "--check", "--out", str(out)]) == 1           # missing
    assert main(["contract", "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == CONTRACT_PATH.read_text(encoding="utf-8")
    assert main(["contract", "--check", "--out", str(out)]) == 0
    out.write_text(out.read_text(encoding="utf-8").replace("`rumor`", "`gossip`"), encoding="utf-8")
    assert main(["contract", "--check", "--out", str(out)]) == 1
    assert "differs" in capsys.readouterr().out


def _models():
    from pydantic import BaseModel

    import agent.schemas as schemas

    return {name: obj for name, obj in vars(schemas).items()
            if isinstance(obj, type) and issubclass(obj, BaseModel) and obj is not BaseModel}


def test_every_field_on_the_page_is_described():
    from agent.contract_notes import FIELD_NOTES

    page = render()
    assert not [line for line in page.splitlines() if line.startswith("| `") and line.endswith("|  |")]
    models = _models()
    stale = [key for key in FIELD_NOTES
             if key.split(".")[0] not in models or key.split(".")[1] not in models[key.split(".")[0]].model_fields]
    assert not stale, f"FIELD_NOTES names fields the models no longer have: {stale}"
