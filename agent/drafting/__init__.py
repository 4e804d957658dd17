"""Drafting: the one seam through which replies and appeals are written, and the checks on them.

- `drafter`: the one interface the graph calls; the offline drafter answers when there is no model or the model fails;
- `llm`: the litellm client, structured output, retries (the only code that talks to a model);
- `prompts`: renders `prompts/*.md`;
- `offline`: the `offline` model, the script library filled with brand facts;
- `quoting`: which of the commenter's own words a reply restates, and how;
- `guardrails`: the named checks every draft passes through.
"""
