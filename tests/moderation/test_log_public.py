"""The public log: what moderators did and why, never who was concerned or what was removed."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from forum.comments.models import Comment
from forum.moderation import services
from forum.moderation.log import record
from forum.moderation.models import ModerationAction
from forum.posts.models import Post
from tests.factories import CommentFactory, ModeratorFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db
Kind = ModerationAction.Kind
PUBLIC_LOG = reverse("moderation:public-log")


@pytest.fixture
def moderator():
    user = ModeratorFactory(username="maya", display_name="Maya Okafor")
    return user


@pytest.fixture
def member():
    return UserFactory(username="samrivers", display_name="Sam Rivers")


def rows(response) -> list[ModerationAction]:
    return list(response.context["page"].object_list)


def test_anyone_may_read_it(client):
    response = client.get(PUBLIC_LOG)

    assert response.status_code == HTTPStatus.OK


def test_lists_closures_removals_suspensions_and_locks_newest_first(client, moderator, member):
    post = PostFactory()
    comment = CommentFactory(post=post)
    services.discussion_close(post=post, actor=moderator, reason="Heated")
    services.discussion_reopen(post=post, actor=moderator)
    services.comment_lock(comment=comment, actor=moderator)
    services.comment_unlock(comment=comment, actor=moderator)
    services.comment_remove(comment=comment, actor=moderator, reason="Abuse")
    services.comment_mark_spam(comment=CommentFactory(post=post), actor=moderator)
    suspension = services.member_suspend(member=member, actor=moderator, reason="Abuse")
    services.suspension_lift(suspension=suspension, actor=moderator)

    response = client.get(PUBLIC_LOG)

    assert [action.kind for action in rows(response)] == [
        Kind.LIFT,
        Kind.SUSPEND,
        Kind.SPAM,
        Kind.REMOVE,
        Kind.UNLOCK,
        Kind.LOCK,
        Kind.REOPEN,
        Kind.CLOSE,
    ]


def test_leaves_out_the_moderators_housekeeping(client, moderator):
    comment = CommentFactory()
    Comment.objects.filter(pk=comment.pk).update(held_at=timezone.now())
    services.comment_approve(comment=comment, actor=moderator)
    services.comment_moderator_edit(comment=comment, actor=moderator, body="Tidied")
    services.discussion_slow_mode(post=comment.post, actor=moderator, seconds=600)
    services.discussion_hold_all(post=comment.post, actor=moderator, hold=True)

    response = client.get(PUBLIC_LOG)

    assert rows(response) == []


def test_never_shows_removed_text_or_the_members_concerned(client, moderator, member):
    post = PostFactory(title="Fentanyl test strips")
    removed = CommentFactory(post=post, author=member, body="Unrepeatable insult about someone")
    spam = CommentFactory(post=post, author=member, body="Buy cheap pills here now")
    services.comment_remove(comment=removed, actor=moderator, reason="Insult aimed at Jo", show_reason=True)
    services.comment_mark_spam(comment=spam, actor=moderator, suspend_author=True)
    services.comment_lock(comment=CommentFactory(post=post, author=member), actor=moderator, reason="Calm down")

    text = client.get(PUBLIC_LOG).text

    assert "Fentanyl test strips" in text
    for secret in ("Unrepeatable insult", "cheap pills", "samrivers", "Sam Rivers", "Maya Okafor", "maya"):
        assert secret not in text
    assert reverse("comments:permalink", kwargs={"pk": removed.pk}) not in text
    assert f"#{removed.anchor}" not in text


def test_shows_public_reasons_but_not_private_ones(client, moderator, member):
    services.member_suspend(
        member=member, actor=moderator, reason="Private notes about the case", public_reason="Harassment"
    )
    comment = CommentFactory()
    services.comment_remove(comment=comment, actor=moderator, reason="Kept among moderators", show_reason=False)

    text = client.get(PUBLIC_LOG).text

    assert "Reason: Harassment" in text
    assert "Private notes about the case" not in text
    assert "Kept among moderators" not in text


def test_says_until_when_a_member_is_suspended(client, moderator, member):
    until = timezone.now() + timedelta(days=7)
    services.member_suspend(member=member, actor=moderator, reason="Abuse", until=until)

    text = client.get(PUBLIC_LOG).text

    assert f"A member was suspended until {timezone.localtime(until):%-d %B %Y, %H:%M}" in text


def test_names_moderators_only_when_the_site_chooses_to(client, settings, moderator):
    settings.MODERATION_NAME_MODERATORS = True
    services.discussion_close(post=PostFactory(), actor=moderator, reason="Heated")

    text = client.get(PUBLIC_LOG).text

    assert "by Maya Okafor" in text


def test_automatic_closing_says_so(client):
    record(Kind.CLOSE, actor=None, post=PostFactory(), reason="Inactive", public_reason="Inactive", automatic=True)

    text = client.get(PUBLIC_LOG).text

    assert "automatically" in text
    assert "Reason: Inactive" in text


def test_does_not_name_a_post_that_is_not_public(client, moderator):
    post = PostFactory(title="A draft nobody has seen")
    services.discussion_close(post=post, actor=moderator, reason="Heated")
    Post.objects.filter(pk=post.pk).update(status=Post.Status.DRAFT)

    text = client.get(PUBLIC_LOG).text

    assert "A draft nobody has seen" not in text
    assert post.get_absolute_url() not in text


def test_pages_hold_fifty_entries(client):
    post = PostFactory()
    for _ in range(51):
        record(Kind.CLOSE, actor=None, post=post)

    first = client.get(PUBLIC_LOG)
    second = client.get(PUBLIC_LOG, {"page": 2})

    assert len(rows(first)) == 50
    assert len(rows(second)) == 1


@pytest.mark.parametrize("name_moderators", [False, True])
@pytest.mark.parametrize("count", [3, 30])
def test_runs_a_fixed_number_of_queries(
    client, settings, moderator, count, name_moderators, django_assert_max_num_queries
):
    settings.MODERATION_NAME_MODERATORS = name_moderators
    for number in range(count):
        comment = CommentFactory()
        record([Kind.REMOVE, Kind.SUSPEND, Kind.LOCK][number % 3], actor=moderator, comment=comment)

    with django_assert_max_num_queries(2):  # count, page of entries with their posts (and moderators)
        response = client.get(PUBLIC_LOG)

    assert len(rows(response)) == count
