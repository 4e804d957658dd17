"""Who works the desk: accounts, roles, suggested edits, the decision rules and the admin-only re-index."""
