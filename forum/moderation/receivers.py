from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from forum.moderation.log import record
from forum.moderation.models import ModerationAction, WatchPhrase
from forum.moderation.policies import forget_watch_phrases
from forum.posts.signals import discussion_auto_closed, discussion_auto_reopened


@receiver(discussion_auto_closed)
def log_auto_close(sender, post, at, reason, **kwargs):
    record(ModerationAction.Kind.CLOSE, actor=None, post=post, reason=reason, public_reason=reason, automatic=True)


@receiver(discussion_auto_reopened)
def log_auto_reopen(sender, post, at, **kwargs):
    record(ModerationAction.Kind.REOPEN, actor=None, post=post, reason="Timer", public_reason="", automatic=True)


@receiver(post_save, sender=WatchPhrase)
@receiver(post_delete, sender=WatchPhrase)
def watch_phrases_changed(sender, **kwargs):
    forget_watch_phrases()
