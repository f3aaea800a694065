"""Who may do what in a discussion: the one place views, forms and templates ask.

Each rule answers from objects already loaded, without queries, so a page can
ask it for every comment it shows. Higher apps (moderation) add their own
conditions through `register_write_check`, so the rules here never import them.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import is_moderator


@dataclass(frozen=True)
class Refusal:
    """Why a write is refused: a stable code for clients, a sentence for people."""

    code: str
    message: str
    details: dict = field(default_factory=dict)


type WriteCheck = Callable[..., Refusal | None]
_write_checks: list[WriteCheck] = []


def register_write_check(check: WriteCheck) -> None:
    """Add a condition for writing in a discussion; it gets (user, post, parent) and may refuse."""
    if check not in _write_checks:
        _write_checks.append(check)


def closed_refusal(post) -> Refusal:
    return Refusal(
        code="comments_closed",
        message=str(_("Comments are closed.")),
        details={
            "closed_at": post.closed_at.isoformat() if post.closed_at else None,
            "reason": post.close_reason,
            "reopens_at": None,
        },
    )


def comment_refusal(user, post, *, parent=None) -> Refusal | None:
    """None when `user` may comment on `post` (under `parent`), else why not."""
    if not post.is_published:
        return Refusal("not_published", str(_("This post is not published, so it cannot be discussed yet.")))
    if not user.is_authenticated and not settings.COMMENTS_ALLOW_GUESTS:
        return Refusal("sign_in_required", str(_("Please sign in to join the discussion.")))
    if post.is_closed and not is_moderator(user):
        return closed_refusal(post)
    for check in _write_checks:
        refusal = check(user, post, parent)
        if refusal:
            return refusal
    return None


def can_comment(user, post) -> bool:
    return comment_refusal(user, post) is None


def within_edit_window(comment) -> bool:
    minutes = settings.COMMENTS_EDIT_WINDOW_MINUTES
    return not minutes or timezone.now() - comment.created_at <= timedelta(minutes=minutes)


def edit_refusal(user, comment) -> Refusal | None:
    if not user.is_authenticated or comment.author_id != user.pk:
        return Refusal("not_author", str(_("Only the author can edit this comment.")))
    if not comment.is_visible:
        return Refusal("gone", str(_("This comment was deleted or removed, so it cannot be edited.")))
    if not within_edit_window(comment):
        return Refusal("edit_window", str(_("The time for editing this comment has passed.")))
    return comment_refusal(user, comment.post, parent=comment.parent)


def can_edit(user, comment) -> bool:
    return edit_refusal(user, comment) is None


def can_delete(user, comment) -> bool:
    return user.is_authenticated and comment.author_id == user.pk and comment.is_visible


def can_like(user) -> bool:
    return user.is_authenticated
