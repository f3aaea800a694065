"""Events from the apps below, turned into background work. Both signals arrive after commit."""

from django.dispatch import receiver

from forum.comments.signals import comment_published
from forum.moderation.signals import member_affected
from forum.notifications import tasks


@receiver(comment_published)
def comment_was_published(sender, comment, **kwargs):
    tasks.enqueue(tasks.notify_published_comment, comment.pk)


@receiver(member_affected)
def member_was_affected(sender, member, kind, action, comment=None, **kwargs):
    tasks.enqueue(tasks.notify_moderation_decision, action.pk)
