"""Hand-built brand facts shared by test modules (a test module never imports another test module)."""

from __future__ import annotations

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
