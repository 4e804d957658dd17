"""Where the learned sentiment model, not the lexicon's words, decides a comment's polarity.

On reviews nobody here tuned on, the sentiment model alone is more often right about polarity than the
words the rules match ("没买过这么差的东西" holds a pre-purchase phrase and scores negative 1.00). So the rules
never overrule it where it is sure: a comment it scores at least NEGATIVE_SURE is never praise, never a
question to thank, and never thanked.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from agent.knowledge.wording import praise as praise_words
from agent.knowledge.wording import turns
from agent.text import HAN_RE
from agent.triage import learned
from agent.triage.signals import Signals, clauses

NEGATIVE_SURE = 0.9
# Calibrated probabilities at which the sentiment model counts (chosen on the dev sets, see the model card).
PRAISE_SURE = 0.1  # below this the sentiment model outweighs the lexicon's complaint words
PRAISE_BELOW = 0.3
COMPLAINT_AT = 0.6
# One sentence of a glowing review the sentiment model is sure complains about ("…但不明白为什么没有免费
# 饮用水") keeps it a complaint. Higher than COMPLAINT_AT: a short sentence is read with less context.
SENTENCE_COMPLAINT_AT = NEGATIVE_SURE
_SENTENCE = re.compile(r"[。！!？?；;\n]+")  # sentence ends: punctuation, code structure


def sure_negative(scores: learned.Scores | Mapping[str, float] | None) -> bool:
    """The sentiment model is sure the comment complains (scores as computed, or as a triage keeps them)."""
    if scores is None:
        return False
    negative = scores.negative if isinstance(scores, learned.Scores) else scores.get("negative")
    return negative is not None and negative >= NEGATIVE_SURE


def scorned(folded: str) -> bool:
    """Praise words said in scorn ("呵呵，真是好服务啊", "好一个专业客服"): a complaint, never thanked."""
    return bool(praise_words().sarcasm.search(folded))


def is_praise(sig: Signals, folded: str, scores: learned.Scores | None, complaint_words: bool) -> bool:
    """Praise with no complaint in it. "…但/就是…" keeps a complaint a complaint whatever the scores say;
    otherwise the sentiment model decides when it is sure, and topic words ("味道", "质量") that the
    lexicon reads as complaints only count when the model is not."""
    if sig.has("safety") or sig.has("drawback") or scorned(folded):
        return False
    # The sentence check comes last: it scores every sentence, and most comments are settled before it.
    return _reads_as_praise(sig, folded, scores, complaint_words) and not _complaining_sentence(sig.unpraised)


def _reads_as_praise(sig: Signals, folded: str, scores: learned.Scores | None, complaint_words: bool) -> bool:
    words = praise_words()
    contrast = turns().praise_turns.search(folded)
    if contrast:
        # Praise, then "但/就是…": what follows the turn decides ("还可以就是有点辣" is a complaint).
        after = folded[contrast.end():]
        if words.suggestions.search(after) and not (sig.has("negative") or sig.has("quality") or sig.has("issue")):
            return True  # "…就是香肠如果再换换就好了": a wish after praise, not a complaint to apologise for
        if words.own_slips.search(after) and not sig.has("quality") and not _named_beside_slip(after, sig.markers.get("issue", [])):
            return True
        return bool(scores is not None and len(after) >= 4 and learned.score(after).negative < PRAISE_BELOW
                    and scores.negative < PRAISE_BELOW and not (complaint_words and sig.has("issue")))
    if scores is None:
        return sig.has("positive") and not complaint_words
    if scores.negative < PRAISE_SURE:
        return True
    return not complaint_words and (scores.negative < PRAISE_BELOW or
                                    (sig.has("positive") and scores.negative < COMPLAINT_AT))


def _named_beside_slip(after: str, issue: list[str]) -> bool:
    """A problem named outside the clause of the writer's own slip ("…手滑点错了口味" names none; "…手滑点错了，
    而且送得太慢" does)."""
    rest = "".join(c for c in clauses(after) if not praise_words().own_slips.search(c))
    return any(w in rest for w in issue)


def _complaining_sentence(unpraised: str) -> bool:
    """A sentence left once the praise is set aside that the sentiment model is sure complains."""
    return any(len(HAN_RE.findall(s)) >= 4 and not praise_words().own_slips.search(s)
               and learned.score(s).negative >= SENTENCE_COMPLAINT_AT for s in _SENTENCE.split(unpraised))
