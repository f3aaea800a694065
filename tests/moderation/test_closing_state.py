"""What a closed discussion looks like, and how every write route answers, once a moderator closes it."""

import uuid
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from forum.comments.models import Comment
from forum.moderation import services
from forum.posts.models import Post
from tests.factories import CommentFactory, ModeratorFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db

JSON = {"Accept": "application/json"}
LINKS = [{"label": "A newer discussion", "url": "/posts/newer/"}, {"label": "Helpline", "url": "tel:+1 800 555 0100"}]


@pytest.fixture
def moderator():
    user = ModeratorFactory()
    return user


@pytest.fixture
def closed(moderator):
    """A discussion with one comment, closed by a moderator with a reason and links."""
    comment = CommentFactory(body="Earlier words")
    post = services.discussion_close(
        post=comment.post,
        actor=moderator,
        reason="Cooling off for a week.",
        links=LINKS,
        reopens_at=timezone.now() + timedelta(days=7),
    )
    return Post.objects.get(pk=post.pk), Comment.objects.get(pk=comment.pk)


@pytest.fixture
def member(client):
    user = UserFactory()
    client.force_login(user)
    return user


def post_comment(client, post, body, *, parent=None, headers=None):
    data = {"body": body, "token": str(uuid.uuid4())}
    if parent:
        data["parent"] = parent.pk
    return client.post(reverse("comments:create", kwargs={"slug": post.slug}), data, headers=headers or {})


# --- The page ------------------------------------------------------------------


def test_closed_page_says_comments_are_closed_with_reason_and_dates(client, member, closed):
    post, _ = closed

    response = client.get(post.get_absolute_url())

    assert "Comments are closed." in response.text
    assert "Cooling off for a week." in response.text
    assert f'<time datetime="{timezone.localtime(post.closed_at).isoformat()}">' in response.text
    assert "Reopens on" in response.text


def test_closed_page_shows_where_to_go_now(client, member, closed):
    post, _ = closed

    response = client.get(post.get_absolute_url())

    assert '<a href="/posts/newer/">A newer discussion</a>' in response.text
    assert '<a href="tel:+1 800 555 0100">Helpline</a>' in response.text


def test_closed_page_has_no_reply_links_or_comment_form(client, member, closed):
    post, _ = closed

    response = client.get(post.get_absolute_url())

    assert "Earlier words" in response.text
    assert "?replyto=" not in response.text
    assert 'id="reply-form"' not in response.text


def test_reply_form_cannot_be_opened_by_link_on_a_closed_page(client, member, closed):
    post, comment = closed

    response = client.get(f"{post.get_absolute_url()}?replyto={comment.pk}")

    assert 'id="reply-form"' not in response.text


def test_moderator_still_gets_the_form_with_the_closed_notice(client, moderator, closed):
    post, _ = closed
    client.force_login(moderator)

    response = client.get(post.get_absolute_url())

    assert "Comments are closed." in response.text
    assert "As a moderator you can still post here." in response.text
    assert 'id="reply-form"' in response.text


# --- Every write route -----------------------------------------------------------


def test_new_comment_is_refused_with_the_text_shown_back(client, member, closed):
    post, _ = closed

    response = post_comment(client, post, "My long story about recovery")

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "Comments are closed." in response.text
    assert "Cooling off for a week." in response.text
    assert '<textarea id="refused-text" class="form-control" rows="8" readonly>My long story' in response.text
    assert Comment.objects.count() == 1


def test_reply_is_refused_with_the_text_shown_back(client, member, closed):
    post, comment = closed

    response = post_comment(client, post, "A reply I care about", parent=comment)

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "Comments are closed." in response.text
    assert "A reply I care about" in response.text
    assert Comment.objects.count() == 1


def test_edit_is_refused_with_the_text_shown_back(client, moderator):
    comment = CommentFactory(body="Original")
    services.discussion_close(post=comment.post, actor=moderator, reason="Cooling off.")
    client.force_login(comment.author)

    response = client.post(reverse("comments:edit", kwargs={"pk": comment.pk}), {"body": "Edited words"})

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "Comments are closed." in response.text
    assert "Edited words" in response.text
    assert Comment.objects.get(pk=comment.pk).body == "Original"


def test_edit_page_is_refused_on_a_closed_post(client, moderator):
    comment = CommentFactory()
    services.discussion_close(post=comment.post, actor=moderator)
    client.force_login(comment.author)

    response = client.get(reverse("comments:edit", kwargs={"pk": comment.pk}))

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "Comments are closed." in response.text


def test_refusal_answers_json_with_the_closed_state(client, member, closed):
    post, _ = closed

    response = post_comment(client, post, "x", headers=JSON)

    body = response.json()
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert body["code"] == "comments_closed"
    assert body["reason"] == "Cooling off for a week."
    assert body["closed_at"] == post.closed_at.isoformat()
    assert body["reopens_at"] == post.reopens_at.isoformat()
    assert body["links"] == LINKS


def test_reply_refusal_answers_json_too(client, member, closed):
    post, comment = closed

    response = post_comment(client, post, "x", parent=comment, headers=JSON)

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert response.json()["code"] == "comments_closed"


def test_edit_refusal_answers_json_too(client, moderator):
    comment = CommentFactory()
    services.discussion_close(post=comment.post, actor=moderator, reason="Cooling off.")
    client.force_login(comment.author)

    response = client.post(reverse("comments:edit", kwargs={"pk": comment.pk}), {"body": "x"}, headers=JSON)

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert response.json()["code"] == "comments_closed"
    assert response.json()["reason"] == "Cooling off."


def test_likes_still_work_on_a_closed_post(client, member, closed):
    post, comment = closed

    comment_response = client.post(reverse("comments:like"), {"comment": comment.pk}, headers=JSON)
    post_response = client.post(reverse("comments:post-like", kwargs={"slug": post.slug}), headers=JSON)

    assert comment_response.json() == {"liked": True, "count": 1}
    assert post_response.json() == {"liked": True, "count": 1}


def test_moderator_may_still_post_on_a_closed_discussion(client, moderator, closed):
    post, comment = closed
    client.force_login(moderator)

    response = post_comment(client, post, "A note from the moderators", parent=comment)

    assert response.status_code == HTTPStatus.FOUND
    assert Comment.objects.filter(body="A note from the moderators", parent=comment).exists()


# --- Feeds ---------------------------------------------------------------------


def test_comment_feed_says_the_discussion_is_closed_and_why(client, closed):
    post, _ = closed

    response = client.get(reverse("comments:feed", kwargs={"slug": post.slug}))

    subtitle = response.text.split("<subtitle>")[1].split("</subtitle>")[0]
    assert "Comments are closed." in subtitle
    assert "Cooling off for a week." in subtitle
    assert "They reopen on" in subtitle


def test_comment_feed_of_an_open_discussion_says_nothing_about_closing(client):
    post = PostFactory()

    response = client.get(reverse("comments:feed", kwargs={"slug": post.slug}))

    assert "closed" not in response.text


def test_comment_feed_announces_a_scheduled_close(client, moderator):
    post = services.discussion_close(post=PostFactory(), actor=moderator, at=timezone.now() + timedelta(days=2))

    response = client.get(reverse("comments:feed", kwargs={"slug": post.slug}))

    assert "Comments close on" in response.text


def test_posts_feed_entry_says_comments_are_closed_and_why(client, closed):
    response = client.get(reverse("posts:feed"))

    assert "&lt;strong&gt;Comments are closed. Cooling off for a week." in response.text


def test_posts_feed_entry_of_an_open_post_has_no_closing_line(client):
    PostFactory()

    response = client.get(reverse("posts:feed"))

    assert "Comments are closed." not in response.text
