"""Who may moderate what. Services call these, and so do views and templates."""

from django.conf import settings
from django.utils.translation import gettext as _

from accounts.restrictions import restriction_for
from accounts.roles import is_moderator


class ModerationDenied(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def can_moderate(user) -> bool:
    return is_moderator(user)


def can_close(user, post) -> bool:
    """Moderators close and reopen any discussion; a post's author may, when the site allows it."""
    if is_moderator(user):
        return True
    return (
        settings.MODERATION_AUTHOR_CAN_CLOSE
        and user.is_authenticated
        and post.author_id == user.pk
        and restriction_for(user) is None
    )


def can_report(user) -> bool:
    return user.is_authenticated and restriction_for(user) is None


def check_can_moderate(user) -> None:
    if not can_moderate(user):
        raise ModerationDenied("not_moderator", _("Only moderators can do this."))


def check_can_close(user, post) -> None:
    if not can_close(user, post):
        raise ModerationDenied("not_allowed", _("Only moderators can close or reopen this discussion."))


def check_can_report(user) -> None:
    if not user.is_authenticated:
        raise ModerationDenied("sign_in_required", _("Please sign in to report."))
    restriction = restriction_for(user)
    if restriction:
        raise ModerationDenied(restriction.code, restriction.message)
