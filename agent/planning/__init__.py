"""The planning policy: how a triaged comment is answered, as pure functions over plain inputs.

It sits between agent.drafting and agent.graph: it reads the triage, the knowledge and the drafting's
script choice, and never the graph, the review desk, the CLI or the UI. The graph's `plan` node builds a
`PlanInput` from its state, asks the situation model only where `model_gate.asks_model` says so, and
returns `planner.plan_for`'s Plan.

- inputs.py: `PlanInput`, what the policy reads of one comment (triage, folded text, thread, cluster)
  and of the brand's knowledge (brand, script library, lexicons).
- policy.py: the reply strategy of each source (`STRATEGY`, `strategy_for`), whether to appeal
  (`should_appeal`, from the one reason decision in agent.drafting.appeal_reason) and the escalation step (`escalation`).
- scripts.py: the rules' script choice: what the complaint is about, the situation the rules insist on
  (a follow-up, a reaction, praise, a group attack), the template, the product (`ScriptChoice`).
- model_gate.py: when the learned situation model is asked (`asks_model`) and when its answer replaces
  the rules' (`model_decides`, `decided_situation`).
- planner.py: the decisions put together into one `Plan` (`plan_for`).
"""
