"""Triage: what a comment is (source, severity, the platform rules it breaks) and the evidence for it.

- `rules`: the deterministic rules and lexicons, and `enforce_rules` (what a model may not overrule);
- `learned`: the offence and sentiment classifiers trained from public data (`redreply train`);
- `situation_model`: the learned situation model the plan consults where the script triggers miss;
- `training`, `training_situation`, `training_data`, `training_report`: `redreply train` and its model card;
- `pii`: personal data, found, masked, and never echoed;
- `dedup`: near-duplicate clusters (brigading) among recent comments;
- `orders`: the order lookup.
"""
