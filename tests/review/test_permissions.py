"""Roles enforced in the service layer the CLI and the app share: ReviewDesk.decide(actor=…), suggestions,
export, user management, the knowledge re-index, and the four-eyes rule on severity-3 items."""

from __future__ import annotations

import shutil

import pytest

from agent.cli import main
from agent.config import PROJECT_ROOT, Settings
from agent.knowledge.store import IngestReport
from agent.review.service import ReviewDesk
from agent.review.team.accounts import Account, Accounts, local_admin
from agent.review.team.knowledge_admin import reindex
from agent.review.team.permissions import cli_account
from agent.review.team.roles import (
    APPROVE,
    EXPORT,
    MANAGE_USERS,
    READ,
    REGENERATE,
    REINDEX,
    SUGGEST,
    PermissionDenied,
    allowed,
    require,
)
from agent.review.team.suggestions import latest, suggest
from agent.schemas import CommentIn, ReviewDecision

EXTORTION = CommentIn(id="x3", text="我已经录好烂脸的视频了，给我转账3000我就删评，不然我天天来发，还要发到网上找媒体曝光你们")
MILD = CommentIn(id="m1", text="面膜敷完脸好干，有点失望")
VIEWER, SUGGESTER = Account(name="vic", role="viewer"), Account(name="sue", role="suggester")
APPROVER, APPROVER2 = Account(name="amy", role="approver"), Account(name="abe", role="approver")
ADMIN = Account(name="ada", role="admin")
OTHER_BRAND = Account(name="tom", role="approver", brands=("threadline",))


@pytest.fixture(scope="module")
def template(tmp_path_factory, ingested_store):
    """A data dir with a severity-3 and a mild item drafted, and a knowledge copy whose glowskin has four eyes."""
    root = tmp_path_factory.mktemp("perm")
    knowledge = root / "knowledge"
    shutil.copytree(PROJECT_ROOT / "knowledge", knowledge)
    brand = knowledge / "brands" / "glowskin" / "brand.yaml"
    brand.write_text(brand.read_text(encoding="utf-8") + "\nreview:\n  four_eyes_severity3: true\n", encoding="utf-8")
    shutil.copytree(ingested_store.settings.chroma_path, root / "data" / "chroma")
    settings = Settings(data_dir=root / "data", knowledge_dir=knowledge)
    desk = ReviewDesk(settings, store=ingested_store)
    desk.accept([EXTORTION, MILD], "glowskin")
    desk.draft_item(EXTORTION.id)
    desk.draft_item(MILD.id)
    assert desk.queue.get(EXTORTION.id).result.triage.severity == 3
    desk.close()
    return root


@pytest.fixture
def desk(template, tmp_path, ingested_store):
    shutil.copytree(template, tmp_path / "t")
    settings = Settings(data_dir=tmp_path / "t" / "data", knowledge_dir=tmp_path / "t" / "knowledge")
    d = ReviewDesk(settings, store=ingested_store)
    yield d
    d.close()


def approve(desk, item_id, actor, text=None):
    action = "edit" if text else "approve"
    return desk.decide(item_id, ReviewDecision(action=action, reviewer="typed name", reply_text=text), actor=actor)


@pytest.mark.parametrize(("role", "may"), [
    ("viewer", {READ}), ("suggester", {READ, SUGGEST, REGENERATE}),
    ("approver", {READ, SUGGEST, REGENERATE, APPROVE, "reject", EXPORT}),
    ("admin", {READ, SUGGEST, REGENERATE, APPROVE, "reject", EXPORT, MANAGE_USERS, "manage_brands", REINDEX})])
def test_each_role_may_do_exactly_its_actions(role, may):
    every = {READ, SUGGEST, REGENERATE, APPROVE, "reject", EXPORT, MANAGE_USERS, "manage_brands", REINDEX}
    account = Account(name="x", role=role)
    assert {a for a in every if allowed(account, a, "glowskin")} == may
    assert not allowed(account.model_copy(update={"disabled": True}), READ, "glowskin")
    assert not allowed(None, READ)


def test_brands_limit_every_role():
    assert allowed(OTHER_BRAND, APPROVE, "threadline") and not allowed(OTHER_BRAND, READ, "glowskin")
    with pytest.raises(PermissionDenied, match="no access to brand glowskin"):
        require(OTHER_BRAND, READ, "glowskin")


@pytest.mark.parametrize("actor", [VIEWER, SUGGESTER, OTHER_BRAND])
def test_who_may_not_approve_or_reject_is_refused_and_nothing_changes(desk, actor):
    before = desk.queue.get(MILD.id)
    with pytest.raises(PermissionDenied):
        approve(desk, MILD.id, actor)
    with pytest.raises(PermissionDenied):
        desk.decide(MILD.id, ReviewDecision(action="reject", reason="不好"), actor=actor)
    after = desk.queue.get(MILD.id)
    assert (after.status, after.version) == (before.status, before.version) == ("needs_review", before.version)
    assert desk.queue.decisions(MILD.id) == []


def test_viewer_cannot_regenerate_or_suggest_but_suggester_can(desk):
    with pytest.raises(PermissionDenied, match="viewer cannot regenerate"):
        desk.decide(MILD.id, ReviewDecision(action="regenerate", instruction="更短"), actor=VIEWER)
    with pytest.raises(PermissionDenied, match="viewer cannot suggest"):
        suggest(desk.queue, MILD.id, "抱歉给你带来不好的体验", None, VIEWER)
    suggest(desk.queue, MILD.id, "抱歉给你带来不好的体验，私信我们帮你看看", None, SUGGESTER)
    assert latest(desk.queue, MILD.id).account == "sue"
    desk.decide(MILD.id, ReviewDecision(action="regenerate", instruction="更短"), actor=SUGGESTER)
    assert desk.queue.decisions(MILD.id)[-1].reviewer == "sue"


def test_approver_approves_and_the_audit_names_the_account_not_a_typed_name(desk):
    result = approve(desk, MILD.id, APPROVER)
    assert result.status == "approved"
    assert desk.queue.get(MILD.id).decided_by == "amy"
    assert [d.reviewer for d in desk.queue.decisions(MILD.id)] == ["amy"]


def test_four_eyes_severity3_the_editor_cannot_approve_their_own_edit(desk):
    text = "看到你的留言了，这件事我们需要核实，请私信我们客服处理。"
    suggest(desk.queue, EXTORTION.id, text, None, APPROVER)
    with pytest.raises(PermissionDenied, match="second person"):
        approve(desk, EXTORTION.id, APPROVER, text)
    with pytest.raises(PermissionDenied, match="second person"):  # an edit nobody suggested is the approver's own
        approve(desk, EXTORTION.id, APPROVER2, text + "谢谢")
    assert desk.queue.get(EXTORTION.id).status == "needs_review"
    approve(desk, EXTORTION.id, APPROVER2, text)  # someone else approves amy's text
    assert desk.queue.get(EXTORTION.id).decided_by == "abe"


def test_four_eyes_regenerating_counts_as_editing(desk):
    desk.decide(EXTORTION.id, ReviewDecision(action="regenerate", instruction="更正式"), actor=APPROVER)
    with pytest.raises(PermissionDenied, match="second person"):
        approve(desk, EXTORTION.id, APPROVER)
    assert approve(desk, EXTORTION.id, ADMIN).status == "approved"


def test_four_eyes_is_off_by_default_and_for_lower_severities(desk):
    suggest(desk.queue, MILD.id, "抱歉让你失望了，私信我们帮你看看", None, APPROVER)
    assert approve(desk, MILD.id, APPROVER, "抱歉让你失望了，私信我们帮你看看").status == "approved"


def test_without_an_actor_the_desk_decides_as_before(desk):
    assert approve(desk, MILD.id, None).status == "approved"
    assert desk.queue.get(MILD.id).decided_by == "typed name"


# --- the CLI acts as REDREPLY_ACCOUNT ---------------------------------------------------------------
def add(settings, name, role, brands=()):
    Accounts(settings.queue_path).add(name, role, "password-123", tuple(brands))


def test_cli_is_local_admin_without_accounts_and_needs_an_account_afterwards(desk):
    s = desk.settings
    assert cli_account(s) == local_admin(s.reviewer)
    add(s, "ada", "admin")
    with pytest.raises(PermissionDenied, match="REDREPLY_ACCOUNT"):
        cli_account(s)
    assert cli_account(s.with_overrides(account="ada")).role == "admin"


def cli(desk, monkeypatch, account, *argv):
    monkeypatch.setenv("REDREPLY_DATA_DIR", str(desk.settings.data_dir))
    monkeypatch.setenv("REDREPLY_KNOWLEDGE_DIR", str(desk.settings.knowledge_dir))
    monkeypatch.setenv("REDREPLY_ACCOUNT", account)
    return main(list(argv))


def test_cli_decision_it_may_not_make_exits_2_with_a_clear_message(desk, monkeypatch, capsys, tmp_path):
    add(desk.settings, "ada", "admin")
    add(desk.settings, "sue", "suggester")
    add(desk.settings, "amy", "approver")
    desk.close()
    assert cli(desk, monkeypatch, "sue", "review", "approve", MILD.id) == 2
    assert "sue is a suggester: a suggester cannot approve" in capsys.readouterr().err
    assert cli(desk, monkeypatch, "sue", "review", "export", "--out", str(tmp_path / "x.csv")) == 2
    assert "cannot export" in capsys.readouterr().err
    assert cli(desk, monkeypatch, "sue", "users", "disable", "amy") == 2
    assert cli(desk, monkeypatch, "amy", "review", "approve", MILD.id, "--reviewer", "someone") == 0
    assert "approved by amy" in capsys.readouterr().out
    assert cli(desk, monkeypatch, "amy", "review", "export", "--out", str(tmp_path / "x.csv")) == 0


# --- the knowledge re-index: admin only, in the service the app calls -------------------------------
class CountingStore:
    """Stands in for the knowledge store: counts re-indexes (a real one takes seconds and is not the point)."""

    def __init__(self) -> None:
        self.ingested = 0

    def ingest(self) -> IngestReport:
        self.ingested += 1
        return IngestReport(unchanged=3)


@pytest.mark.parametrize("actor", [None, VIEWER, SUGGESTER, APPROVER, OTHER_BRAND,
                                   ADMIN.model_copy(update={"disabled": True})])
def test_only_an_admin_may_reindex_the_knowledge(actor):
    store = CountingStore()
    with pytest.raises(PermissionDenied):
        reindex(store, actor)
    assert store.ingested == 0


def test_an_admin_and_the_local_admin_reindex():
    store = CountingStore()
    assert reindex(store, ADMIN).unchanged == 3
    assert reindex(store, local_admin("me")).unchanged == 3
    assert store.ingested == 2
    with pytest.raises(PermissionDenied, match="amy is an approver: an approver cannot reindex"):
        reindex(store, APPROVER)
