"""The query-embedding cache a batch warms ahead: each text embedded once, whoever asks first."""

import threading
import time

import numpy as np
import pytest

from agent.knowledge.query_vectors import QueryVectors


class CountingEmbed:
    def __init__(self, delay_s: float = 0.0, fail_on: str | None = None) -> None:
        self.calls: list[list[str]] = []
        self.delay_s, self.fail_on = delay_s, fail_on

    def __call__(self, texts: list[str]) -> list[np.ndarray]:
        self.calls.append(list(texts))
        time.sleep(self.delay_s)
        if self.fail_on in texts:
            raise RuntimeError("engine failed")
        return [np.full(3, float(len(t)), dtype=np.float32) for t in texts]

    @property
    def embedded(self) -> list[str]:
        return [t for call in self.calls for t in call]


def test_a_warmed_batch_is_one_engine_call_and_later_searches_embed_nothing():
    embed = CountingEmbed()
    cache = QueryVectors(embed)
    assert cache.warm(["物流太慢", "面膜好干", "物流太慢"]) == 2
    assert embed.calls == [["物流太慢", "面膜好干"]]
    assert cache.get("面膜好干").tolist() == [4.0, 4.0, 4.0]
    assert cache.warm(["面膜好干"]) == 0 and len(embed.calls) == 1


def test_a_search_waits_for_the_vector_being_computed_instead_of_embedding_it_again():
    embed = CountingEmbed(delay_s=0.2)
    cache = QueryVectors(embed)
    warming = threading.Thread(target=cache.warm, args=(["等了十天还没收到货"],))
    warming.start()
    time.sleep(0.05)  # the warm-up holds the text in flight
    vec = cache.get("等了十天还没收到货")
    warming.join()
    assert embed.embedded == ["等了十天还没收到货"] and vec.shape == (3,)


def test_a_failed_embedding_reaches_every_waiter_and_is_retried_next_time():
    embed = CountingEmbed(fail_on="坏")
    cache = QueryVectors(embed)
    with pytest.raises(RuntimeError):
        cache.warm(["坏", "好"])
    embed.fail_on = None
    assert cache.get("坏").tolist() == [1.0, 1.0, 1.0]  # nothing cached from the failure, nothing stuck in flight
    assert embed.calls[-1] == ["坏"]


def test_the_cache_keeps_the_most_recent_vectors_within_its_capacity():
    embed = CountingEmbed()
    cache = QueryVectors(embed, capacity=2)
    cache.warm(["a", "bb", "ccc"])
    assert len(cache) == 2
    cache.get("a")  # evicted: embedded again
    assert embed.calls[-1] == ["a"]
