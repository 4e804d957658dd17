"""The learned triage signals as a user meets them: the shipped offence and sentiment models, and `train`.

Known limit (see the model card): the offence model learned from COLD, which labels attacks on people and
groups and holds no product reviews, so "垃圾"/"恶心" about a product can still score as offensive and a mild
insult like "客服都是脑残" can score low. The triage rules decide the target (people vs product).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from agent.triage import learned, topic_model
from agent.triage.learned import ArtifactError, Classifier, Scores, score
from agent.triage.training import TrainReport, train

REPO = Path(__file__).resolve().parents[2]


def _threshold() -> float:
    return learned.load()[0].threshold


@pytest.mark.parametrize("text", ["卖家就是个傻逼", "你们老板是个骗子，全家不得好死", "河南人都是小偷", "这家店的老板就是个骗子"])
def test_insults_at_people_or_groups_are_offensive(text: str) -> None:
    assert score(text).offensive >= max(_threshold(), 0.9)


@pytest.mark.parametrize("text", ["什么破面膜，质量太差了", "包装烂透了，瓶子都碎了", "快递慢得要死，等了十天"])
def test_plain_complaints_about_a_product_are_not_offensive(text: str) -> None:
    assert score(text).offensive < _threshold()
    assert score(text).offensive < score("卖家就是个傻逼").offensive - 0.5


@pytest.mark.parametrize("text", ["质量很好，包装也很仔细，下次还来买", "味道很好，送餐也快，好评", "房间干净，前台服务热情，推荐"])
def test_praise_is_not_negative(text: str) -> None:
    assert score(text).negative < 0.2


@pytest.mark.parametrize("text", ["等了两个小时才送到，饭都凉了", "房间很脏，隔音也差，不会再住", "用了一周脸上全是红疹，又痒又痛"])
def test_complaints_are_negative(text: str) -> None:
    assert score(text).negative > 0.8


@pytest.mark.parametrize(("traditional", "simplified"), [
    ("客服態度很差，等了兩個小時才回覆", "客服态度很差，等了两个小时才回复"),
    ("這家店的老闆就是個騙子", "这家店的老板就是个骗子"),
    ("質量很好，包裝也很仔細", "质量很好，包装也很仔细"),
])
def test_traditional_script_scores_like_simplified(traditional: str, simplified: str) -> None:
    a, b = score(traditional), score(simplified)
    assert abs(a.offensive - b.offensive) < 0.02 and abs(a.negative - b.negative) < 0.02


def test_scores_are_probabilities_and_models_load_once() -> None:
    s = score("  ")
    assert isinstance(s, Scores) and 0.0 <= s.offensive <= 1.0 and 0.0 <= s.negative <= 1.0
    assert learned.load() is learned.load()


def test_runtime_needs_neither_sklearn_nor_pickle() -> None:
    code = ("import sys; from agent.triage import learned; learned.score('客服都是脑残'); "
            "assert 'sklearn' not in sys.modules, 'sklearn imported'")
    subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True, timeout=60)


def _copy_models(tmp_path: Path) -> Path:
    out = tmp_path / "models"
    shutil.copytree(learned.MODEL_DIR, out)
    return out


def test_missing_artifact_names_the_file_and_how_to_rebuild(tmp_path: Path) -> None:
    models = _copy_models(tmp_path)
    (models / "offence.npz").unlink()
    with pytest.raises(ArtifactError) as e:
        score("客服都是脑残", models)
    message = str(e.value)
    assert "offence.npz" in message and "missing" in message and "redreply train" in message
    assert "\n" not in message


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty"])
def test_corrupt_artifact_raises_artifact_error(tmp_path: Path, damage: str) -> None:
    models = _copy_models(tmp_path)
    path = models / "sentiment.npz"
    data = path.read_bytes()
    path.write_bytes({"truncate": data[: len(data) // 2], "garbage": b"not a model" * 100, "empty": b""}[damage])
    with pytest.raises(ArtifactError) as e:
        Classifier(path)
    assert "sentiment.npz" in str(e.value) and "redreply train" in str(e.value) and "\n" not in str(e.value)


OFFENSIVE = ["你就是个傻子", "那些人都是骗子", "滚出去吧你", "他们全家都是废物", "你这种人真恶心", "那帮人都是垃圾"]
SAFE = ["今天天气不错", "我们一起去吃饭吧", "这本书很有意思", "周末去公园散步", "谢谢你的帮助", "明天开会讨论方案"]
PRAISE = ["很好用，推荐购买", "味道不错，送得很快", "房间干净，服务周到", "质量很好，会回购", "包装精美，很满意"]
COMPLAINTS = ["太慢了，饭都凉了", "质量很差，用了就坏", "房间很脏，不推荐", "味道难吃，再也不买", "发错货了，很失望"]


def _write_jsonl(path: Path, rows: list[dict], extra_lines: tuple[str, ...] = ()) -> None:
    lines = [json.dumps(r, ensure_ascii=False) for r in rows] + list(extra_lines)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _tiny_data(root: Path) -> Path:
    data = root / "train"
    data.mkdir()
    cold = [{"text": f"{t}{i}", "label": 1} for i in range(4) for t in OFFENSIVE]
    cold += [{"text": f"{t}{i}", "label": 0} for i in range(4) for t in SAFE]
    _write_jsonl(data / "cold_train.jsonl", cold, ('{"text": "没有标签"}', "{not json"))
    _write_jsonl(data / "cold_dev.jsonl", [{"text": t, "label": 1} for t in OFFENSIVE] + [{"text": t, "label": 0} for t in SAFE])
    reviews = [{"text": f"{t}{i}", "label": 1} for i in range(4) for t in PRAISE]
    reviews += [{"text": f"{t}{i}", "label": 0} for i in range(4) for t in COMPLAINTS]
    _write_jsonl(data / "reviews_train.jsonl", reviews)
    return data


def test_training_on_tiny_data_reports_bad_lines_and_writes_loadable_artifacts(tmp_path: Path) -> None:
    data, out, lines = _tiny_data(tmp_path), tmp_path / "out", []
    report = train(data, out, seed=13, progress=lines.append, product_negatives=5)
    bad = str(data / "cold_train.jsonl")
    assert any(w.startswith(f"{bad}:49:") and "label" in w for w in report.warnings)
    assert any(w.startswith(f"{bad}:50:") and "JSON" in w for w in report.warnings)
    assert any(f"{bad}:50:" in line for line in lines)
    assert report.rows["cold_train"] == 48 and 0 < report.offence_product_negatives <= 5
    # The comment-kind model trains on the project's own labelled sections, whatever the data folder holds.
    # So does the topic model (the trades of the reviews, talk from COLD, the sections), with its own card.
    assert sorted(p.name for p in out.iterdir()) == ["MODEL_CARD.md", "TOPIC_CARD.md", "kind.npz", "metrics.json",
                                                     "offence.npz", "sentiment.npz", "topic.npz"]
    assert topic_model.load(out).guess("你就是个傻子").topic in topic_model.load(out).classes
    assert report.kind is not None and report.kind.rows > 300
    assert TrainReport.model_validate_json((out / "metrics.json").read_text(encoding="utf-8")) == report
    assert "Apache-2.0" in (out / "MODEL_CARD.md").read_text(encoding="utf-8")
    s = score("你就是个傻子", out)
    assert 0.0 <= s.offensive <= 1.0 and 0.0 <= s.negative <= 1.0
    assert report.parity_max_abs_diff < 1e-6


def test_training_is_reproducible(tmp_path: Path) -> None:
    data = _tiny_data(tmp_path)
    train(data, tmp_path / "a", seed=7)
    train(data, tmp_path / "b", seed=7)
    for name in ("offence.npz", "sentiment.npz"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


@pytest.mark.slow
def test_shipped_offence_model_on_the_product_cold_sample() -> None:
    path = REPO.parent / "shared" / "data" / "cold_dev.jsonl"
    if not path.is_file():
        pytest.skip(f"{path} not present (CI has it)")
    offence = learned.load()[0]
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    flagged = [offence.flags(r["text"]) for r in rows]
    tp = sum(f and r["offensive"] == 1 for f, r in zip(flagged, rows, strict=True))
    precision, recall = tp / max(sum(flagged), 1), tp / sum(r["offensive"] == 1 for r in rows)
    assert precision >= 0.90 and recall >= 0.90, (precision, recall)  # measured 0.933 / 0.933
