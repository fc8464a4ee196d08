"""The small Markdown subset coordinators write updates in: paragraphs, bold, italics, lists and
links. Anything else (raw HTML, images, headings, tables) comes out as plain text."""

from __future__ import annotations

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

ALLOWED_TAGS = {"p", "strong", "em", "ul", "ol", "li", "a", "br"}

# "zero" switches every rule off; only the ones groups need are switched back on. html=False
# escapes raw HTML rather than passing it through, and nh3 cleans what is left in case a rule
# ever produces more than we expect.
_md = MarkdownIt("zero", {"html": False, "linkify": False, "breaks": True}).enable(
    ["emphasis", "list", "link", "newline"]
)


def render_markdown(text: str) -> SafeString:
    html = _md.render(text or "")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above
