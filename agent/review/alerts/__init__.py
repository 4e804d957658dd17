"""The team's chat alerts: when to raise one (triggers), storing and delivering it (outbox, records), and
the chat tools' webhooks."""
