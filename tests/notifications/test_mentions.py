"""@username in a comment links to the profile; the text alone decides, so rendering stays pure."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from forum.posts.rendering import mentioned_usernames, render_comment_body, render_post_body
from tests.factories import CommentFactory, UserFactory


def test_mention_links_to_the_profile():
    html = render_comment_body("Thanks @rowan.")

    assert '<a href="/u/rowan/" class="mention" rel="nofollow ugc noopener">@rowan</a>.' in html


def test_email_addresses_are_not_mentions():
    assert "mention" not in render_comment_body("Write to ana@example.org")


def test_urls_with_at_signs_are_not_mentions():
    assert "mention" not in render_comment_body("https://social.example/@rowan")


def test_mentions_in_code_and_links_stay_as_written():
    html = render_comment_body("`@rowan` and [ask @rowan](https://example.org)")

    assert "mention" not in html
    assert "<code>@rowan</code>" in html


def test_unknown_names_are_linked_too():
    # The text alone decides: whether the member exists is asked when someone opens the link.
    assert 'href="/u/nobody-here/"' in render_comment_body("@nobody-here")


def test_posts_do_not_link_mentions():
    assert "mention" not in render_post_body("Thanks @rowan")


def test_mentioned_usernames_lists_each_once_in_order():
    assert mentioned_usernames("@b and @a, then @b again; `@c` no; [@d](https://example.org) no") == ["b", "a"]


def test_only_the_mention_class_survives_cleaning():
    html = render_comment_body("@rowan")

    assert html.count('class="') == 1


@pytest.mark.django_db
def test_mention_link_opens_the_members_profile(client):
    UserFactory(username="rowan")
    comment = CommentFactory(body="Hello @rowan")

    response = client.get(reverse("accounts:profile", kwargs={"username": "rowan"}))

    assert 'href="/u/rowan/"' in comment.body_html
    assert response.status_code == HTTPStatus.OK
