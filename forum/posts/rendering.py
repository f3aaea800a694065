"""Markdown to safe HTML, done once when text is saved.

Raw HTML in the source is escaped (shown as text), never interpreted; the
result is then cleaned by nh3 against an allow-list, so a bug in the Markdown
layer still cannot let markup through.

In comments, every `@name` shaped like a username links to that profile. Rendering
stays a function of the text alone: it does not ask whether the member exists (an
unknown name's link finds no profile), so stored HTML never depends on who had
signed up when the comment was saved. Who is actually told about a mention is
decided when the comment is published, from the same names (`mentioned_usernames`).
"""

import html
import re

import nh3
from django.conf import settings
from django.urls import reverse
from django.utils.text import Truncator
from markdown_it import MarkdownIt
from markdown_it.token import Token

from accounts.usernames import normalize

BASE_TAGS = {
    "p", "br", "hr", "strong", "em", "del", "s", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h2", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow ugc noopener"
MENTION_CLASS = "mention"
# "@" then a username (letters, digits, "_", "." and "-"), not ending in "." or "-" so that
# "thanks @sam." mentions sam. Not after a letter, digit or URL character, so neither
# "ana@example.org" nor "https://example.org/@sam" is a mention.
MENTION = re.compile(r"(?<![\w@/.:+-])@(\w(?:[\w.-]*\w)?)")

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
    ["table", "strikethrough"]
)


def _text_outside_links(tokens: list[Token]):
    """Yield (inline token, index of child) for each text child not inside a link; code is never text."""
    for token in tokens:
        if token.type != "inline" or not token.children:
            continue
        in_link = 0
        for index, child in enumerate(token.children):
            if child.type == "link_open":
                in_link += 1
            elif child.type == "link_close":
                in_link -= 1
            elif child.type == "text" and not in_link:
                yield token, index


def mentioned_usernames(source: str) -> list[str]:
    """The usernames `source` mentions, each once, in order of first mention."""
    names = {}
    for token, index in _text_outside_links(_markdown.parse(source)):
        for match in MENTION.finditer(token.children[index].content):
            names.setdefault(normalize(match.group(1)), None)
    return list(names)


def _link_mentions(tokens: list[Token]) -> None:
    # Splice from the last text child backwards, so earlier indexes stay valid.
    for token, index in reversed(list(_text_outside_links(tokens))):
        text = token.children[index].content
        pieces, start = [], 0
        for match in MENTION.finditer(text):
            href = reverse("accounts:profile", kwargs={"username": normalize(match.group(1))})
            pieces += [
                Token("text", "", 0, content=text[start : match.start()]),
                Token("link_open", "a", 1, attrs={"href": href, "class": MENTION_CLASS}),
                Token("text", "", 0, content=match.group(0)),
                Token("link_close", "a", -1),
            ]
            start = match.end()
        if pieces:
            pieces.append(Token("text", "", 0, content=text[start:]))
            token.children[index : index + 1] = pieces


def render_markdown(source: str, *, allow_images: bool, mentions: bool = False) -> str:
    tokens = _markdown.parse(source)
    if mentions:
        _link_mentions(tokens)
    html = _markdown.renderer.render(tokens, _markdown.options, {})
    tags = BASE_TAGS | {"img"} if allow_images else BASE_TAGS
    # Headings start at h2: the page's h1 is the post title.
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    return nh3.clean(
        html,
        tags=tags,
        attributes={tag: attrs for tag, attrs in ATTRIBUTES.items() if tag in tags},
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        allowed_classes={"a": {MENTION_CLASS}} if mentions else None,
        strip_comments=True,
    )


def render_post_body(source: str) -> str:
    return render_markdown(source, allow_images=True)


def render_comment_body(source: str) -> str:
    return render_markdown(source, allow_images=settings.COMMENTS_ALLOW_IMAGES, mentions=True)


# Stored HTML is nh3's output: text never holds a bare "<" (it is written &lt;), and every
# attribute value is in double quotes, where a ">" may stand. So the HTML is a run of
# text pieces and tags, a tag being "<", then anything but ">" and quotes, or quoted values, then ">".
TEXT_OR_TAG = re.compile(r'([^<]+)|<[^>"]*(?:"[^"]*"[^>"]*)*>')


def first_words(stored_html: str, count: int) -> str:
    """The start of stored HTML as plain text: its first `count` words, "…" if there are more.

    Escape it like any other text. Reads only as much of a long body as the words
    need: a listing shows ten excerpts, and reading every body whole with an HTML
    parser was a quarter of its time.
    """
    pieces: list[str] = []
    read = recount_at = 0
    for match in TEXT_OR_TAG.finditer(stored_html):
        if piece := match[1]:
            pieces.append(piece)
            read += len(piece)
            # Words may run across tags ("na<em>lox</em>one"), so they are counted in the
            # text so far, each time it has doubled: the counting stays linear in its length.
            if read >= recount_at:
                if len(html.unescape("".join(pieces)).split()) > count:
                    break
                recount_at = 2 * read
    return Truncator(html.unescape("".join(pieces))).words(count)
