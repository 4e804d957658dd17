from agent.triage.pii import echoed, find_pii, mask, redact


def kinds(text: str) -> list[str]:
    return [h.kind for h in find_pii(text)]


def test_finds_each_kind_of_personal_data():
    text = ("加我微信 abc_12345 或者打 138 0013 8000，收件人张小花，地址浙江省杭州市西湖区文三路90号，"
            "邮箱 a.b@qq.com，qq 12345678，身份证 330106199001011234，看 http://t.cn/xyz")
    assert set(kinds(text)) == {"wechat", "phone", "name", "address", "email", "qq", "id_card", "url"}


def test_evasive_spellings_of_contacts_and_addresses_count():
    assert kinds("进Q群 60318872 备注小红书") == ["qq"]
    assert kinds("想删差评加個V：cheng_0912 私聊") == ["wechat"]
    assert kinds("这博主就住天河区翠园小区7栋，天天碰到") == ["address"]
    assert kinds("Q弹的质地，敷完很舒服") == []


def test_full_width_digits_and_separators_still_count():
    assert kinds("电话１３８００１３８０００") == ["phone"]
    assert kinds("+86 138-0013-8000") == ["phone"]


def test_order_numbers_and_prices_are_not_phone_numbers():
    assert kinds("订单GS202611010001，花了199元，等了12天") == []


def test_redact_masks_every_hit_and_keeps_the_rest():
    text = "我的电话13800138000别外传"
    out = redact(text)
    assert "13800138000" not in out and out.startswith("我的电话13") and out.endswith("别外传")


def test_mask_keeps_only_the_ends():
    assert mask("13800138000") == "13*******00"
    assert mask("ab") == "**"


def test_echo_detects_digits_even_reformatted():
    comment = "我电话 138 0013 8000"
    hits = find_pii(comment)
    assert echoed("请联系13800138000", comment, hits) == ["phone"]
    assert echoed("请私信我们哦", comment, hits) == []
