"""Who may do what in a discussion: the one place views, forms and templates ask.

Page rules answer from objects already loaded, without queries, so a page can ask
them for every comment it shows. Write checks that need the database (slow mode)
are registered by higher apps with `register_write_check` and run only when a
write is attempted, so the rules here never import those apps.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.restrictions import restriction_for
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
    """Add a condition for writing a comment; it gets (user, post, parent) and may refuse."""
    if check not in _write_checks:
        _write_checks.append(check)


type ManageCheck = Callable[..., bool]
_manage_checks: list[ManageCheck] = []


def register_manage_check(check: ManageCheck) -> None:
    """Add a say in who may change a discussion's settings; it gets (user, post)."""
    if check not in _manage_checks:
        _manage_checks.append(check)


def can_manage_discussion(user, post) -> bool:
    """Whether the page links `user` to the discussion's settings (closing, slow mode...)."""
    return user.is_authenticated and any(check(user, post) for check in _manage_checks)


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def closed_refusal(post) -> Refusal:
    return Refusal(
        code="comments_closed",
        message=str(_("Comments are closed.")),
        details={
            "closed_at": _iso(post.closed_at),
            "reason": post.close_reason,
            "reopens_at": _iso(post.reopens_at),
            "links": post.close_links,
        },
    )


def locked_refusal(comment) -> Refusal:
    return Refusal(
        code="thread_locked",
        message=str(_("Replies to this part of the discussion are closed.")),
        details={
            "closed_at": _iso(comment.locked_at),
            "reason": comment.lock_reason,
            "reopens_at": _iso(comment.lock_until),
        },
    )


def member_refusal(user) -> Refusal | None:
    restriction = restriction_for(user)
    if restriction:
        return Refusal(restriction.code, restriction.message, {"until": _iso(restriction.until)})
    return None


def comment_refusal(user, post, *, parent=None) -> Refusal | None:
    """None when `user` may comment on `post` (under `parent`) as far as the page knows, else why not."""
    if not post.is_published:
        return Refusal("not_published", str(_("This post is not published, so it cannot be discussed yet.")))
    if not user.is_authenticated and not settings.COMMENTS_ALLOW_GUESTS:
        return Refusal("sign_in_required", str(_("Please sign in to join the discussion.")))
    moderator = is_moderator(user)
    if post.is_closed and not moderator:
        return closed_refusal(post)
    refusal = member_refusal(user)
    if refusal:
        return refusal
    locked = getattr(parent, "locked_by", None) if parent is not None else None
    if locked is not None and not moderator:
        return locked_refusal(locked)
    return None


def write_refusal(user, post, *, parent=None, ancestors=()) -> Refusal | None:
    """The full check before a comment is written: page rules, locks above it, registered checks."""
    if parent is not None:
        now = timezone.now()
        parent.locked_by = next((c for c in (*ancestors, parent) if c.is_locked_at(now)), None)
    refusal = comment_refusal(user, post, parent=parent)
    if refusal:
        return refusal
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
    """Authors edit their own comments (within the window); moderators edit any comment."""
    if is_moderator(user):
        return None
    if not user.is_authenticated or comment.author_id != user.pk:
        return Refusal("not_author", str(_("Only the author can edit this comment.")))
    if comment.deleted_at or comment.removed_at:
        return Refusal("gone", str(_("This comment was deleted or removed, so it cannot be edited.")))
    if not within_edit_window(comment):
        return Refusal("edit_window", str(_("The time for editing this comment has passed.")))
    return comment_refusal(user, comment.post)


def can_edit(user, comment) -> bool:
    return edit_refusal(user, comment) is None


def can_delete(user, comment) -> bool:
    return (
        user.is_authenticated and comment.author_id == user.pk and comment.deleted_at is None and not comment.removed_at
    )


def like_refusal(user) -> Refusal | None:
    if not user.is_authenticated:
        return Refusal("sign_in_required", str(_("Please sign in to like.")))
    return member_refusal(user)


def can_like(user) -> bool:
    return like_refusal(user) is None
