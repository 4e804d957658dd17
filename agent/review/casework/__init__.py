"""Appeal cases on the escalation ladder: the case book, working a case, and its figures (the pure model and
rules are agent.cases)."""
