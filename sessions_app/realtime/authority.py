"""The rules table applied to document changes: a gate check, per kind of document.

A change is named by the actions it takes (editing the code, adding or removing
runs, setting `meta` keys, writing notes), and each action must be allowed for
the sender's role in the session's state before the change (rules.py).
"""
from .. import rules
from .changes import Change, Refused

# `meta` keys a client may set, by the action that sets them; the others are the server's.
META_ACTIONS = {"language": "set_language"}


EDIT_CODE = ("edit_code",)


def pad_actions(change: Change) -> tuple[str, ...]:
    """The actions a change to the pad takes, sorted (the first refused one is reported)."""
    if not change.maps and not change.arrays and len(change.texts) == 1 and "code" in change.texts:
        return EDIT_CODE  # a keystroke: no set to build and sort
    actions = set()
    if "code" in change.texts:
        actions.add("edit_code")
    for key in change.maps.get("meta", {}):
        actions.add(META_ACTIONS.get(key, "set_session_state"))
    runs = change.arrays.get("runs")
    if runs is not None:
        if runs.inserted:
            actions.add("add_run")
        if runs.deleted:
            actions.add("clear_runs")
    return tuple(sorted(actions))


def notes_actions(change: Change) -> tuple[str, ...]:
    return ("write_notes",) if change.texts else ()


def pad_state(gate) -> rules.SessionState:
    """The session's state before the change, for the pad's checks."""
    return gate.session_state


NOTES_STATE = rules.SessionState()


def notes_state(gate) -> rules.SessionState:
    """The notes have no session state of their own: always the live one."""
    return NOTES_STATE


def rules_check(actions_of, state_of):
    """A gate check refusing a change whose actions the sender's role may not take.

    `state_of(gate)` is the session's state as the document shows it before the change.
    """

    def check(change: Change, origin, gate) -> None:
        state = state_of(gate)
        for action in actions_of(change):
            if not rules.allowed(action, origin.identity.role, state):
                raise Refused(*rules.refusal(action, origin.identity.role, state))

    return check
