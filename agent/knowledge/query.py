"""What a query becomes before it is ranked: folded, and widened with the words the knowledge files use.

Commenters write 烂脸, 没人回 or 加薇; the guidelines and brand facts say 过敏/停用/就医, 客服/响应时效 and
导流/微信. `QUERY_VOCABULARY` maps the first to the second; `Query` is a checked search request, folded
(NFKC, lower case, Simplified) and expanded once for both rankings (BM25 and the vectors).
"""

from __future__ import annotations

from dataclasses import dataclass

from agent.schemas import Kind
from agent.text import normalize_for_match

MAX_QUERY_CHARS = 1000  # what BM25 reads of a query
VECTOR_QUERY_CHARS = 200  # what is embedded of it (plus its vocabulary words): time grows with length

# What commenters write → the words the knowledge files use for the same thing. A comment says 烂脸,
# 没人回 or 加薇; the guidelines and brand facts say 过敏/停用/就医, 客服/响应时效 and 导流/微信. Each
# trigger (folded: Simplified, lower case) that occurs in the query appends its knowledge words to the
# query, for BM25 and the embedding alike. Keep it to the vocabulary of the domain, not of test cases.
QUERY_VOCABULARY: tuple[tuple[tuple[str, ...], str], ...] = (
    (("烂脸", "过敏", "过明", "红肿", "刺痛", "刺刺", "辣辣", "灼热", "发烫", "好痒", "发痒", "瘙痒", "红疹",
      "疹子", "起疙瘩", "小红点", "泛红", "发红", "脸红", "脸肿", "脱皮", "爆痘", "闷痘", "不舒服", "不适",
      "皮肤科", "激素脸", "毁容"), "过敏 刺痛 红肿 不适 停用 就医"),
    (("医药费", "医疗费", "看病", "挂号", "赔偿", "赔不赔", "赔钱", "补偿", "赔我"), "补偿 就医费用 全额退款"),
    (("没收到", "收不到", "没到", "还没到", "到货", "发货", "物流", "快递", "包裹", "寄丢", "丢件", "丢了",
      "清关", "签收", "多久到", "几天到", "运输"), "物流 发货 签收 清关"),
    (("客服", "没人理", "没人回", "不回", "没回", "回复慢", "上班", "人工"), "客服 服务时间 响应时效 回复"),
    (("假货", "正品", "代购", "尾货", "真假", "真伪", "假的", "高仿", "专柜", "山寨", "仿品", "水货"),
     "正品 授权渠道 代购 核验 真伪"),
    (("退货", "退款", "退钱", "能退", "退吗", "退换", "换货", "换码", "换尺码", "换大", "换小", "无理由"),
     "退换货 退货 退款 无理由"),
    (("漏液", "漏了", "破损", "碎了", "压坏", "压扁", "临期", "过期", "变质", "开线", "脱线", "掉扣", "扣子",
      "破洞", "错发", "发错", "少发", "色差", "瑕疵", "污渍"), "质量问题 换货 退款"),
    (("删评", "删差评", "删帖", "给钱", "转账", "转我", "红包", "封口费", "不然", "否则", "曝光你们", "找媒体"),
     "勒索 删评 索要 好处"),
    (("加v", "加微", "薇", "vx", "wx", "微信", "qq", "口令", "链接", "主页", "私聊我", "私我", "加我", "二维码",
      "扫码", "戳我", "平替"), "导流 微信 联系方式 站外"),
    (("手机号", "电话", "住址", "住在", "门牌", "小区", "真名", "身份证"), "隐私 手机号 住址 姓名 曝光"),
    (("检测", "报告", "测试", "不刺激", "实验"), "检测报告 试验 第三方实验室"),
    (("备案", "三无", "中文标签", "进口", "产地", "哪里产", "哪国"), "备案 进口 产地"),
    (("没效果", "没变化", "没用", "无效", "一瓶水", "智商税", "没感觉"), "效果 持续使用"),
    (("傻", "脑残", "脑子", "智障", "丑", "滚", "废物", "冤种", "狗东西"), "辱骂 人身攻击 侮辱"),
    (("🍑", "💦", "😏", "私信发", "看更多", "腿好长"), "色情低俗 性暗示"),
    (("水军", "刷屏", "复制", "一模一样", "同一句", "每篇"), "恶意重复 刷屏 同类评论"),
    (("国家", "政治", "抵制", "辱华"), "政治敏感 对立"),
    (("盗图", "盗用", "官方图", "logo", "冒充", "官方售后"), "商标 官方素材 冒充官方"),
    (("尺码", "码数", "偏大", "偏小", "大了", "小了", "太紧", "紧不紧", "肩宽", "胸围", "腰围", "臀围", "身高"),
     "尺码 平铺实测 尺码表"),
    (("缩水", "烘干", "机洗", "手洗", "水洗", "洗完", "洗了", "熨", "皱", "起球", "掉色", "褪色", "串色", "染",
      "变形", "拉长"), "洗涤 缩水 晾干 熨烫 起球 浮色"),
)


def expand_query(text: str, max_chars: int | None = None) -> str:
    """The folded query (its first max_chars) plus the knowledge-side words of the user vocabulary it
    contains (found in the whole query)."""
    folded = normalize_for_match(text)
    return " ".join([folded[:max_chars] if max_chars else folded, *vocabulary_words(folded)])


def vocabulary_words(folded: str) -> list[str]:
    return [words for triggers, words in QUERY_VOCABULARY if any(t in folded for t in triggers)]


@dataclass(frozen=True)
class Query:
    """A search request, checked by the store: what each ranking reads."""

    folded: str  # the folded query (its first MAX_QUERY_CHARS)
    extra: tuple[str, ...]  # the knowledge-side words of the vocabulary it uses
    brand: str | None
    kinds: tuple[Kind, ...]
    k: int

    @classmethod
    def fold(cls, text: str, brand: str | None, kinds: tuple[Kind, ...], k: int) -> Query:
        folded = normalize_for_match(text[:MAX_QUERY_CHARS])
        return cls(folded=folded, extra=tuple(vocabulary_words(folded)), brand=brand, kinds=kinds, k=k)

    @property
    def pool(self) -> int:
        """How deep each ranking goes before fusion."""
        return max(4 * self.k, 20)

    @property
    def words(self) -> str:
        """What BM25 reads: the folded query and its vocabulary words."""
        return " ".join([self.folded, *self.extra])

    @property
    def vector_text(self) -> str:
        """What is embedded: the start of the folded query and its vocabulary words."""
        return " ".join([self.folded[:VECTOR_QUERY_CHARS], *self.extra])
