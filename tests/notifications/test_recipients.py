"""Who hears about a newly published comment, and who does not."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from forum.comments.models import Comment
from forum.comments.services import comment_create
from forum.moderation.services import comment_approve, comment_remove
from forum.notifications.models import COMMENT_KINDS, Channel, Follow, Kind, Notification, Preference
from forum.notifications.services import follow_set
from forum.posts.models import Post
from tests.factories import CommentFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db


def told(comment) -> dict[str, str]:
    """Who heard of `comment` as a new comment (moderation notices about it aside), and why."""
    about = Notification.objects.filter(comment=comment, kind__in=COMMENT_KINDS)
    return {notification.recipient.username: notification.kind for notification in about}


@pytest.fixture
def moderator():
    return UserFactory(is_staff=True)


def test_reply_notifies_the_parent_author(committed):
    parent = CommentFactory()
    with committed():
        reply = CommentFactory(post=parent.post, parent=parent)

    assert told(reply) == {parent.author.username: Kind.REPLY}


def test_top_level_comment_notifies_the_post_author(committed):
    post = PostFactory()
    with committed():
        comment = CommentFactory(post=post)

    assert told(comment) == {post.author.username: Kind.POST_COMMENT}


def test_reply_does_not_notify_the_post_author(committed):
    parent = CommentFactory()
    with committed():
        reply = CommentFactory(post=parent.post, parent=parent)

    assert parent.post.author.username not in told(reply)


def test_reply_to_yourself_notifies_nobody(committed):
    parent = CommentFactory()
    with committed():
        reply = CommentFactory(post=parent.post, parent=parent, author=parent.author)

    assert told(reply) == {}


def test_comment_on_your_own_post_notifies_nobody(committed):
    post = PostFactory()
    with committed():
        comment = CommentFactory(post=post, author=post.author)

    assert told(comment) == {}


def test_mention_notifies_the_member_named(committed):
    named = UserFactory(username="rowan")
    parent = CommentFactory()
    with committed():
        reply = CommentFactory(post=parent.post, parent=parent, body="I agree with @rowan here.")

    assert told(reply) == {parent.author.username: Kind.REPLY, "rowan": Kind.MENTION}
    assert named.notifications.count() == 1


def test_member_mentioned_several_times_is_told_once(committed):
    UserFactory(username="rowan")
    with committed():
        comment = CommentFactory(body="@rowan, yes. And @rowan again, @rowan.")

    assert Notification.objects.filter(comment=comment, recipient__username="rowan").count() == 1


def test_mention_of_the_parent_author_is_told_as_a_reply(committed):
    parent = CommentFactory(author=UserFactory(username="rowan"))
    with committed():
        reply = CommentFactory(post=parent.post, parent=parent, body="@rowan thanks")

    assert told(reply) == {"rowan": Kind.REPLY}


def test_mention_of_yourself_notifies_nobody(committed):
    author = UserFactory(username="rowan")
    with committed():
        comment = CommentFactory(author=author, body="I (@rowan) said so.")

    assert "rowan" not in told(comment)


def test_mention_of_an_unknown_name_notifies_nobody(committed):
    post = PostFactory()
    with committed():
        comment = CommentFactory(post=post, body="Ask @nobody-here about it.")

    assert told(comment) == {post.author.username: Kind.POST_COMMENT}


def test_mention_in_code_notifies_nobody(committed):
    UserFactory(username="rowan")
    with committed():
        comment = CommentFactory(body="Type `@rowan` to mention someone.")

    assert "rowan" not in told(comment)


def test_mention_does_not_reach_a_member_who_cannot_see_the_post(committed, moderator):
    UserFactory(username="rowan")
    draft = PostFactory(status=Post.Status.DRAFT, published_at=None)
    comment = Comment.objects.create(post=draft, author=moderator, body="@rowan have a look")

    with committed():
        from forum.notifications.services import notify_comment

        notify_comment(comment.pk)

    assert "rowan" not in told(comment)


def test_followers_hear_of_new_top_level_comments(committed):
    post = PostFactory()
    follower = UserFactory()
    follow_set(user=follower, post=post, following=True)
    with committed():
        comment = CommentFactory(post=post)

    assert told(comment)[follower.username] == Kind.FOLLOWED


def test_followers_do_not_hear_of_replies(committed):
    parent = CommentFactory()
    follower = UserFactory()
    follow_set(user=follower, post=parent.post, following=True)
    with committed():
        reply = CommentFactory(post=parent.post, parent=parent)

    assert follower.username not in told(reply)


def test_commenting_follows_the_discussion(committed):
    author = UserFactory()
    with committed():
        comment = CommentFactory(author=author)

    assert Follow.objects.get(user=author, post=comment.post).state == Follow.State.FOLLOWING


def test_commenting_does_not_follow_when_the_member_turned_it_off(committed):
    author = UserFactory()
    Preference.objects.create(user=author, auto_follow=False)
    with committed():
        comment = CommentFactory(author=author)

    assert not Follow.objects.filter(user=author, post=comment.post).exists()


def test_commenting_again_does_not_undo_a_mute(committed):
    author = UserFactory()
    post = PostFactory()
    follow_set(user=author, post=post, following=False)
    with committed():
        CommentFactory(author=author, post=post)

    assert Follow.objects.get(user=author, post=post).state == Follow.State.MUTED


def test_auto_followers_hear_of_the_next_comment(committed):
    with committed():
        first = CommentFactory()
    with committed():
        second = CommentFactory(post=first.post)

    assert told(second)[first.author.username] == Kind.FOLLOWED


def test_member_who_muted_the_discussion_gets_nothing(committed):
    parent = CommentFactory(body="First")
    follow_set(user=parent.author, post=parent.post, following=False)
    with committed():
        reply = CommentFactory(post=parent.post, parent=parent, body=f"@{parent.author.username} hello")

    assert told(reply) == {}


def test_post_author_who_muted_the_discussion_gets_nothing(committed):
    post = PostFactory()
    follow_set(user=post.author, post=post, following=False)
    with committed():
        comment = CommentFactory(post=post)

    assert told(comment) == {}


def test_deleted_account_gets_nothing(committed):
    parent = CommentFactory()
    parent.author.deleted_at = timezone.now()
    parent.author.save()
    with committed():
        reply = CommentFactory(post=parent.post, parent=parent)

    assert told(reply) == {}


def test_kind_turned_off_gets_nothing(committed):
    parent = CommentFactory()
    Preference.objects.create(user=parent.author, reply=Channel.OFF)
    with committed():
        reply = CommentFactory(post=parent.post, parent=parent)

    assert told(reply) == {}


def test_held_comment_notifies_nobody(committed, settings):
    parent = CommentFactory()
    settings.MODERATION_HOLD_ALL = True
    with committed():
        reply = comment_create(post=parent.post, parent=parent, author=UserFactory(), body="Held")

    assert reply.held_at is not None
    assert told(reply) == {}


def test_held_comment_notifies_once_approved(committed, settings, moderator):
    parent = CommentFactory()
    settings.MODERATION_HOLD_ALL = True
    reply = comment_create(post=parent.post, parent=parent, author=UserFactory(), body="Held")

    with committed():
        comment_approve(comment=reply, actor=moderator)

    assert told(reply) == {parent.author.username: Kind.REPLY}


def test_comment_removed_before_the_work_runs_notifies_nobody(committed, moderator):
    parent = CommentFactory()
    with committed() as callbacks:
        reply = comment_create(post=parent.post, parent=parent, author=UserFactory(), body="Gone soon")
        comment_remove(comment=reply, actor=moderator, reason="Off-topic")

    assert callbacks
    assert told(reply) == {}


def test_guest_comment_once_approved_names_the_guest(committed, settings, moderator):
    settings.COMMENTS_ALLOW_GUESTS = True
    post = PostFactory()
    comment = comment_create(
        post=post, author=AnonymousUser(), body="Hello", guest_name="Wren", guest_email="wren@example.org"
    )

    with committed():
        comment_approve(comment=comment, actor=moderator)

    notification = Notification.objects.get(comment=comment)
    assert notification.headline.startswith("Wren commented")


def test_running_the_work_twice_tells_nobody_twice(committed):
    parent = CommentFactory()
    with committed():
        reply = CommentFactory(post=parent.post, parent=parent)

    from forum.notifications.services import notify_comment

    assert notify_comment(reply.pk) == []
    assert Notification.objects.filter(comment=reply).count() == 1
