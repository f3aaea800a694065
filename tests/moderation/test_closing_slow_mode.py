"""Slow mode: a member waits between two comments on the same discussion."""

import uuid
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from forum.comments.models import Comment
from forum.moderation import services
from tests.factories import CommentFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def slow_post():
    post = PostFactory()
    return services.discussion_slow_mode(post=post, actor=UserFactory(is_staff=True), seconds=300)


def post_comment(client, post, body, **headers):
    data = {"body": body, "token": str(uuid.uuid4())}
    return client.post(reverse("comments:create", kwargs={"slug": post.slug}), data, headers=headers)


def test_comment_too_soon_is_refused_with_the_time_left_and_the_text_kept(client, slow_post):
    first = CommentFactory(post=slow_post)
    client.force_login(first.author)

    response = post_comment(client, slow_post, "Another thought")

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "This discussion is in slow mode. You can comment again in" in response.text
    assert "Another thought" in response.text
    assert Comment.objects.count() == 1


def test_slow_mode_refusal_answers_json_with_when_to_retry(client, slow_post):
    first = CommentFactory(post=slow_post)
    client.force_login(first.author)

    response = post_comment(client, slow_post, "x", Accept="application/json")

    body = response.json()
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert body["code"] == "slow_mode"
    assert body["interval_seconds"] == 300
    assert body["retry_at"] == (first.created_at + timedelta(seconds=300)).isoformat()


def test_comment_after_the_interval_is_accepted(client, slow_post):
    first = CommentFactory(post=slow_post)
    Comment.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(seconds=301))
    client.force_login(first.author)

    response = post_comment(client, slow_post, "Later thought")

    assert response.status_code == HTTPStatus.FOUND


def test_slow_mode_applies_to_each_member_separately(client, slow_post):
    CommentFactory(post=slow_post)
    client.force_login(UserFactory())

    response = post_comment(client, slow_post, "My first here")

    assert response.status_code == HTTPStatus.FOUND


def test_moderators_are_not_slowed_down(client, slow_post):
    moderator = UserFactory(is_staff=True)
    CommentFactory(post=slow_post, author=moderator)
    client.force_login(moderator)

    response = post_comment(client, slow_post, "Moderator follow-up")

    assert response.status_code == HTTPStatus.FOUND


def test_slow_mode_off_lets_members_comment_again_at_once(client, slow_post):
    first = CommentFactory(post=slow_post)
    services.discussion_slow_mode(post=slow_post, actor=UserFactory(is_staff=True), seconds=0)
    client.force_login(first.author)

    response = post_comment(client, slow_post, "Right away")

    assert response.status_code == HTTPStatus.FOUND
