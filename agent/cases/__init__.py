"""The appeal case as data: the escalation ladder's rules (rules) and a case with what may happen to it next
(model). Pure pydantic models and functions on the contract alone, so drafting, the evals and the review
desk's case book read the same rules."""
