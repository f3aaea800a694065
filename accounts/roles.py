"""Who holds which role. Every app asks here instead of checking groups itself."""

MODERATORS_GROUP = "Moderators"


def is_moderator(user) -> bool:
    """Staff, superusers and members of the Moderators group moderate everywhere.

    The answer is kept on the user object, so a page asks the database once.
    """
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_staff or user.is_superuser:
        return True
    cached = getattr(user, "in_moderators_group", None)  # loaded with the session's user
    if cached is None:
        cached = getattr(user, "_is_moderator", None)
    if cached is None:
        cached = user.groups.filter(name=MODERATORS_GROUP).exists()
        user._is_moderator = cached
    return cached


def in_moderators_group():
    from django.db.models import Exists, OuterRef

    from accounts.models import User

    return Exists(User.groups.through.objects.filter(user_id=OuterRef("pk"), group__name=MODERATORS_GROUP))
