"""Markdown that a coach typed, rendered to HTML that is safe to show a visitor."""

from __future__ import annotations

from functools import lru_cache

import nh3

_TAGS = {
    "p",
    "br",
    "hr",
    "strong",
    "em",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "h2",
    "h3",
    "h4",
    "del",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
_ATTRIBUTES = {"a": {"href", "title"}}
_SCHEMES = {"http", "https", "mailto"}


@lru_cache(maxsize=1)
def _parser():
    from markdown_it import MarkdownIt

    return (
        MarkdownIt("commonmark", {"html": False, "linkify": False})
        .enable("table")
        .enable("strikethrough")
    )


@lru_cache(maxsize=512)
def render_markdown(text: str) -> str:
    """Render markdown to sanitized HTML: no raw HTML, scripts, styles or non-web links."""
    html = _parser().render(text or "")
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes=_SCHEMES,
        link_rel="nofollow noopener noreferrer",
    )


def plain_excerpt(text: str, limit: int = 200) -> str:
    """A one-paragraph plain-text excerpt of markdown, for previews and meta descriptions."""
    plain = nh3.clean(_parser().render(text or ""), tags=set())
    words = " ".join(plain.split())
    return words if len(words) <= limit else words[: limit - 1].rsplit(" ", 1)[0] + "…"
