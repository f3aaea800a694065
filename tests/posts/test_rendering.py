import html
from types import SimpleNamespace

import pytest
from django.utils.html import strip_tags
from django.utils.text import Truncator

from forum.posts import rendering
from forum.posts.rendering import first_words, render_comment_body, render_post_body


def test_raw_html_is_shown_as_text():
    html = render_post_body("Hello <script>alert('x')</script>")

    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_raw_html_block_is_shown_as_text():
    html = render_post_body('<div onclick="steal()">block</div>')

    assert "<div" not in html
    assert "&lt;div" in html


def test_links_get_nofollow_ugc_noopener():
    html = render_post_body("[a site](https://example.org)")

    assert 'href="https://example.org"' in html
    assert 'rel="nofollow ugc noopener"' in html


def test_javascript_links_do_not_survive():
    html = render_post_body("[click](javascript:alert(1))")

    assert "<a" not in html
    assert 'href="javascript' not in html


def test_javascript_links_with_odd_case_do_not_survive():
    html = render_post_body("[click](JaVaScRiPt:alert(1)) <jAvascript:alert(2)>")

    assert "<a" not in html
    assert "href" not in html


def test_data_url_links_do_not_survive():
    html = render_post_body("[x](data:text/html;base64,PHNjcmlwdD4=)")

    assert "<a" not in html
    assert 'href="data:' not in html


def test_data_url_images_do_not_survive():
    html = render_post_body("![y](data:image/svg+xml;base64,PHN2Zz4=)")

    assert 'src="data:' not in html


def test_images_are_allowed_in_posts():
    html = render_post_body("![A chart](https://example.org/chart.png)")

    assert '<img src="https://example.org/chart.png" alt="A chart"' in html


def test_images_are_left_out_of_comments_by_default(settings):
    settings.COMMENTS_ALLOW_IMAGES = False

    html = render_comment_body("![A chart](https://example.org/chart.png)")

    assert "<img" not in html


def test_images_in_comments_when_allowed(settings):
    settings.COMMENTS_ALLOW_IMAGES = True

    html = render_comment_body("![A chart](https://example.org/chart.png)")

    assert "<img" in html


def test_h1_is_demoted_to_h2():
    html = render_post_body("# Big title\n\nText")

    assert "<h1" not in html
    assert "<h2>Big title</h2>" in html


def whole_text_words(stored_html: str, count: int) -> str:
    """The excerpt read the slow way: the whole body's text, then its first words."""
    return Truncator(html.unescape(strip_tags(stored_html))).words(count)


LONG_PARAGRAPH = "Carry *naloxone* & [test](https://example.org/a?b=1&c=2) your **supply**; " * 40


@pytest.mark.parametrize(
    "source",
    [
        "",
        "One short line.",
        'Tom & "Jerry" <3',
        LONG_PARAGRAPH,
        "- a list\n- of things\n\n> a quote\n\n```\ncode & more\n```\n\n" + LONG_PARAGRAPH,
        "x" * 2000 + " &amp; " + "word " * 60,
        ("&lt;tag&gt; " * 400) + "tail",
        # A ">" inside a quoted attribute value, words running across tags, a no-break space.
        '[a link](https://example.org "a > b") and na*lox*one **then** more&nbsp;words ' * 10,
        "Tom&nbsp;&amp;&nbsp;Jerry " * 30,
        # One long word made of many pieces, then words: counted again only as the text doubles.
        "na*lox*" * 300 + " one two three " * 20,
    ],
)
@pytest.mark.parametrize("count", [1, 30, 40])
def test_first_words_are_those_of_the_whole_text(source, count):
    stored = render_post_body(source)

    assert first_words(stored, count) == whole_text_words(stored, count)


def test_first_words_of_a_long_body_end_with_an_ellipsis():
    words = first_words(render_post_body(LONG_PARAGRAPH), 5)

    assert words == "Carry naloxone & test your…"


def test_first_words_count_the_text_again_only_as_it_doubles(monkeypatch):
    # Thousands of pieces that never make a word: counting the text again at each would be quadratic.
    stored = render_post_body("a*b*" * 5_000)
    counts = []

    def counting_unescape(text):
        counts.append(len(text))
        return html.unescape(text)

    monkeypatch.setattr(rendering, "html", SimpleNamespace(unescape=counting_unescape))

    words = first_words(stored, 40)

    assert words == whole_text_words(stored, 40)
    assert len(counts) < 30  # about log2 of the text's length, not one per piece
