"""JSON from clients, read strictly: bounded nesting, finite numbers, nothing else.

One reader for every path (REST bodies, JSON socket messages, awareness states), so
a 100,000-deep array is a clear error everywhere instead of a RecursionError, and
NaN or Infinity never reach a browser's `JSON.parse`, which rejects them.
"""
import json
import math

MAX_DEPTH = 32


class StrictJSONError(ValueError):
    """Text that is not strict JSON, or is nested too deeply."""


def _no_constant(name):
    raise StrictJSONError(f"{name} is not allowed in JSON")


def _finite(text):
    value = float(text)
    if not math.isfinite(value):
        raise StrictJSONError(f"number {text[:20]} is out of range")
    return value


def loads(text: str | bytes, max_depth: int = MAX_DEPTH):
    """Parse `text`; StrictJSONError when it is malformed, not finite or too deep."""
    try:
        value = json.loads(text, parse_constant=_no_constant, parse_float=_finite)
    except RecursionError:
        raise StrictJSONError(f"nested deeper than {max_depth} levels") from None
    except json.JSONDecodeError as exc:
        raise StrictJSONError(f"malformed JSON: {exc.msg}") from None
    except StrictJSONError:
        raise
    except (ValueError, TypeError) as exc:  # e.g. an integer of more than 4300 digits, bad UTF-8
        raise StrictJSONError(f"malformed JSON: {str(exc)[:80]}") from None
    check_depth(value, max_depth)
    return value


def check_depth(value, max_depth: int = MAX_DEPTH) -> None:
    """StrictJSONError when lists and objects in `value` nest deeper than `max_depth`."""
    pending = [(value, 1)] if isinstance(value, (dict, list)) else []
    while pending:
        item, depth = pending.pop()
        children = item.values() if isinstance(item, dict) else item
        if depth > max_depth:
            raise StrictJSONError(f"nested deeper than {max_depth} levels")
        pending.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))


def dumps(value) -> str:
    """Compact JSON for what the server sends; non-ASCII stays as it is (smaller frames)."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
