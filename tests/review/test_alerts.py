"""Alerts against a real webhook receiver on loopback: what a team's chat channel receives when a severity-3
item, an extortion, a flood cluster or a spike under one note arrives, and that a receiver failing (500,
connection refused) and coming back loses no alert and gets none twice."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from agent.cli import main
from agent.config import PROJECT_ROOT, Settings
from agent.knowledge.brands import load_brand
from agent.knowledge.loading import KnowledgeError
from agent.review.alerts.outbox import AlertOutbox
from agent.review.service import ReviewDesk
from agent.review.store.queue import ReviewQueue
from agent.schemas import CommentIn
from agent.storage.connection import desk_database
from tests.fake_webhook import FakeWebhook
from tests.storage.legacy import write_legacy_queue

TOKEN = "tok-3f9c2b7d51e04a8c"  # stands for the secret key in a real webhook URL: must never be printed
PHONE, AUTHOR, ORDER = "13800138000", "小鹿爱护肤", "GS20260501887"
EXTORTION = CommentIn(id="x1", author=AUTHOR, order_id=ORDER, text=(
    f"我已经录好烂脸的视频了，给我转账3000我就删评，不然我天天来发，还要找媒体曝光你们，电话{PHONE}"))
MILD = CommentIn(id="m1", text="等了十天还没收到货")
FLOOD = [CommentIn(id=f"f{i}", author=f"u{i}", text="这家精华就是智商税，含激素，大家千万别买，用了烂脸" + "！" * i)
         for i in range(1, 4)]
CHANNELS = ("wecom", "feishu", "slack", "json")


def _brand_yaml(spike: int, feishu_inline: str) -> str:
    return f"""
alerts:
  spike_per_hour: {spike}
  channels:
    - {{kind: wecom, url_env: TEST_ALERT_WECOM}}
    - {{kind: feishu, url: "{feishu_inline}"}}
    - {{kind: slack, url_env: TEST_ALERT_SLACK}}
    - {{kind: json, url_env: TEST_ALERT_JSON}}
"""


@pytest.fixture
def hook(monkeypatch):
    with FakeWebhook() as server:
        for kind in ("wecom", "slack", "json"):
            monkeypatch.setenv(f"TEST_ALERT_{kind.upper()}", server.url(f"/{kind}/{TOKEN}"))
        yield server


@pytest.fixture
def settings(tmp_path, hook, monkeypatch, desk_database_url) -> Settings:
    """A knowledge copy whose glowskin alerts four channels (one inline URL, three from the environment); the
    desk on the data directory's SQLite file, then on PostgreSQL."""
    knowledge = tmp_path / "knowledge"
    shutil.copytree(PROJECT_ROOT / "knowledge", knowledge, ignore=shutil.ignore_patterns("*.md"))
    brand = knowledge / "brands" / "glowskin" / "brand.yaml"
    brand.write_text(brand.read_text(encoding="utf-8") + _brand_yaml(3, hook.url(f"/feishu/{TOKEN}")),
                     encoding="utf-8")
    s = Settings(data_dir=tmp_path / "data", knowledge_dir=knowledge, desk_url="https://desk.example.com/",
                 database_url=desk_database_url)
    monkeypatch.setenv("REDREPLY_DATA_DIR", str(s.data_dir))  # for the CLI runs below
    monkeypatch.setenv("REDREPLY_KNOWLEDGE_DIR", str(knowledge))
    return s


@pytest.fixture
def desk(settings, ingested_store):
    d = ReviewDesk(settings, store=ingested_store)
    yield d
    d.alerts.wait(10)
    d.close()


def draft(desk: ReviewDesk, *comments: CommentIn) -> None:
    desk.accept(list(comments), "glowskin")
    for c in comments:
        desk.draft_item(c.id)
    desk.alerts.wait(10)


def test_an_extortion_reaches_every_channel_in_its_own_shape_with_no_personal_data(desk, hook, capsys):
    draft(desk, EXTORTION)
    by_kind = {kind: hook.delivered(f"/{kind}/") for kind in CHANNELS}
    assert all(len(got) == 1 for got in by_kind.values()), hook.requests
    wecom, feishu = by_kind["wecom"][0]["json"], by_kind["feishu"][0]["json"]
    slack, generic = by_kind["slack"][0]["json"], by_kind["json"][0]["json"]
    assert wecom["msgtype"] == "text" and set(wecom) == {"msgtype", "text"}
    assert feishu["msg_type"] == "text" and set(feishu) == {"msg_type", "content"}
    assert set(slack) == {"text"}
    text = wecom["text"]["content"]
    assert text == feishu["content"]["text"] == generic["text"]
    assert "x1" in text and "GlowSkin (glowskin)" in text and "extortion" in text
    assert "https://desk.example.com/item?item=x1" in text
    assert {"trigger": "extortion", "brand": "glowskin", "item_id": "x1", "key": "item:glowskin:x1",
            "link": "https://desk.example.com/item?item=x1"}.items() <= generic.items()
    assert "severity 3" in generic["reason"]
    for request in hook.requests:  # the customer's phone, name and order never leave the desk
        body = str(request["json"])
        assert PHONE not in body and AUTHOR not in body and ORDER not in body
    assert "13*******00" in text and "extortion · severity 3 · privacy" in text
    assert by_kind["json"][0]["headers"]["Idempotency-Key"] == "item:glowskin:x1"

    assert main(["alerts", "list"]) == 0
    out = capsys.readouterr().out
    statuses = [line.split()[1] for line in out.splitlines() if line.split() and line.split()[0].isdigit()]
    assert statuses == ["sent"] * 4 and TOKEN not in out


def test_an_ordinary_complaint_sends_nothing(desk, hook):
    draft(desk, MILD)
    assert desk.queue.get("m1").result.triage.severity == 1
    assert hook.requests == [] and desk.alerts.records() == []


def test_a_flood_cluster_is_one_alert_however_many_comments_it_has(desk, hook):
    draft(desk, *FLOOD)
    for kind in CHANNELS:
        got = hook.delivered(f"/{kind}/")
        assert len(got) == 1, [r["json"] for r in got]
    generic = hook.delivered("/json/")[0]["json"]
    assert generic["trigger"] == "flood" and generic["key"] == "flood:glowskin:f1"
    assert "3 look-alike comments" in generic["reason"]


def _on_note(i: int, note: str, at: datetime) -> CommentIn:
    texts = ["客服回复有点慢", "包装有点简陋，不太满意", "价格有点贵，性价比一般", "发货太慢了，等了一周"]
    return CommentIn(id=f"{note}-{i}", text=texts[i % len(texts)], note_id=note, note_title="玫瑰精华油怎么用",
                     posted_at=at.isoformat())


def test_a_spike_under_one_note_alerts_once_at_the_brand_threshold(desk, hook):
    t0 = datetime.now(UTC) - timedelta(hours=3)
    draft(desk, *(_on_note(i, "n1", t0 + timedelta(minutes=20 * i)) for i in range(2)))  # 2 < threshold 3
    draft(desk, _on_note(5, "n2", t0), _on_note(6, "n2", t0 + timedelta(minutes=90)),
          _on_note(7, "n2", t0 + timedelta(minutes=180)))  # 3 under a note, but never 3 within an hour
    assert hook.requests == []
    draft(desk, _on_note(2, "n1", t0 + timedelta(minutes=50)))  # the third within the hour
    assert len(hook.delivered("/json/")) == 1
    generic = hook.delivered("/json/")[0]["json"]
    assert generic["trigger"] == "spike" and generic["item_id"] == "n1-2"
    assert "3 negative comments under the note 「玫瑰精华油怎么用」" in generic["reason"]
    draft(desk, _on_note(3, "n1", t0 + timedelta(minutes=55)))  # the same burst goes on: no second alert
    assert len(hook.delivered("/json/")) == 1


def test_a_receiver_that_refuses_connections_loses_nothing_and_gets_nothing_twice(desk, hook, capsys, caplog):
    hook.stop()
    draft(desk, EXTORTION)  # the draft is stored although no channel answers
    assert desk.queue.get("x1").status == "needs_review"
    assert "refused the connection" in caplog.text and TOKEN not in caplog.text
    rows = desk.alerts.records()
    assert {r.status for r in rows} == {"pending"} and len(rows) == 4
    assert {r.attempts for r in rows} <= {0, 1}  # one try per channel: the rest waited for the next pass

    assert main(["alerts", "send", "--retries", "0"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "refused the connection" in err and "still pending" in err
    assert TOKEN not in err and "127.0.0.1" in err

    hook.start()  # the receiver is back
    assert main(["alerts", "send"]) == 0
    assert main(["alerts", "send"]) == 0
    assert "nothing pending" in capsys.readouterr().out
    assert sorted(r["path"].split("/")[1] for r in hook.delivered()) == sorted(CHANNELS)  # each exactly once
    assert {r.status for r in desk.alerts.records()} == {"sent"}


def test_a_server_error_is_retried_with_backoff_until_it_passes(settings, hook, ingested_store):
    hook.answers = [(500, {"error": "busy"}), (503, {}), (200, {"errcode": 0})]
    desk = ReviewDesk(settings, store=ingested_store)
    desk.alerts.after_draft = lambda result: None  # send nothing in the background: this test drives it
    draft(desk, EXTORTION)
    outbox, waits = desk.alerts, []
    outbox.check(desk.queue.get("x1").result)
    report = outbox.deliver(force=True, retries=2, backoff_s=0.5, sleep=waits.append)
    assert waits[:2] == [0.5, 1.0]
    wecom = next(r for r in report.sent if r.channel == "wecom")
    assert wecom.attempts == 3 and len(hook.delivered("/wecom/")) == 1
    assert len(report.sent) == 4 and outbox.deliver(force=True).sent == []
    desk.close()


def test_a_chat_tool_answering_200_with_an_error_code_is_not_counted_as_sent(desk, hook):
    hook.answers = [(200, {"errcode": 45009, "errmsg": "api freq out of limit"})]  # WeCom's rate limit
    draft(desk, EXTORTION)
    wecom = next(r for r in desk.alerts.records() if r.channel == "wecom")
    assert wecom.status == "pending" and "45009" in (wecom.last_error or "")
    assert desk.alerts.deliver(force=True).sent[0].channel == "wecom"


def test_a_refused_message_fails_for_good_and_is_retried_on_request(desk, hook, capsys):
    hook.answers = [(404, {"error": "no such hook"})]
    draft(desk, EXTORTION)
    failed = desk.alerts.records(status="failed")
    assert len(failed) == 1 and "HTTP 404" in (failed[0].last_error or "") and TOKEN not in failed[0].last_error
    assert main(["alerts", "send"]) == 0  # nothing pending; the failed one is named, not resent
    assert "1 alert(s) failed earlier" in capsys.readouterr().out and len(hook.delivered("/wecom/")) == 0
    assert main(["alerts", "send", "--retry-failed"]) == 0
    assert len(desk.alerts.records(status="sent")) == 4


def test_an_alert_queued_by_a_process_killed_before_sending_is_sent_by_the_next(settings, hook, ingested_store,
                                                                                  monkeypatch):
    with monkeypatch.context() as m:
        m.setattr(AlertOutbox, "after_draft", lambda self, result: None)  # died right after storing the draft
        desk = ReviewDesk(settings, store=ingested_store)
        draft(desk, EXTORTION)
        desk.close()
    assert hook.requests == []
    assert main(["alerts", "send"]) == 0  # checks the unchecked draft, queues and sends its alert
    assert len(hook.delivered()) == 4
    assert main(["alerts", "send"]) == 0 and len(hook.delivered()) == 4


def test_processes_sending_at_once_post_each_alert_once(settings, hook, ingested_store, monkeypatch):
    """Several processes on one database (desks behind a load balancer, `alerts send` from cron) find the same
    unchecked draft at once: each channel still receives its alert exactly once."""
    with monkeypatch.context() as m:
        m.setattr(AlertOutbox, "after_draft", lambda self, result: None)  # drafted; nobody looked for alerts yet
        desk = ReviewDesk(settings, store=ingested_store)
        draft(desk, EXTORTION)
        desk.close()
    hook.delay_s = 0.3  # each post takes a while: the senders overlap
    senders = [subprocess.Popen([sys.executable, "-m", "agent.cli", "alerts", "send"], cwd=PROJECT_ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(3)]
    assert all(p.wait(timeout=120) in (0, 2) for p in senders)  # 2: another held some of them meanwhile
    assert sorted(r["path"].split("/")[1] for r in hook.delivered()) == sorted(CHANNELS)  # each exactly once
    assert main(["alerts", "send"]) == 0 and len(hook.delivered()) == 4
    queue = ReviewQueue(desk_database(settings))
    assert queue.conn.execute("SELECT COUNT(*) FROM alerts WHERE status = 'sent'").fetchone()[0] == 4


def test_a_missing_url_variable_keeps_the_alert_pending_with_a_clear_reason(desk, hook, monkeypatch):
    monkeypatch.delenv("TEST_ALERT_SLACK")
    draft(desk, EXTORTION)
    slack = next(r for r in desk.alerts.records() if r.channel == "slack")
    assert slack.status == "pending" and "TEST_ALERT_SLACK is not set" in (slack.last_error or "")
    assert len(hook.delivered()) == 3


def test_a_bad_channel_in_brand_yaml_names_the_field_not_the_url(settings):
    brand = settings.knowledge_dir / "brands" / "glowskin" / "brand.yaml"
    secret = f"ftp://hooks.example.com/{TOKEN}"
    brand.write_text(brand.read_text(encoding="utf-8").replace(
        "- {kind: slack, url_env: TEST_ALERT_SLACK}", f'- {{kind: slack, url: "{secret}"}}'), encoding="utf-8")
    with pytest.raises(KnowledgeError, match="http:// or https://") as e:
        load_brand(settings.knowledge_dir, "glowskin")
    assert TOKEN not in str(e.value)


def test_the_alerts_table_is_added_to_an_existing_desk_database(settings):
    if settings.database_url:
        pytest.skip("an older SQLite data directory (its move to PostgreSQL: tests/storage/test_moving.py)")
    write_legacy_queue(settings.queue_path)  # a desk made before alerts existed
    queue = ReviewQueue(settings.queue_path)
    AlertOutbox(settings, queue)
    AlertOutbox(settings, queue)  # twice: the migration runs once
    assert queue.conn.execute("SELECT COUNT(*) FROM alerts").fetchone()[0] == 0
    assert queue.get("old1").brand == "glowskin"  # the desk's items are still there
