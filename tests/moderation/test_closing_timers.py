"""Timers and the automatic-closing policy: decided when a page or a write asks, then written down."""

import uuid
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from forum.comments.models import Comment
from forum.comments.services import CommentRefused, comment_create
from forum.moderation import services
from forum.moderation.models import ModerationAction
from forum.posts.models import Post
from tests.factories import CommentFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db

Kind = ModerationAction.Kind


@pytest.fixture
def moderator():
    return UserFactory(is_staff=True)


@pytest.fixture
def member(client):
    user = UserFactory()
    client.force_login(user)
    return user


@pytest.fixture
def policy(settings):
    """Switch the site's policy on: `policy("after_publication", days=30, min_days=7)`."""

    def switch(name, *, days=30, min_days=7):
        settings.COMMENTS_AUTO_CLOSE = name
        settings.COMMENTS_AUTO_CLOSE_DAYS = days
        settings.COMMENTS_AUTO_CLOSE_MIN_DAYS = min_days

    return switch


def days_ago(days):
    return timezone.now() - timedelta(days=days)


def fresh(post):
    return Post.objects.get(pk=post.pk)


def post_comment(client, post, body="Still here"):
    return client.post(reverse("comments:create", kwargs={"slug": post.slug}), {"body": body, "token": uuid.uuid4()})


def old_comment(post, *, days):
    """A comment made `days` ago, written before the policy was switched on."""
    return CommentFactory(post=post, created_at=days_ago(days))


# --- Timers --------------------------------------------------------------------


def test_page_announces_a_scheduled_close(client, moderator):
    at = timezone.now() + timedelta(days=2)
    post = services.discussion_close(post=PostFactory(), actor=moderator, at=at)

    response = client.get(post.get_absolute_url())

    assert "Comments close on" in response.text
    assert f'<time datetime="{timezone.localtime(post.closed_at).isoformat()}">' in response.text
    assert "Comments are closed." not in response.text


def test_scheduled_close_takes_effect_at_its_time(client, member, moderator):
    post = services.discussion_close(
        post=PostFactory(), actor=moderator, reason="Timer", at=timezone.now() + timedelta(hours=1)
    )
    Post.objects.filter(pk=post.pk).update(closed_at=timezone.now() - timedelta(seconds=1))

    page = client.get(post.get_absolute_url())
    refused = post_comment(client, post, "Too late")

    assert "Comments are closed." in page.text
    assert refused.status_code == HTTPStatus.FORBIDDEN
    assert "Too late" in refused.text
    assert not Comment.objects.exists()


def test_scheduled_reopening_reopens(client, member, moderator):
    post = services.discussion_close(post=PostFactory(), actor=moderator, reopens_at=timezone.now() + timedelta(days=1))
    Post.objects.filter(pk=post.pk).update(reopens_at=timezone.now() - timedelta(seconds=1))

    page = client.get(post.get_absolute_url())
    response = post_comment(client, post, "Back again")

    assert "Comments are closed." not in page.text
    assert response.status_code == HTTPStatus.FOUND
    assert fresh(post).closed_at is None


def test_scheduled_reopening_is_logged_as_done_by_the_site(client, moderator):
    post = services.discussion_close(post=PostFactory(), actor=moderator, reopens_at=timezone.now() + timedelta(days=1))
    Post.objects.filter(pk=post.pk).update(reopens_at=timezone.now() - timedelta(seconds=1))

    client.get(post.get_absolute_url())

    action = ModerationAction.objects.first()
    assert (action.kind, action.actor, action.details["automatic"]) == (Kind.REOPEN, None, True)


def test_write_alone_applies_a_passed_reopening(moderator):
    post = services.discussion_close(post=PostFactory(), actor=moderator, reopens_at=timezone.now() + timedelta(days=1))
    Post.objects.filter(pk=post.pk).update(reopens_at=timezone.now() - timedelta(seconds=1))

    comment = comment_create(post=fresh(post), author=UserFactory(), body="First after reopening")

    assert comment.pk is not None


# --- The automatic-closing policy ----------------------------------------------


def test_policy_closes_after_publication_when_the_page_asks(client, policy):
    policy("after_publication", days=30)
    post = PostFactory(published_at=days_ago(31))

    response = client.get(post.get_absolute_url())

    after = fresh(post)
    assert "Comments are closed." in response.text
    assert after.closed_at == post.published_at + timedelta(days=30)
    assert after.close_reason == "Discussions close automatically 30 days after publication."


def test_automatic_close_is_logged_as_done_by_the_site(client, policy):
    policy("after_publication", days=30)
    post = PostFactory(published_at=days_ago(31))

    client.get(post.get_absolute_url())

    action = ModerationAction.objects.get()
    assert (action.kind, action.actor, action.post_id) == (Kind.CLOSE, None, post.pk)
    assert action.details["automatic"] is True


def test_automatic_close_is_logged_once(client, policy):
    policy("after_publication", days=30)
    post = PostFactory(published_at=days_ago(31))

    client.get(post.get_absolute_url())
    client.get(post.get_absolute_url())

    assert ModerationAction.objects.count() == 1


def test_policy_closes_when_a_write_asks(member, policy):
    policy("after_publication", days=30)
    post = PostFactory(published_at=days_ago(31))

    with pytest.raises(CommentRefused) as refused:
        comment_create(post=post, author=member, body="Nobody looked at the page first")

    assert refused.value.refusal.code == "comments_closed"
    assert fresh(post).closed_at is not None
    assert ModerationAction.objects.get().actor is None


def test_refused_write_on_an_automatically_closed_post_keeps_the_text(client, member, policy):
    policy("after_publication", days=30)
    post = PostFactory(published_at=days_ago(31))

    response = post_comment(client, post, "My words")

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "Comments are closed." in response.text
    assert "My words" in response.text


def test_page_announces_the_policy_close_in_advance(client, policy):
    policy("after_publication", days=30)
    post = PostFactory(published_at=days_ago(10))

    response = client.get(post.get_absolute_url())

    closes = timezone.localtime(post.published_at + timedelta(days=30))
    assert f'Comments close on <time datetime="{closes.isoformat()}">' in response.text


def test_policy_after_last_comment_closes_a_quiet_discussion(client, policy):
    post = PostFactory(published_at=days_ago(40))
    old_comment(post, days=15)
    policy("after_last_comment", days=14, min_days=7)

    client.get(post.get_absolute_url())

    after = fresh(post)
    assert after.is_closed
    assert after.closed_at == after.last_comment_at + timedelta(days=14)


def test_policy_after_last_comment_leaves_a_lively_discussion_open(client, policy):
    post = PostFactory(published_at=days_ago(40))
    recent = old_comment(post, days=3)
    policy("after_last_comment", days=14, min_days=7)

    response = client.get(post.get_absolute_url())

    closes = timezone.localtime(recent.created_at + timedelta(days=14))
    assert not fresh(post).is_closed
    assert f'Comments close on <time datetime="{closes.isoformat()}">' in response.text


def test_policy_after_last_comment_never_closes_before_the_minimum_age(client, policy):
    post = PostFactory(published_at=days_ago(3))
    old_comment(post, days=2)
    policy("after_last_comment", days=1, min_days=7)

    client.get(post.get_absolute_url())

    after = fresh(post)
    assert not after.is_closed
    assert "Comments close on" in client.get(post.get_absolute_url()).text


def test_policy_after_last_comment_without_comments_counts_from_publication(client, policy):
    policy("after_last_comment", days=14, min_days=7)
    post = PostFactory(published_at=days_ago(15))

    client.get(post.get_absolute_url())

    assert fresh(post).closed_at == post.published_at + timedelta(days=14)


def test_switching_the_policy_off_does_not_reopen(client, member, policy):
    policy("after_publication", days=30)
    post = PostFactory(published_at=days_ago(31))
    client.get(post.get_absolute_url())
    policy("off")

    response = post_comment(client, post)

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert fresh(post).is_closed


def test_moderator_reopening_exempts_the_post_from_the_policy(client, member, moderator, policy):
    policy("after_publication", days=30)
    post = PostFactory(published_at=days_ago(31))
    client.get(post.get_absolute_url())

    services.discussion_reopen(post=fresh(post), actor=moderator, reason="Still useful")
    response = post_comment(client, post)

    assert response.status_code == HTTPStatus.FOUND
    assert fresh(post).auto_close_exempt
    assert not fresh(post).is_closed


def test_exempt_post_never_closes_automatically(client, member, moderator, policy):
    policy("after_publication", days=30)
    post = PostFactory(published_at=days_ago(400))
    services.discussion_set_exempt(post=post, actor=moderator, exempt=True)

    page = client.get(post.get_absolute_url())
    response = post_comment(client, post)

    assert "Comments are closed." not in page.text
    assert "Comments close on" not in page.text
    assert response.status_code == HTTPStatus.FOUND


def test_policy_off_never_closes(client, member, policy):
    policy("off")
    post = PostFactory(published_at=days_ago(4000))

    response = post_comment(client, post)

    assert response.status_code == HTTPStatus.FOUND
    assert fresh(post).closed_at is None


def test_edit_is_refused_once_the_policy_closed_the_post(client, policy):
    comment = CommentFactory(post=PostFactory(published_at=days_ago(31)), body="Original")
    policy("after_publication", days=30)
    client.force_login(comment.author)

    response = client.post(reverse("comments:edit", kwargs={"pk": comment.pk}), {"body": "Changed"})

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "Changed" in response.text
    assert Comment.objects.get(pk=comment.pk).body == "Original"


def test_comment_feed_shows_an_automatic_close(client, policy):
    policy("after_publication", days=30)
    post = PostFactory(published_at=days_ago(31))

    response = client.get(reverse("comments:feed", kwargs={"slug": post.slug}))

    assert "Comments are closed. Discussions close automatically 30 days after publication." in response.text
