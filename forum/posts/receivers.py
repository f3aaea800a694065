"""Keep cached post pages honest: any change to a post row or a public name renews them."""

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from forum.posts import page_cache
from forum.posts.models import Post

# Member fields that post pages show (names beside comments, "deleted user").
SHOWN_MEMBER_FIELDS = {"username", "display_name", "deleted_at"}


@receiver([post_save, post_delete], sender=Post)
def post_changed(sender, instance, **kwargs):
    page_cache.bump(instance.pk)
    page_cache.bump_all()  # neighbours' pages show this post's title in their links


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def member_changed(sender, instance, update_fields=None, **kwargs):
    # Signing in saves last_login only: that changes no page.
    if update_fields is None or SHOWN_MEMBER_FIELDS & set(update_fields):
        page_cache.bump_all()
