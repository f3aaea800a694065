"""Each email is sent once: retried with back-off when the mail server fails, taken over when a worker dies."""

from datetime import timedelta
from smtplib import SMTPServerDisconnected

import pytest
from django.db.models import F
from django.utils import timezone

from forum.comments.models import Comment
from forum.notifications import delivery, periodic
from forum.notifications.models import Delivery, Notification
from tests.factories import CommentFactory, PostFactory

pytestmark = pytest.mark.django_db


class WorkerKilled(BaseException):
    """Stands for the process dying: nothing after the point it is raised runs, no handler sees it."""


@pytest.fixture
def mail_server_down(monkeypatch):
    def refuse(message):
        raise SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(delivery, "send_message", refuse)


@pytest.fixture
def queued(monkeypatch, committed):
    """A reply notification whose email is waiting: the comment's work ran, the email's did not."""
    monkeypatch.setattr("forum.notifications.services._send_later", lambda deliveries: None)
    post = PostFactory()
    with committed():
        CommentFactory(post=post)
    return Delivery.objects.get()


def age_claims(by: timedelta) -> None:
    Delivery.objects.update(claimed_at=F("claimed_at") - by)


def test_email_is_sent_once_and_marked_sent(committed, mailoutbox):
    post = PostFactory()

    with committed():
        CommentFactory(post=post)

    assert [message.to for message in mailoutbox] == [[post.author.email]]
    sent = Delivery.objects.get()
    assert sent.state == Delivery.State.SENT
    assert sent.attempts == 1


def test_mail_server_down_leaves_the_email_waiting_for_a_retry(committed, mail_server_down, mailoutbox):
    with committed():
        CommentFactory()

    waiting = Delivery.objects.get()
    assert waiting.state == Delivery.State.PENDING
    assert waiting.next_attempt_at > timezone.now()
    assert mailoutbox == []


def test_sent_delivery_is_not_sent_again(queued, mailoutbox):
    delivery.deliver(queued.pk)

    outcome = delivery.deliver(queued.pk)

    assert outcome.state == "not_claimed"
    assert len(mailoutbox) == 1


def test_failed_send_waits_then_retries(queued, mail_server_down, mailoutbox, monkeypatch):
    outcome = delivery.deliver(queued.pk)

    queued.refresh_from_db()
    assert outcome.state == Delivery.State.PENDING
    assert queued.state == Delivery.State.PENDING
    assert "SMTPServerDisconnected" in queued.last_error
    assert outcome.retry_at == queued.next_attempt_at
    assert queued.next_attempt_at - timezone.now() > timedelta(seconds=50)
    assert delivery.deliver(queued.pk).state == "not_claimed"  # not due yet

    monkeypatch.undo()
    Delivery.objects.update(next_attempt_at=timezone.now())
    assert delivery.deliver(queued.pk).state == Delivery.State.SENT
    assert len(mailoutbox) == 1


def test_each_failure_waits_twice_as_long():
    assert [delivery.retry_delay(n).total_seconds() / 60 for n in (1, 2, 3, 4)] == [1, 2, 4, 8]


def test_gives_up_after_the_last_attempt(queued, mail_server_down):
    for _ in range(delivery.MAX_ATTEMPTS):
        Delivery.objects.update(next_attempt_at=timezone.now())
        outcome = delivery.deliver(queued.pk)

    queued.refresh_from_db()
    assert outcome.state == queued.state == Delivery.State.FAILED
    assert queued.attempts == delivery.MAX_ATTEMPTS


def test_worker_killed_mid_send_loses_nothing_and_sends_nothing_twice(queued, monkeypatch, mailoutbox):
    def killed(message):
        raise WorkerKilled

    monkeypatch.setattr(delivery, "send_message", killed)

    # The first worker claims the delivery and dies before the email leaves.
    with pytest.raises(WorkerKilled):
        delivery.deliver(queued.pk)
    monkeypatch.undo()
    queued.refresh_from_db()
    assert queued.state == Delivery.State.SENDING
    assert mailoutbox == []

    # While the claim is fresh, a second worker keeps off: the first might only be slow.
    assert delivery.deliver(queued.pk).state == "not_claimed"
    assert periodic.rescue_deliveries(now=timezone.now()) == 0

    # Once the claim is stale, the periodic pass hands it to a worker, which sends it once.
    age_claims(delivery.STALE_CLAIM + timedelta(seconds=1))
    assert periodic.rescue_deliveries(now=timezone.now()) == 1
    queued.refresh_from_db()
    assert queued.state == Delivery.State.SENT
    assert queued.attempts == 2
    assert len(mailoutbox) == 1

    # Later passes and stray tasks find nothing more to send.
    age_claims(delivery.STALE_CLAIM + timedelta(seconds=1))
    assert periodic.rescue_deliveries(now=timezone.now()) == 0
    assert delivery.deliver(queued.pk).state == "not_claimed"
    assert len(mailoutbox) == 1


def test_two_workers_racing_for_one_delivery_send_it_once(queued, mailoutbox):
    now = timezone.now()
    first = delivery.claim(queued.pk, now=now)
    second = delivery.claim(queued.pk, now=now)

    assert first is not None
    assert second is None


def test_lost_task_is_queued_again_by_the_periodic_pass(queued, mailoutbox):
    Delivery.objects.update(next_attempt_at=timezone.now() - periodic.RESCUE_AFTER - timedelta(seconds=1))

    assert periodic.rescue_deliveries(now=timezone.now()) == 1

    assert len(mailoutbox) == 1


def test_fresh_delivery_is_left_to_its_own_task(queued, mailoutbox):
    assert periodic.rescue_deliveries(now=timezone.now()) == 0

    assert mailoutbox == []


def test_email_for_a_comment_removed_meanwhile_is_skipped(queued, mailoutbox):
    Comment.objects.filter(pk=Notification.objects.get().comment_id).update(removed_at=timezone.now())

    outcome = delivery.deliver(queued.pk)

    assert outcome.state == Delivery.State.SKIPPED
    assert mailoutbox == []
