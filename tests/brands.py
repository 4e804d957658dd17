"""Brand facts shared by test modules (a test module never imports another test module): a hand-built brand, and
a shipped brand file edited in a copy of the knowledge folder."""

from __future__ import annotations

import shutil
from pathlib import Path

from agent.cli import main
from agent.config import Settings
from agent.knowledge.brands import Brand

# One skincare brand with a serum, a patch test and a returns policy: what the guardrails check replies against.
TEST_BRAND = Brand.model_validate({
    "id": "t", "name": "TestSkin", "category": "skincare", "about": "测试品牌",
    "service": {"hours": "每天 9:00–21:00", "channels": ["小红书私信"], "response_time": "2小时内"},
    "products": [{"id": "serum", "name": "焕肤精华液", "category": "serum", "description": "精华",
                  "usage": "洁面后取2–3滴按压至吸收，早晚使用", "cautions": ["首次使用先在耳后试用"]}],
    "certifications": [{"id": "patch", "title": "人体皮肤斑贴刺激性测试", "issuer": "第三方检测实验室",
                        "products": ["serum"], "summary": "30名受试者，无刺激反应"}],
    "policies": [{"id": "returns", "title": "退换货", "text": "未拆封7天无理由退货。", "promises": ["退换货", "补发"]}],
})


def draft_with_edited_brand(tmp_path: Path, monkeypatch, capsys, brand: str, old: str, new: str,
                            comment: str) -> tuple[int, str, Path]:
    """Drafts `comment` with `old` replaced by `new` (once) in a copy of the brand's file: the exit code, the
    error output and the edited file's path."""
    root = tmp_path / "knowledge"
    shutil.copytree(Settings().knowledge_dir, root)
    path = root / "brands" / brand / "brand.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {brand}'s brand file"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    monkeypatch.setenv("REDREPLY_KNOWLEDGE_DIR", str(root))
    monkeypatch.setenv("REDREPLY_DATA_DIR", str(tmp_path / "data"))
    code = main(["draft", comment, "--brand", brand])
    return code, capsys.readouterr().err.strip(), path
