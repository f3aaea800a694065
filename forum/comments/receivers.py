"""A comment or a post like written or deleted renews that post's cached page."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from forum.comments.models import Comment, PostLike
from forum.posts import page_cache


@receiver([post_save, post_delete], sender=Comment)
@receiver([post_save, post_delete], sender=PostLike)
def thread_changed(sender, instance, **kwargs):
    page_cache.bump(instance.post_id)
