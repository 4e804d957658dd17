"""Character-bigram BM25: tokenisation of Chinese (简/繁), ASCII words, and the ranking itself."""

import numpy as np

from agent.knowledge.bm25 import BM25, tokenize


def test_han_text_becomes_overlapping_bigrams():
    assert tokenize("精油稀释") == ["精油", "油稀", "稀释"]


def test_traditional_is_folded_to_simplified():
    assert tokenize("精華液過敏") == tokenize("精华液过敏")


def test_ascii_words_are_kept_whole_and_lower_case():
    assert tokenize("YYDS 这个SPF50 绝绝子") == ["yyds", "这个", "spf50", "绝绝", "绝子"]


def test_full_width_is_half_width_and_punctuation_splits_runs():
    assert tokenize("ＧＬＯＷ，好用！") == ["glow", "好用"]


def test_a_lone_han_character_is_a_term():
    assert tokenize("痒，") == ["痒"]


def test_emoji_and_punctuation_give_no_terms():
    assert tokenize("😭😭！！……") == []


DOCS = [
    "玫瑰精油必须先用基础油稀释，不能直接涂在脸上",
    "面膜敷十到十五分钟，不要敷着睡觉",
    "跨境物流一般五到十天签收，清关需要实名信息",
    "精华液一次用两到三滴",
]


def test_the_matching_document_ranks_first():
    bm = BM25(DOCS)
    assert bm.rank("精油可以直接涂脸吗")[0] == 0
    assert bm.rank("物流好慢，清关要多久")[0] == 2
    assert bm.rank("面膜能敷着睡觉吗")[0] == 1


def test_traditional_query_finds_simplified_document():
    assert BM25(DOCS).rank("精油可以直接塗臉嗎")[0] == 0


def test_no_shared_term_means_no_result():
    bm = BM25(DOCS)
    assert bm.rank("yyds") == []
    assert not bm.scores("完全无关的句子xyz").any()


def test_mask_excludes_documents():
    bm = BM25(DOCS)
    mask = np.array([False, True, True, True])
    assert 0 not in bm.rank("精油直接涂脸", mask=mask)


def test_rare_terms_weigh_more_than_common_ones():
    docs = ["这个产品这个价格", "这个产品这个颜色", "这个产品这个批次号", "这个产品这个包装"]
    bm = BM25(docs)
    assert bm.rank("这个批次号")[0] == 2


def test_limit_and_scores_shape():
    bm = BM25(DOCS)
    assert len(bm) == 4 and bm.scores("精油").shape == (4,)
    assert len(bm.rank("一次到十", limit=1)) == 1


def test_an_empty_corpus_scores_nothing():
    bm = BM25([])
    assert bm.rank("精油") == [] and bm.scores("精油").shape == (0,)
