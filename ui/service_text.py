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
    N_("{id} is assigned to {name}: an approver can reassign it"),
    N_("account {name} is disabled: assign the item to an active account"),
    N_("{name} ({role}) cannot work on brand {brand} items"),
    N_("no account named {name}"),
    N_("a rejection needs a reason"), N_("the reply is empty"), N_("fill {slots} in the reply first"),
    N_("brand {brand} needs a second person on severity-3 items: {name} edited this draft, so someone else must "
       "approve it"),
    N_("drafting decides nothing: there is nothing to undo"),
    N_("item {id} changed since you opened it (a newer draft or decision); reload it"),
    N_("a suggested reply cannot be empty"),
    N_("approval blocked: fill {slots} in the reply first"), N_("approval blocked: the reply is empty"),
    N_("edit needs the edited reply text"),
    N_("item {id} is {status}: only a draft under review takes suggestions"),
    N_("item {id} has no suggestion #{seq}"), N_("item {id}: the action left no step to undo"),
    N_("bulk action {id} was undone at {at}"), N_("no bulk action {id}"),
    N_("no item '{id}' in the queue (see `redreply review list`)"), N_("no item '{id}' in the queue"),
    N_("item {id} is already {status} by {who} at {at}; reload it"), N_("item {id} is already {status}; reload it"),
    N_("item {id} is {status}: it cannot be reopened"),
    N_("account {name} is disabled"), N_("sign in to {action}"),
    # The cases page: the ladder's refusals (agent.cases.model), worded for the buttons, not the CLI's commands.
    N_("case {id} changed while its next rung was drafted; run it again"),
    N_("no case for '{id}' (a case opens when a draft carries an appeal; see `redreply case list`)"),
    N_("no case for '{id}' (see `redreply case list`)"),
    N_("case {id} is closed: taken down at {rung} on {at}"),
    N_("case {id} is closed: closed at {rung} on {at}"),
    N_("{rung} of case {id} was already submitted at {at}; record its outcome (`case outcome`)"),
    N_("{rung} of case {id} was answered ({status}); escalate (`case escalate`) to draft the next rung"),
    N_("{rung} of case {id} is not submitted yet: `case submit {id}` first"),
    N_("{rung} of case {id} was already answered ({status}); escalate (`case escalate`) for the next rung"),
    N_("{rung} of case {id} is not submitted yet: submit it and record the answer before escalating"),
    N_("{rung} of case {id} is waiting for an answer until {at}: record its outcome (`case outcome`) first"),
    N_("'{reason}' was already reported for case {id}: never the same reason twice"),
    N_("'{reason}' is not true of case {id} (true: {reasons}): a report reason must be true"),
    N_("nothing in the comments of case {id} shows '{reason}' (they show: {reasons}): a report reason must be one "
       "the comment shows"),
    N_("the second report of case {id} is a note that no other reason fits: there is nothing to submit; escalate "
       "(`case escalate`) to the next rung"),
    N_("the second report of case {id} is a note that no other reason fits: nothing was filed, so there is no "
       "answer to record; escalate (`case escalate`) to the next rung"),
    N_("{rung} is the last rung: there is nothing to escalate case {id} to"),
    N_("legal brief blocked until the evidence checklist is complete; still missing: {items} "
       "(`case checklist {id} --done ITEM…`)"),
    N_("name the checklist items done; items: {items}"),
    # extortion's own track (agent.cases.rules.EXTORTION_TRACK)
    N_("{rung} is the last step of extortion case {id}: there is nothing to escalate to"),
    N_("case {id} is extortion: after {rung} comes {next}, not {target} (its steps: {steps})"),
    N_("police report blocked until the evidence is preserved; still missing: {items} "
       "(`case checklist {id} --done ITEM…`)"),
]
# Values shown as their labels: one each, or ", "-joined lists of them.
LABELLED = ("status", "role", "action", "rung", "reason", "next", "target")
LABELLED_LISTS = ("checks", "reasons", "items")


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
    # Longest first: "item {id} is {status}: it cannot be reopened" before "item {id} is {status}".
    return [(msgid_pattern(msgid), msgid) for msgid in sorted(SERVICE_MESSAGES, key=len, reverse=True)]


def service_text(message: str) -> str:
    """`message` in the desk's language when it is a known service message; as it is otherwise."""
    text = message.strip()
    for pattern, msgid in _patterns():
        # A KeyError's message comes quoted; a message may also open on a quoted value ("'rumor' was already…").
        m = pattern.match(text) or pattern.match(text.strip("'"))
        if m:
            values = {k: v.strip("'") for k, v in m.groupdict().items()}
            for key in LABELLED:  # enum values shown as their labels
                if key in values:
                    values[key] = t(values[key].replace(" ", "_") if key == "action" else values[key])
            for key in LABELLED_LISTS:
                if key in values:
                    values[key] = "、".join(t(v) for v in values[key].split(", "))
            return t(msgid, **values)
    return message
