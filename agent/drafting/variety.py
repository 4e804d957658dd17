"""When two public replies are near-identical: the one similarity measure the sameness figure
(evals.metrics.sameness) and the drafter share, so "near-identical" means one thing everywhere."""

from __future__ import annotations

from rapidfuzz import fuzz

# A rapidfuzz ratio of 0.8 or more: onlookers read the two replies as one reply said twice.
NEAR_IDENTICAL = 0.8


def similarity(a: str, b: str) -> float:
    """0–1: how much of the two texts is the same, character by character (rapidfuzz's normalised Indel ratio)."""
    return float(fuzz.ratio(a, b)) / 100.0

