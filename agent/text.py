"""Chinese script handling: detect 简/繁, convert with OpenCC, normalise text for matching.

Also the one home of the character classes several modules match with: `HAN` / `HAN_RE` (Han characters)
and `LINK_TLDS` (the link endings of off-platform links).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

from agent.schemas import Script

# The Han characters (CJK ideographs): the basic block, extension A and the compatibility ideographs.
# A character class body: `f"[{HAN}]"`, `f"[{HAN}]+"`.
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HAN_RE = re.compile(f"[{HAN}]")

# The link endings a comment (or a reply) spells out to send readers off the platform ("xx.com", "yy.top").
# A regex alternation: `rf"\b[a-z0-9-]+\.(?:{LINK_TLDS})\b"`.
LINK_TLDS = "com|cn|net|top|xyz|cc|vip|shop|link"


@lru_cache(maxsize=4)
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    return str(_converter("t2s").convert(text))


def to_traditional(text: str) -> str:
    # Taiwan standard with phrases: what a reader of Traditional Chinese expects (e.g. 簡訊, 軟體).
    return str(_converter("s2twp").convert(text))


def detect_script(text: str) -> Script:
    """zh-Hant when converting to Simplified changes more characters than converting to Traditional."""
    han = HAN_RE.findall(text)
    if not han:
        return "other"
    chars = "".join(han)
    trad_only = sum(a != b for a, b in zip(chars, to_simplified(chars), strict=False))
    simp_only = sum(a != b for a, b in zip(chars, _converter("s2t").convert(chars), strict=False))
    return "zh-Hant" if trad_only > simp_only else "zh-Hans"


def in_script(text: str, script: Script) -> str:
    """The text in the given script (a reply is written in the comment's script)."""
    return to_traditional(text) if script == "zh-Hant" else text


@lru_cache(maxsize=2048)  # the same comment, reply and facts are folded by several checks and metrics
def normalize_for_match(text: str) -> str:
    """NFKC (full-width → half-width), lower case, Simplified: the form lexicons and shingles use."""
    return to_simplified(unicodedata.normalize("NFKC", text)).lower()

# Idioms that name a symptom and mean something else ("不痛不痒的" = dull): never a reaction or its topic.
SYMPTOM_IDIOMS = re.compile(r"不痛不痒|不疼不痒|无关痛痒|头疼医头")
