"""The service layer's messages (agent.review words them in English, for the CLI and the logs) in the desk's
language: each known message is a msgid with {placeholders}, matched against the text and translated with
its values. tests/ui/test_i18n.py holds every one of them to a translation, and tests/ui/test_service_text.py
checks that the messages the service really raises are matched.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ui.i18n import N_, t

SERVICE_MESSAGES = [
    N_("item {id} is already {status} by {who}"), N_("item {id} is already {status}"),
    N_("item {id} changed since you selected it (now {status} by {who})"),
    N_("item {id} changed since you selected it (now {status})"),
    N_("item {id} fails {checks}: open it to approve"),
    N_("item {id} is {status}: only pending items are drafted"),
    N_("item {id} is {status}: nothing to bring back"),
    N_("item {id} was changed since by {who}: left as it is"),
    N_("item {id} is {status}"),
    N_("{name} is a {role}: a {role} cannot {action}"), N_("{name} is an {role}: an {role} cannot {action}"),
    N_("{name} ({role}) has no access to brand {brand}"),
    N_("{name} is a {role}: a {role} can take an item, not assign it to someone else"),
    N_("account {name} is disabled: assign the item to an active account"),
    N_("{name} ({role}) cannot work on brand {brand} items"),
    N_("no account named {name}"),
    N_("a rejection needs a reason"), N_("the reply is empty"), N_("fill {slots} in the reply first"),
    N_("brand {brand} needs a second person on severity-3 items: {name} edited this draft, so someone else must "
       "approve it"),
    N_("drafting decides nothing: there is nothing to undo"),
    N_("item {id} changed since you opened it (a newer draft or decision); reload it"),
    N_("a suggested reply cannot be empty"),
]


@lru_cache(maxsize=256)
def msgid_pattern(msgid: str) -> re.Pattern[str]:
    """The texts a msgid words: its {placeholders} match any value (the same one where a name repeats)."""
    parts = re.split(r"\{(\w+)\}", msgid)
    regex, seen = "", set[str]()
    for i, part in enumerate(parts):
        if i % 2 == 0:
            regex += re.escape(part)
        elif part in seen:
            regex += f"(?P={part})"
        else:
            regex += f"(?P<{part}>.+?)"
            seen.add(part)
    return re.compile(regex + "$")


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[re.Pattern[str], str]]:
    return [(msgid_pattern(msgid), msgid) for msgid in SERVICE_MESSAGES]


def service_text(message: str) -> str:
    """`message` in the desk's language when it is a known service message; as it is otherwise."""
    text = message.strip().strip("'")
    for pattern, msgid in _patterns():
        m = pattern.match(text)
        if m:
            values = {k: v.strip("'") for k, v in m.groupdict().items()}
            for key in ("status", "role", "action"):  # enum values shown as their labels
                if key in values:
                    values[key] = t(values[key].replace(" ", "_") if key == "action" else values[key])
            return t(msgid, **values)
    return message
