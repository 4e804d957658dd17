"""`redreply eval ladder` drafts each labelled case's next rung through the model seam: offline, with a model
that writes clean drafts, one that invents a law (every draft falls back) and one that drops the legal basis
(accepted by the hard checks, caught by the citation labels)."""

from __future__ import annotations

from evals.ladder import DEFAULT_DATASET, evaluate, load
from tests.fakes import FakeModel, by_prompt
from tests.unit.test_ladder_model import template_of


def model(edit) -> FakeModel:
    return FakeModel(default=by_prompt({"rung": lambda messages: {"text": edit(template_of(messages))}}))


def test_the_dataset_labels_the_law_of_the_later_rungs():
    labelled = [c for c in load(DEFAULT_DATASET) if c.expected.cites]
    assert len(labelled) >= 10
    assert {c.expected.next_rung for c in labelled} == {"complaint_email", "legal_brief", "litigation"}


def test_offline_drafts_hold_their_checks_and_cite_the_labelled_law(settings):
    metrics, misses = evaluate(DEFAULT_DATASET, settings)
    assert metrics["drafts"] >= 30 and metrics["model_draft_rate"] == 0.0
    assert (metrics["draft_hard_pass"], metrics["cites_accuracy"]) == (1.0, 1.0), misses


def test_the_model_path_is_scored(settings):
    model_settings = settings.with_overrides(model="openai/fake")
    clean, _ = evaluate(DEFAULT_DATASET, model_settings, model(lambda t: t + "\n恳请尽快处理。"))
    assert clean["model_draft_rate"] == 1.0 and clean["cites_accuracy"] == 1.0

    invented, misses = evaluate(DEFAULT_DATASET, model_settings, model(lambda t: t + "\n依据《刑法》第二百四十六条。"))
    assert invented["model_draft_rate"] == 0.0 and invented["draft_hard_pass"] == 1.0  # the template stood in
    assert sum("citations_in_knowledge" in m for m in misses) == invented["drafts"]

    def drop_law(t: str) -> str:
        return "\n".join(line for line in t.splitlines() if "《" not in line)

    dropped, misses = evaluate(DEFAULT_DATASET, model_settings, model(drop_law))
    assert dropped["model_draft_rate"] == 1.0 and dropped["cites_accuracy"] == 0.0
    assert any("not all in the draft" in m for m in misses)
