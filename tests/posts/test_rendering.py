from forum.posts.rendering import render_comment_body, render_post_body


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
