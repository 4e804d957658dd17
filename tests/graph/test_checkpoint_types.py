"""A paused draft's state goes through the checkpoint and comes back whole: every type in it, the contract's
enumerations included, is one the serializer is allowed to rebuild (a blocked one would come back as raw data
and log a warning on every resume)."""

from __future__ import annotations

import logging

from agent.enums import Action, Escalation, Source, Strategy, Violation
from agent.graph.build import serializer


def test_the_contracts_enumerations_come_back_from_a_checkpoint_as_themselves(caplog):
    serde = serializer()
    values = [Action.report, Escalation.platform_report, Source.competitor_attack, Strategy.neutral_rebuttal,
              Violation.rumor]
    with caplog.at_level(logging.WARNING):
        back = serde.loads_typed(serde.dumps_typed(values))
    assert back == values and [type(v) for v in back] == [type(v) for v in values]
    assert "Blocked deserialization" not in caplog.text
