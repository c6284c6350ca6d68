"""Question statements: Markdown rendered to HTML that is safe to show to anyone.

Raw HTML in the source is escaped, never passed through; links may only go to
http(s) and mailto addresses and open in a new tab without a referrer; images
must be inline data (PNG, JPEG, GIF, WebP): a remote image would make every
candidate's browser fetch from another host. Code blocks keep their language
class for highlighting.
"""
import re

from markdown_it import MarkdownIt

_SAFE_IMAGE = re.compile(r"^data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]+$")
_SAFE_LINK = re.compile(r"^(https?:|mailto:)", re.IGNORECASE)


def _image(self, tokens, index, options, env):
    token = tokens[index]
    if not _SAFE_IMAGE.match(token.attrGet("src") or ""):
        return self.renderInline(token.children or [], options, env)  # the alt text alone
    return self.image(tokens, index, options, env)


def _link_open(self, tokens, index, options, env):
    token = tokens[index]
    href = token.attrGet("href") or ""
    if not _SAFE_LINK.match(href):
        token.attrSet("href", "#")
    token.attrSet("target", "_blank")
    token.attrSet("rel", "nofollow noopener noreferrer")
    return self.renderToken(tokens, index, options, env)


_renderer = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table").enable("strikethrough")
_renderer.add_render_rule("image", _image)
_renderer.add_render_rule("link_open", _link_open)


def render(source: str) -> str:
    """Safe HTML for Markdown `source`."""
    return _renderer.render(source or "")
