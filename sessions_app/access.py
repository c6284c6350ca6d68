"""Who someone is in a session, decided by the server from what it can check, never from a claim.

- A signed-in account that owns the session, was added to it, or is a superuser: interviewer.
- The session's interviewer key (its secret link, the cookie that link sets, or
  `Authorization: Bearer <key>` for scripts): interviewer.
- The session's observer key (link, cookie or bearer): observer.
- Anyone else with the plain link: candidate.

Keys are 192 random bits. The interviewer key is shown once and stored as a SHA-256 hash
only; the observer key is derived from SECRET_KEY and a per-session nonce (so interviewers
can copy its link again) and is not stored at all. The cookie a key link sets holds no key:
it is signed, names the session and the role, and carries a fingerprint of the key, so a new
key revokes it. It is HttpOnly (page scripts never see it) and SameSite=Strict.
"""
import base64
import hashlib
import hmac
import secrets

from django.conf import settings
from django.core import signing

from .realtime.changes import Identity

INTERVIEWER, CANDIDATE, OBSERVER = "interviewer", "candidate", "observer"
IDENTIFYING_FIELDS = ("owner", "interviewer_key_hash", "observer_key_nonce")  # what `identify` reads of a session
COOKIE_SALT = "interview-pad.role"
COOKIE_MAX_AGE = 30 * 24 * 3600


def new_key() -> str:
    return secrets.token_urlsafe(24)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue_interviewer_key(session) -> str:
    """A new interviewer key for `session` (the caller saves the session); the old one stops working."""
    key = new_key()
    session.interviewer_key_hash = hash_key(key)
    return key


def observer_key(session) -> str:
    """The session's observer key (the caller saves the session if a nonce had to be made)."""
    if not session.observer_key_nonce:
        session.observer_key_nonce = secrets.token_hex(16)
    message = f"observer:{session.pk}:{session.observer_key_nonce}".encode()
    digest = hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:24]).decode()


def role_of_key(session, key) -> str | None:
    """The role a key gives in `session`, if any (compared in constant time)."""
    if not isinstance(key, str) or not key or len(key) > 200:
        return None
    if session.interviewer_key_hash and hmac.compare_digest(hash_key(key), session.interviewer_key_hash):
        return INTERVIEWER
    if session.observer_key_nonce and hmac.compare_digest(key, observer_key(session)):
        return OBSERVER
    return None


def _fingerprint(session, role) -> str:
    source = session.interviewer_key_hash if role == INTERVIEWER else hash_key(observer_key(session))
    return source[:16]


def cookie_name(session_id: str) -> str:
    return f"pad_{session_id}"


def role_cookie(session, role: str) -> str:
    """The signed value of the cookie that makes this browser `role` in `session`."""
    return signing.dumps({"s": session.pk, "r": role, "k": _fingerprint(session, role)}, salt=COOKIE_SALT)


def role_from_cookie(session, value) -> str | None:
    if not value:
        return None
    try:
        data = signing.loads(value, salt=COOKIE_SALT, max_age=COOKIE_MAX_AGE)
    except signing.BadSignature:
        return None
    role = data.get("r")
    if data.get("s") != session.pk or role not in (INTERVIEWER, OBSERVER):
        return None
    if (role == INTERVIEWER and not session.interviewer_key_hash) or data.get("k") != _fingerprint(session, role):
        return None
    return role


def is_interviewer_account(session, user) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or session.owner_id == user.pk or session.co_interviewers.filter(pk=user.pk).exists()


def identify(session, user=None, cookie: str | None = None, bearer: str | None = None) -> Identity:
    """The identity of whoever presents `user`, the session's role `cookie` and a `bearer` key."""
    if is_interviewer_account(session, user):
        return Identity(INTERVIEWER, f"user:{user.pk}", user.get_username())
    roles = {role_of_key(session, bearer), role_from_cookie(session, cookie)}
    if INTERVIEWER in roles:
        return Identity(INTERVIEWER, "key")
    if OBSERVER in roles:
        return Identity(OBSERVER, "key")
    return Identity(CANDIDATE, "link")


def bearer_key(authorization: str | None) -> str | None:
    """The key of an `Authorization: Bearer <key>` header."""
    if authorization and authorization[:7].lower() == "bearer ":
        return authorization[7:].strip()
    return None
