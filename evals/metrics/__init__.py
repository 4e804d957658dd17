"""Eval metrics: pure functions from (expected labels, a DraftResult, the brand facts) to scores.

Nothing here runs a model or reads a file. Scores are in 0–1, higher is better.

- `classification`: accuracy, confusion, multi-label F1, appeal precision/recall, guardrail pass rate, Spearman;
- `reply_text`: text normalisation, the strategy rubric, must-use / must-not-say phrases, script match;
- `groundedness`: one extractor per kind of claim (amounts, ingredients, acronyms, certifications);
- `scoring`: the labels of a case (`Expected`), one case's scores (`score_case`), a run's (`summarize`).
"""
