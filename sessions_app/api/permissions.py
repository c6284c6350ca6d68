"""Who is asking, for one session, and whether the rules let them (rules.py, access.py)."""
from rest_framework.authentication import CSRFCheck
from rest_framework.exceptions import PermissionDenied

from .. import access, rules
from ..realtime.changes import Identity, Refused

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def session_state(session) -> rules.SessionState:
    return rules.SessionState(ended=session.ended_at is not None, candidate_may_run=session.candidate_may_run)


def identify(request, session) -> Identity:
    """The requester's identity in `session`: account, the session's role cookie, or a bearer key.

    A role proved by a cookie (an account's session cookie or a key link's cookie)
    must come with the CSRF token on writes, as Django requires for its own
    session cookie; a bearer key cannot be sent by another site's page.
    """
    bearer = access.bearer_key(request.headers.get("Authorization"))
    identity = access.identify(
        session, user=request.user, cookie=request.COOKIES.get(access.cookie_name(session.pk)), bearer=bearer
    )
    if request.method not in SAFE_METHODS and identity.role != access.CANDIDATE:
        if access.role_of_key(session, bearer) != identity.role:
            enforce_csrf(request)
    return identity


def authorize(request, session, action: str) -> Identity:
    """The requester's identity, if the rules allow `action` for it now; else 403 (409 once ended)."""
    identity = identify(request, session)
    state = session_state(session)
    if not rules.allowed(action, identity.role, state):
        raise Refused(*rules.refusal(action, identity.role, state))
    return identity


def enforce_csrf(request) -> None:
    """Django's CSRF check, as DRF's SessionAuthentication runs it (DRF views are CSRF-exempt)."""
    check = CSRFCheck(lambda request: None)
    check.process_request(request)
    reason = check.process_view(request, None, (), {})
    if reason:
        raise PermissionDenied(f"CSRF failed: {reason}")
