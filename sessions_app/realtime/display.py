"""The names and colours people are shown under: validated by the server, never trusted.

A name is plain text: no control, format or bidi-override characters (which
could disguise one name as another), whitespace collapsed, at most MAX_NAME_CHARS.
A colour is a CSS hex colour. The role shown beside a name is always the one
the server gave the connection, whatever the client wrote.
"""
import re
import unicodedata

from .changes import Refused

MAX_NAME_CHARS = 60
ANONYMOUS = "Anonymous"
DEFAULT_COLOR = "#888888"
_HEX_COLOR = re.compile(r"#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})")
# A random id a page keeps per browser, so that its tabs can be shown as one person.
_BROWSER_ID = re.compile(r"[A-Za-z0-9_-]{8,40}")


def clean_name(value) -> str:
    """The name to show for `value` (Refused when it is not a usable name)."""
    if not isinstance(value, str):
        raise Refused("invalid", "'name' must be a string")
    if any(unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn") and char not in " \t" for char in value):
        raise Refused("invalid", "'name' may not contain control, format or direction characters")
    name = " ".join(value.split())
    if not name or len(name) > MAX_NAME_CHARS:
        raise Refused("invalid", f"'name' must be 1 to {MAX_NAME_CHARS} characters")
    return name


def clean_color(value) -> str:
    if not isinstance(value, str) or not _HEX_COLOR.fullmatch(value):
        raise Refused("invalid", "'color' must be a CSS hex colour such as #e5484d")
    return value.lower()


def stamped_user(user, role: str) -> dict:
    """A client's `user` field (name, colour, browser) as the server shows it, with the server's role."""
    if not isinstance(user, dict):
        raise Refused("invalid", "'user' must be an object with 'name' and 'color'")
    stamped = {
        "name": clean_name(user.get("name", ANONYMOUS)),
        "color": clean_color(user.get("color", DEFAULT_COLOR)),
        "role": role,
    }
    browser = user.get("browser")
    if browser is not None:
        if not isinstance(browser, str) or not _BROWSER_ID.fullmatch(browser):
            raise Refused("invalid", "'browser' is a token of 8 to 40 letters, digits, - and _")
        stamped["browser"] = browser
    return stamped
