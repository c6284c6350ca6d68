"""Request bodies: JSON only, read strictly.

Only JSON is parsed, so a cross-site HTML form (urlencoded, multipart or text/plain)
cannot make a state-changing call: browsers send JSON across sites only after a
CORS preflight, which this server answers only for CORS_ALLOWED_ORIGINS.
"""
from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from .. import strict_json


class StrictJSONParser(JSONParser):
    """JSON with bounded nesting and finite numbers; anything else is a 400 with a `detail`."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            return strict_json.loads(stream.read().decode(encoding))
        except (strict_json.StrictJSONError, UnicodeDecodeError) as exc:
            raise ParseError(f"JSON parse error: {exc}") from None
