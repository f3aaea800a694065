"""Who may write posts. Views, templates and services all ask here."""

from django.conf import settings

from accounts.restrictions import restriction_for

AUTHORS_GROUP = "Authors"


def can_start_discussion(user) -> bool:
    """Signed-in members, or only the Authors group when POSTS_AUTHORS_GROUP_ONLY is on; staff always.

    The group answer is kept on the user object, so a page asks the database once.
    """
    if not user.is_authenticated or not user.is_active:
        return False
    # A suspended member reads but does not write.
    if restriction_for(user):
        return False
    if user.is_staff or user.is_superuser or not settings.POSTS_AUTHORS_GROUP_ONLY:
        return True
    cached = getattr(user, "_is_author", None)
    if cached is None:
        cached = user.groups.filter(name=AUTHORS_GROUP).exists()
        user._is_author = cached
    return cached


def can_edit_post(user, post) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return post.author_id == user.pk and restriction_for(user) is None
