"""Moderators' decisions reach the member they concern, with the reason and a way to ask again."""

from datetime import timedelta

import pytest
from django.utils import timezone

from forum.moderation.models import ModerationAction, Suspension
from forum.moderation.services import (
    comment_approve,
    comment_mark_spam,
    comment_remove,
    comment_restore,
    member_suspend,
    suspension_lift,
)
from forum.notifications.models import Channel, Kind, Notification, Preference
from forum.notifications.services import follow_set
from tests.factories import CommentFactory, UserFactory

pytestmark = pytest.mark.django_db

Decision = ModerationAction.Kind


@pytest.fixture
def moderator():
    return UserFactory(is_staff=True)


def decisions_for(member) -> list[Notification]:
    return list(Notification.objects.filter(recipient=member, kind=Kind.MODERATION).order_by("pk"))


def test_removal_tells_the_author_why(committed, moderator):
    comment = CommentFactory()

    with committed():
        comment_remove(comment=comment, actor=moderator, reason="Personal details of a third person")

    [notice] = decisions_for(comment.author)
    assert notice.moderation_kind == Decision.REMOVE
    assert notice.reason == "Personal details of a third person"
    assert "removed your comment" in notice.headline
    assert notice.may_question


def test_removal_email_says_what_happened_why_and_where_to_ask(committed, moderator, mailoutbox):
    comment = CommentFactory()

    with committed():
        comment_remove(comment=comment, actor=moderator, reason="Off-topic")

    [message] = [m for m in mailoutbox if m.to == [comment.author.email]]
    assert "removed your comment" in message.subject
    assert "Reason: Off-topic" in message.body
    assert "/moderation/contact/" in message.body


def test_spam_removal_is_told_as_spam(committed, moderator):
    comment = CommentFactory()

    with committed():
        comment_mark_spam(comment=comment, actor=moderator)

    [notice] = decisions_for(comment.author)
    assert notice.moderation_kind == Decision.SPAM
    assert "as spam" in notice.headline


def test_restoration_is_told_without_asking_for_a_review(committed, moderator):
    comment = CommentFactory()
    comment_remove(comment=comment, actor=moderator, reason="Mistake")

    with committed():
        comment_restore(comment=comment, actor=moderator)

    [notice] = decisions_for(comment.author)
    assert notice.moderation_kind == Decision.RESTORE
    assert not notice.may_question


def test_approval_of_a_held_comment_is_told(committed, moderator, settings):
    settings.MODERATION_HOLD_ALL = True
    comment = CommentFactory()

    with committed():
        comment_approve(comment=comment, actor=moderator)

    [notice] = decisions_for(comment.author)
    assert notice.moderation_kind == Decision.APPROVE
    assert notice.target_url.endswith(f"/comments/{comment.pk}/")


def test_suspension_tells_the_public_reason_and_the_end(committed, moderator):
    member = UserFactory()
    until = timezone.now() + timedelta(days=3)

    with committed():
        member_suspend(member=member, actor=moderator, reason="Private note", public_reason="Insults", until=until)

    [notice] = decisions_for(member)
    assert notice.reason == "Insults"
    assert "Private note" not in notice.headline
    assert notice.until == until
    assert "suspended until" in notice.headline
    assert notice.may_question


def test_suspension_without_public_reason_keeps_the_private_note_private(committed, moderator, mailoutbox):
    member = UserFactory()

    with committed():
        member_suspend(member=member, actor=moderator, reason="Private note")

    [notice] = decisions_for(member)
    assert notice.reason == ""
    assert all("Private note" not in message.body for message in mailoutbox)


def test_lifting_a_suspension_is_told(committed, moderator):
    member = UserFactory()
    suspension = member_suspend(member=member, actor=moderator, reason="Note")

    with committed():
        suspension_lift(suspension=Suspension.objects.get(pk=suspension.pk), actor=moderator)

    [notice] = decisions_for(member)
    assert notice.moderation_kind == Decision.LIFT
    assert "lifted" in notice.headline


def test_decisions_reach_a_member_who_muted_the_discussion(committed, moderator):
    comment = CommentFactory()
    follow_set(user=comment.author, post=comment.post, following=False)

    with committed():
        comment_remove(comment=comment, actor=moderator, reason="Off-topic")

    assert len(decisions_for(comment.author)) == 1


def test_decisions_stay_in_the_site_when_email_is_off(committed, moderator, mailoutbox):
    comment = CommentFactory()
    Preference.objects.create(user=comment.author, moderation=Channel.SITE)

    with committed():
        comment_remove(comment=comment, actor=moderator, reason="Off-topic")

    assert len(decisions_for(comment.author)) == 1
    assert all(message.to != [comment.author.email] for message in mailoutbox)


def test_decisions_do_not_reach_a_deleted_account(committed, moderator):
    comment = CommentFactory()
    comment.author.deleted_at = timezone.now()
    comment.author.save()

    with committed():
        comment_remove(comment=comment, actor=moderator, reason="Off-topic")

    assert decisions_for(comment.author) == []
