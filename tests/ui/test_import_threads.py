"""The desk with crawler exports: uploads read through read_any, and the item view showing the thread."""

from __future__ import annotations

import importlib.util
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from agent.review.store.intake import accept_comments
from agent.review.store.queue import ReviewQueue
from agent.sources import read_any
from tests.ui.demo_data import APP

pytestmark = pytest.mark.slow
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sources"
A = "67c2a0010000000012004a"
BRAND_REPLY = "抱歉给你带来不好的体验！建议先暂停使用"


def app(item: str | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=120)
    if item:
        at.query_params["item"] = item
    at.run()
    assert not at.exception, at.exception
    if item:
        at.switch_page("page_item.py").run()
        assert not at.exception, at.exception
    return at


def wait_drafted(q: ReviewQueue, ids: set[str]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and any(q.get(i).status == "pending" for i in ids):
        time.sleep(0.2)


def upload(at: AppTest, *files: Path) -> AppTest:
    at.file_uploader(key="import_file").set_value([(f.name, f.read_bytes(), "application/octet-stream")
                                                   for f in files])
    at.button(key="import_file_go").click().run()
    assert not at.exception, at.exception
    return at


def test_a_mediacrawler_export_uploaded_with_its_contents_file_is_queued_with_its_notes(ui_settings):
    at = upload(app(), FIXTURES / "search_comments_2026-03-04.jsonl", FIXTURES / "search_contents_2026-03-04.jsonl")
    infos = " ".join(i.value for i in at.info)
    assert "format: mediacrawler_comments" in infos and "2 note(s) joined" in infos
    q = ReviewQueue(ui_settings.queue_path)
    ids = {it.id for it in q.items() if it.id.startswith(A[:8])}
    assert len(ids) == 11  # every comment of the export has a row, the brand's own replies too
    assert q.get(A + "01").comment.note_title == "急救焕肤精华液｜敏感肌一个月实测"
    wait_drafted(q, ids)
    assert q.get(A + "02").status == "left"  # the brand's own reply: in the threads, never answered
    assert q.get(A + "03").result is not None and q.get(A + "03").result.plan.situation == "follow_up"


def test_sqlite_and_excel_exports_are_accepted_and_a_broken_line_is_told(ui_settings, tmp_path):
    spec = importlib.util.spec_from_file_location("sources_fixture_build", FIXTURES / "build.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)  # type: ignore[union-attr]
    db, xlsx = build.build_sqlite(tmp_path / "sqlite_tables.db"), build.build_xlsx(tmp_path / "spider_xhs.xlsx")
    at = upload(app(), db, xlsx, FIXTURES / "mediacrawler_broken_line.jsonl")
    assert "mediacrawler_broken_line.jsonl, line 3" in " ".join(w.value for w in at.warning)
    q = ReviewQueue(ui_settings.queue_path)
    queued = {it.id for it in q.items()}
    expected = {c.id for f in (db, xlsx, FIXTURES / "mediacrawler_broken_line.jsonl")
                for c in read_any(f).to_answer()}
    assert expected and expected <= queued
    wait_drafted(q, expected)


def test_an_unrecognised_upload_is_one_error_line(ui_settings):
    at = upload(app(), FIXTURES / "unrecognised.jsonl")
    assert len(at.error) == 1 and "fields seen: mid, text_raw" in at.error[0].value


def test_the_item_view_shows_the_thread_above_the_comment_as_plain_text(ui_settings):
    comments = read_any(FIXTURES / "search_comments_2026-03-04.jsonl").comments_in()
    accept_comments(ui_settings, comments, "glowskin")
    at = app(A + "04")  # "同问，我私信也是已读不回": three earlier messages, the brand's in the middle
    texts = [t.value for t in at.text]
    note = texts.index("Note: 急救焕肤精华液｜敏感肌一个月实测")
    brand = next(i for i, t in enumerate(texts) if t.startswith("🏷️ Brand reply · GlowSkin官方旗舰店：" + BRAND_REPLY))
    parent = texts.index("↳ 小**鱼：私信也没人回，都两天了，到底有没有人管")
    comment = texts.index("同问，我私信也是已读不回")
    assert note < brand < parent < comment
    assert any(t.startswith("author: 路**人") and "likes: 3" in t for t in texts)
    assert not any(BRAND_REPLY in m.value for m in at.markdown)  # never Markdown


def test_insight_lists_authors_attacking_under_several_notes_as_candidates_to_block(ui_settings):
    from agent.review.service import ReviewDesk
    from agent.schemas import CommentIn

    desk = ReviewDesk(ui_settings)
    desk.accept([CommentIn(id="x1", text="听说GlowSkin精华含激素还致癌，大家千万别买！", author="路**甲",
                           author_id="u-troll", note_id="n1"),
                 CommentIn(id="x2", text="给我转账500块，不然我天天来刷差评", author="路*甲", author_id="u-troll",
                           note_id="n2")], "glowskin")
    desk.draft_all(["x1", "x2"])
    at = app()
    at.switch_page("page_insight.py").run()
    assert not at.exception, at.exception
    frame = next(d.value for d in at.dataframe if "comment ids (the reason)" in d.value.columns)
    troll = frame[frame["author"].str.contains("u-troll")]
    assert list(troll["comment ids (the reason)"]) == ["x1, x2"] and list(troll["notes"]) == [2]
