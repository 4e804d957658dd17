"""agent.sources values: times, counts and pictures as the crawler tools write them."""

from __future__ import annotations

from datetime import datetime

import pytest

from agent.sources import values as v


@pytest.mark.parametrize(("raw", "expected"), [
    (1772326800000, "2026-03-01T01:00:00Z"),  # milliseconds
    (1772326800, "2026-03-01T01:00:00Z"),  # seconds: decided by magnitude
    ("1772326800000", "2026-03-01T01:00:00Z"),
    ("1772326800", "2026-03-01T01:00:00Z"),
    (1772326800.5, "2026-03-01T01:00:00Z"),
    ("2026-03-01 09:00:00", "2026-03-01T01:00:00Z"),  # Spider_XHS's upload_time: Beijing time
    ("2026-03-01 09:00", "2026-03-01T01:00:00Z"),
    ("2026/03/01 09:00:00", "2026-03-01T01:00:00Z"),
    ("2026-03-01T01:00:00Z", "2026-03-01T01:00:00Z"),
    ("2026-03-01T09:00:00+08:00", "2026-03-01T01:00:00Z"),
    (datetime(2026, 3, 1, 9, 0), "2026-03-01T01:00:00Z"),  # an Excel cell
    (None, None), ("", None), (0, None), ("昨天 12:30", None), (True, None),
])
def test_iso_utc(raw, expected):
    assert v.iso_utc(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    (12, 12), ("12", 12), ("1,234", 1234), ("1.2万", 12000), ("10+", 10), ("1.5w", 15000), ("3千", 3000),
    ("2k", 2000), ("1亿", 100_000_000), ("赞", 0), ("", 0), (None, 0), (12.0, 12), (-3, 0), (" 7 ", 7),
])
def test_count(raw, expected):
    assert v.count(raw) == expected


def test_pictures_in_every_shape():
    a, b = "https://sns-img-qc.xhscdn.com/a.jpg", "https://sns-img-qc.xhscdn.com/b.jpg"
    assert v.pictures(f"{a},{b}") == [a, b]
    assert v.pictures(f'["{a}", "{b}"]') == [a, b]
    assert v.pictures([a, b]) == [a, b]
    assert v.pictures([{"url_pre": "p", "url_default": a}, {"info_list": [{"url": b}]}]) == [a, b]
    assert v.pictures("") == [] and v.pictures(None) == [] and v.pictures("[]") == []


def test_tags_and_author_tag():
    assert v.tags("敏感肌,精华推荐") == ["敏感肌", "精华推荐"]
    assert v.tags([{"name": "面膜"}, "干皮"]) == ["面膜", "干皮"]
    assert v.has_author_tag(["is_author"]) and v.has_author_tag('["is_author"]')
    assert not v.has_author_tag([]) and not v.has_author_tag(None)
