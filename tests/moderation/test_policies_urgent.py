"""Urgent triage: the writer of a comment held as urgent is shown where to find help, at once."""

import uuid
from http import HTTPStatus

import pytest
from django.urls import reverse

from forum.comments.models import Comment
from forum.moderation.models import WatchPhrase
from tests.factories import ModeratorFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db
HELP_LINKS = [
    {"label": "Call the support line on 0800 000 000", "url": ""},
    {"label": "Talk to the moderators", "url": "/moderation/contact/"},
]
PANEL_TITLE = "Thank you for writing. A moderator will read your comment soon."


@pytest.fixture(autouse=True)
def _urgent_phrase(settings):
    settings.SITE_HELP_LINKS = HELP_LINKS
    WatchPhrase.objects.create(phrase="end it all", action=WatchPhrase.Action.URGENT, note="may need support")


@pytest.fixture
def member(client):
    user = UserFactory()
    client.force_login(user)
    return user


def post_comment(client, post, body, *, json=False, **extra):
    headers = {"Accept": "application/json"} if json else {}
    data = {"body": body, "token": str(uuid.uuid4()), **extra}
    return client.post(reverse("comments:create", kwargs={"slug": post.slug}), data, headers=headers)


def test_writer_sees_the_help_panel_after_posting(client, member):
    post = PostFactory()

    response = post_comment(client, post, "I want to end it all.")
    page = client.get(response.url, follow=True)

    assert PANEL_TITLE in page.text
    assert "Call the support line on 0800 000 000" in page.text
    assert 'href="/moderation/contact/"' in page.text


def test_help_panel_sits_right_above_the_held_comment(client, member):
    post = PostFactory()

    post_comment(client, post, "I want to end it all.")
    page = client.get(post.get_absolute_url()).text

    comment = Comment.objects.get()
    assert page.index(f'id="{comment.anchor}"') < page.index(PANEL_TITLE) < page.index("I want to end it all.")


def test_help_panel_shows_once(client, member):
    post = PostFactory()

    post_comment(client, post, "I want to end it all.")
    client.get(post.get_absolute_url())
    again = client.get(post.get_absolute_url())

    assert PANEL_TITLE not in again.text
    assert "Your comment is awaiting moderation." in again.text


def test_no_help_panel_for_an_ordinary_hold(client, member, settings):
    settings.MODERATION_HOLD_ALL = True
    post = PostFactory()

    post_comment(client, post, "An ordinary comment.")
    page = client.get(post.get_absolute_url())

    assert PANEL_TITLE not in page.text


def test_other_readers_never_see_the_panel(client, member):
    post = PostFactory()
    post_comment(client, post, "I want to end it all.")

    client.force_login(UserFactory())
    page = client.get(post.get_absolute_url())

    assert PANEL_TITLE not in page.text
    assert "I want to end it all." not in page.text


def test_guest_is_taken_to_the_panel_at_the_top_of_the_discussion(client, settings):
    settings.COMMENTS_ALLOW_GUESTS = True
    post = PostFactory()

    response = post_comment(client, post, "I want to end it all.", guest_name="Ana", guest_email="ana@example.com")
    page = client.get(response.url)

    assert response.url == f"{post.get_absolute_url()}#help-panel"
    assert PANEL_TITLE in page.text
    assert "I want to end it all." not in page.text


def test_script_gets_the_panel_and_the_held_state(client, member):
    post = PostFactory()

    response = post_comment(client, post, "I want to end it all.", json=True)

    body = response.json()
    assert response.status_code == HTTPStatus.OK
    assert body["held"] is True
    assert PANEL_TITLE in body["help_html"]
    assert "Call the support line on 0800 000 000" in body["help_html"]
    assert "will appear once a moderator has approved it" in body["message"]
    assert "Your comment is awaiting moderation." in body["html"]


def test_script_gets_no_panel_for_a_published_comment(client, member):
    response = post_comment(client, PostFactory(), "Hello there.", json=True)

    body = response.json()
    assert body["held"] is False
    assert body["help_html"] == ""
    assert body["message"] == "Your comment has been posted."


def test_held_comment_from_the_script_offers_no_reply_link(client, member):
    response = post_comment(client, PostFactory(), "I want to end it all.", json=True)

    assert "?replyto=" not in response.json()["html"]


def test_moderators_see_the_urgent_comment_first_in_the_queue(client, member):
    post = PostFactory()
    post_comment(client, post, "An early ordinary comment.", json=False)
    Comment.objects.update(held_at=Comment.objects.get().created_at)
    post_comment(client, post, "I want to end it all.")
    moderator = ModeratorFactory()
    client.force_login(moderator)

    page = client.get(reverse("moderation:queue")).text

    assert page.index("I want to end it all.") < page.index("An early ordinary comment.")
    assert "Urgent" in page
