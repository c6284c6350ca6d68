"""Which role may do what, in which state of a session: the one table every path consults.

REST views, both sockets and the document's gate ask `allowed(action, role, state)`;
a new feature adds rows here, not role tests in handlers. States:

- `live`: the interview is on;
- `no_runs`: on, but the interviewer has turned off "candidate may run code";
- `ended`: ended by an interviewer: read-only for everyone until reopened.
"""
from dataclasses import dataclass, field

from .access import CANDIDATE, INTERVIEWER, OBSERVER

LIVE, NO_RUNS, ENDED = "live", "no_runs", "ended"
EVERYONE = {INTERVIEWER, CANDIDATE, OBSERVER}
EDITORS = {INTERVIEWER, CANDIDATE}
INTERVIEWERS = {INTERVIEWER}
WATCHERS = {INTERVIEWER, OBSERVER}
NOBODY = set()


def row(live, no_runs, ended) -> dict[str, frozenset]:
    return {LIVE: frozenset(live), NO_RUNS: frozenset(no_runs), ENDED: frozenset(ended)}


RULES: dict[str, dict[str, frozenset]] = {
    #                             live           no_runs        ended
    "read_session":          row(EVERYONE,      EVERYONE,      EVERYONE),
    "edit_code":             row(EDITORS,       EDITORS,       NOBODY),
    "set_language":          row(EDITORS,       EDITORS,       NOBODY),
    "add_run":               row(EDITORS,       INTERVIEWERS,  NOBODY),
    "clear_runs":            row(INTERVIEWERS,  INTERVIEWERS,  NOBODY),
    "show_presence":         row(EDITORS,       EDITORS,       EDITORS),
    "see_observers":         row(INTERVIEWERS,  INTERVIEWERS,  INTERVIEWERS),
    "rename":                row(INTERVIEWERS,  INTERVIEWERS,  INTERVIEWERS),
    "delete_session":        row(INTERVIEWERS,  INTERVIEWERS,  INTERVIEWERS),
    "end":                   row(INTERVIEWERS,  INTERVIEWERS,  NOBODY),
    "reopen":                row(NOBODY,        NOBODY,        INTERVIEWERS),
    "set_candidate_may_run": row(INTERVIEWERS,  INTERVIEWERS,  INTERVIEWERS),
    "set_question":          row(INTERVIEWERS,  INTERVIEWERS,  NOBODY),
    "see_guidance":          row(INTERVIEWERS,  INTERVIEWERS,  INTERVIEWERS),
    "read_history":          row(WATCHERS,      WATCHERS,      WATCHERS),
    "read_record":           row(INTERVIEWERS,  INTERVIEWERS,  INTERVIEWERS),
    "see_activity":          row(INTERVIEWERS,  INTERVIEWERS,  INTERVIEWERS),
    "report_activity":       row(EDITORS,       EDITORS,       NOBODY),
    "read_notes":            row(INTERVIEWERS,  INTERVIEWERS,  INTERVIEWERS),
    "write_notes":           row(INTERVIEWERS,  INTERVIEWERS,  INTERVIEWERS),
    "scorecard":             row(INTERVIEWERS,  INTERVIEWERS,  INTERVIEWERS),
    "share_links":           row(INTERVIEWERS,  INTERVIEWERS,  INTERVIEWERS),
    "manage_interviewers":   row(INTERVIEWERS,  INTERVIEWERS,  INTERVIEWERS),
    # Only the server sets the session's state in the document (after an `end`, say).
    "set_session_state":     row(NOBODY,        NOBODY,        NOBODY),
}


@dataclass(frozen=True)
class SessionState:
    ended: bool = False
    candidate_may_run: bool = True
    # The state's name, set once: `allowed` reads it for every keystroke.
    name: str = field(init=False, compare=False, repr=False)

    def __post_init__(self):
        object.__setattr__(self, "name", ENDED if self.ended else LIVE if self.candidate_may_run else NO_RUNS)


def allowed(action: str, role: str, state: SessionState) -> bool:
    return role in RULES[action][state.name]


def refusal(action: str, role: str, state: SessionState) -> tuple[str, str]:
    """(code, message) for an action `role` may not take in `state`."""
    if state.ended and role in RULES[action][LIVE]:
        return "ended", "the interview has ended: the session is read-only"
    if action == "add_run" and role == CANDIDATE:
        return "forbidden", "the interviewer has turned off running code for candidates"
    return "forbidden", f"{a_role(role)} may not {action.replace('_', ' ')} in this session"


def a_role(role: str) -> str:
    """The role with its article: an interviewer, a candidate, an observer."""
    return f"{'an' if role[:1] in 'aeiou' else 'a'} {role}"
