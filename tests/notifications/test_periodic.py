"""The periodic pass: one notice before an automatic close, and daily digests."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from forum.notifications import tasks
from forum.notifications.models import Channel, Delivery, Kind, Notification, Preference, Timing
from forum.notifications.services import DIGEST_EVERY, follow_set, notify_closing_soon, send_digests
from tests.factories import CommentFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def closes_by_itself(settings):
    settings.COMMENTS_AUTO_CLOSE = "after_publication"
    settings.COMMENTS_AUTO_CLOSE_DAYS = 30


def post_published(days_ago: float):
    return PostFactory(published_at=timezone.now() - timedelta(days=days_ago))


def closing_notices(post):
    return Notification.objects.filter(post=post, kind=Kind.CLOSING)


def test_followers_are_told_once_when_the_close_is_within_48_hours(closes_by_itself, committed, mailoutbox):
    post = post_published(days_ago=29)
    follower = UserFactory()
    follow_set(user=follower, post=post, following=True)

    with committed():
        assert notify_closing_soon() == 1
    assert notify_closing_soon() == 0

    [notice] = closing_notices(post)
    assert notice.recipient == follower
    assert notice.closes_at == post.published_at + timedelta(days=30)
    assert "close automatically on" in notice.headline
    assert [message.to for message in mailoutbox] == [[follower.email]]


def test_nobody_is_told_while_the_close_is_further_away(closes_by_itself):
    post = post_published(days_ago=27)
    follow_set(user=UserFactory(), post=post, following=True)

    assert notify_closing_soon() == 0


def test_nobody_is_told_without_an_automatic_close(settings):
    settings.COMMENTS_AUTO_CLOSE = "off"
    post = post_published(days_ago=29.5)
    follow_set(user=UserFactory(), post=post, following=True)

    assert notify_closing_soon() == 0


def test_muted_and_exempt_discussions_are_left_alone(closes_by_itself):
    post = post_published(days_ago=29)
    follow_set(user=UserFactory(), post=post, following=False)
    exempt = post_published(days_ago=29)
    exempt.auto_close_exempt = True
    exempt.save()
    follow_set(user=UserFactory(), post=exempt, following=True)

    assert notify_closing_soon() == 0


def test_a_later_closing_time_is_announced_again(settings):
    settings.COMMENTS_AUTO_CLOSE = "after_last_comment"
    settings.COMMENTS_AUTO_CLOSE_DAYS = 10
    settings.COMMENTS_AUTO_CLOSE_MIN_DAYS = 1
    post = post_published(days_ago=40)
    follower = UserFactory()
    follow_set(user=follower, post=post, following=True)
    post.last_comment_at = timezone.now() - timedelta(days=9)
    post.save()
    notify_closing_soon()

    post.last_comment_at = timezone.now() - timedelta(days=8.5)
    post.save()

    assert notify_closing_soon() == 1
    assert closing_notices(post).count() == 2


def test_digest_members_get_one_email_with_everything(committed, mailoutbox):
    author = UserFactory()
    Preference.objects.create(user=author, email_timing=Timing.DIGEST)
    post = PostFactory(author=author)
    with committed():
        CommentFactory(post=post, body="First thought")
        CommentFactory(post=post, body="Second thought")
    assert mailoutbox == []

    with committed():
        assert send_digests() == 1

    [message] = mailoutbox
    assert message.to == [author.email]
    assert "2 notifications" in message.subject
    assert "First thought" in message.body
    assert "Second thought" in message.body
    assert "Stop all notification emails" in message.body


def test_digest_goes_at_most_once_a_day(committed, mailoutbox):
    author = UserFactory()
    Preference.objects.create(user=author, email_timing=Timing.DIGEST)
    post = PostFactory(author=author)
    with committed():
        CommentFactory(post=post)
    with committed():
        send_digests()
    with committed():
        CommentFactory(post=post)

    with committed():
        assert send_digests() == 0
        assert send_digests(now=timezone.now() + DIGEST_EVERY) == 1

    assert len(mailoutbox) == 2


def test_digest_leaves_out_kinds_kept_in_the_site(committed, mailoutbox):
    author = UserFactory()
    Preference.objects.create(user=author, email_timing=Timing.DIGEST, post_comment=Channel.SITE)
    with committed():
        CommentFactory(post=PostFactory(author=author))

    assert send_digests() == 0
    assert mailoutbox == []


def test_digest_is_not_sent_to_an_unverified_address(committed, mailoutbox):
    author = UserFactory(verified_email=False)
    Preference.objects.create(user=author, email_timing=Timing.DIGEST)
    with committed():
        CommentFactory(post=PostFactory(author=author))

    assert send_digests() == 0
    assert not Delivery.objects.exists()


def test_periodic_command_runs_every_part(closes_by_itself, capsys):
    follow_set(user=UserFactory(), post=post_published(days_ago=29), following=True)

    call_command("notifications_periodic")

    assert "closing notices: 1, digests: 0, rescued: 0" in capsys.readouterr().out


def test_periodic_work_can_be_queued_as_a_task(closes_by_itself):
    follow_set(user=UserFactory(), post=post_published(days_ago=29), following=True)

    result = tasks.run_periodic_work.enqueue()

    assert result.return_value == {"closing_notices": 1, "digests": 0, "rescued": 0}
