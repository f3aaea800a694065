from django.dispatch import receiver

from forum.moderation.log import record
from forum.moderation.models import ModerationAction
from forum.posts.signals import discussion_auto_closed, discussion_auto_reopened


@receiver(discussion_auto_closed)
def log_auto_close(sender, post, at, reason, **kwargs):
    record(ModerationAction.Kind.CLOSE, actor=None, post=post, reason=reason, public_reason=reason, automatic=True)


@receiver(discussion_auto_reopened)
def log_auto_reopen(sender, post, at, **kwargs):
    record(ModerationAction.Kind.REOPEN, actor=None, post=post, reason="Timer", public_reason="", automatic=True)
