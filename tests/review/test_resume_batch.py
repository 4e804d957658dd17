"""ReviewDesk.resume_batch and what `redreply batch` tells the user about ids it has seen before."""

from __future__ import annotations

import json
import shutil

import pytest

from agent.cli import main
from agent.config import Settings
from agent.review.service import ReviewDesk
from agent.schemas import CommentIn

COMMENTS = [CommentIn(id=i, text=t) for i, t in
            [("a", "物流太慢了，等了一个星期"), ("b", "面膜敷完脸好干"), ("c", "客服态度好差"), ("d", "颜色和图片差好多")]]


@pytest.fixture
def settings(tmp_path, ingested_store) -> Settings:
    data = tmp_path / "data"
    shutil.copytree(ingested_store.settings.chroma_path, data / "chroma")
    return Settings(data_dir=data, retry_backoff_s=0.0, model_retries=1)


@pytest.fixture
def desk(settings, ingested_store) -> ReviewDesk:
    """A queue where a is drafted, b was accepted and never drafted, and c failed to draft."""
    desk = ReviewDesk(settings, store=ingested_store)
    desk.accept(COMMENTS[:3], "glowskin")
    desk.draft_item("a")
    desk.queue.mark_failed("c", "boom")
    return desk


def test_only_ids_with_a_draft_keep_it_and_the_others_are_drafted(desk):
    plan = desk.resume_batch(COMMENTS, "glowskin", written=set())
    assert plan.todo == ["a", "b", "c", "d"]
    assert plan.kept_drafts == ["a"] and plan.undrafted == ["b", "c"]
    assert plan.already_written == 0 and plan.recovered == 0
    assert desk.queue.get("d").status == "pending"  # accepted before any drafting


def test_ids_already_written_are_skipped(desk):
    plan = desk.resume_batch(COMMENTS, "glowskin", written={"a", "b", "elsewhere"})
    assert plan.todo == ["c", "d"] and plan.already_written == 2
    assert plan.kept_drafts == [] and plan.undrafted == ["c"]


def test_batch_says_which_queued_ids_keep_a_draft_and_which_are_drafted_now(desk, settings, tmp_path, monkeypatch,
                                                                            capsys):
    inp, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    inp.write_text("\n".join(c.model_dump_json() for c in COMMENTS) + "\n", encoding="utf-8")
    monkeypatch.setenv("REDREPLY_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("REDREPLY_MODEL", "offline")
    assert main(["batch", str(inp), "--brand", "glowskin", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "1 id(s) already in the review queue keep their drafts" in err
    assert "2 accepted earlier but never drafted: drafting them now" in err
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(r["id"] for r in lines) == ["a", "b", "c", "d"]
    assert ReviewDesk(settings).queue.counts() == {"needs_review": 4}
