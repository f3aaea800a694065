"""Markdown to safe HTML, done once when text is saved.

Raw HTML in the source is escaped (shown as text), never interpreted; the
result is then cleaned by nh3 against an allow-list, so a bug in the Markdown
layer still cannot let markup through.
"""

import nh3
from django.conf import settings
from markdown_it import MarkdownIt

BASE_TAGS = {
    "p", "br", "hr", "strong", "em", "del", "s", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h2", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow ugc noopener"

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
    ["table", "strikethrough"]
)


def render_markdown(source: str, *, allow_images: bool) -> str:
    html = _markdown.render(source)
    tags = BASE_TAGS | {"img"} if allow_images else BASE_TAGS
    # Headings start at h2: the page's h1 is the post title.
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    return nh3.clean(
        html,
        tags=tags,
        attributes={tag: attrs for tag, attrs in ATTRIBUTES.items() if tag in tags},
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )


def render_post_body(source: str) -> str:
    return render_markdown(source, allow_images=True)


def render_comment_body(source: str) -> str:
    return render_markdown(source, allow_images=settings.COMMENTS_ALLOW_IMAGES)
