"""When a discussion closes by itself: timers and the site's automatic-closing policy.

The policy is evaluated when a page or a write asks (`refresh_discussion_state`), and
what it decides is written to the post row. Switching the policy off later therefore
never reopens a discussion it already closed; a moderator reopens it by hand, which
also exempts it from the policy.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.posts.models import Post
from forum.posts.signals import discussion_auto_closed, discussion_auto_reopened

POLICIES = {"off", "after_publication", "after_last_comment"}


def auto_close_time(post: Post) -> datetime | None:
    """When the site's policy closes `post`, or None if it never does."""
    policy = settings.COMMENTS_AUTO_CLOSE
    if policy == "off" or post.auto_close_exempt or post.published_at is None:
        return None
    days = timedelta(days=settings.COMMENTS_AUTO_CLOSE_DAYS)
    if policy == "after_publication":
        return post.published_at + days
    quiet_since = post.last_comment_at or post.published_at
    earliest = post.published_at + timedelta(days=settings.COMMENTS_AUTO_CLOSE_MIN_DAYS)
    return max(quiet_since + days, earliest)


def upcoming_close(post: Post) -> datetime | None:
    """The time an open discussion will close, scheduled or by policy, for "Comments close on ..."."""
    if post.is_closed:
        return None
    candidates = [moment for moment in (post.closes_at, auto_close_time(post)) if moment]
    return min(candidates) if candidates else None


def _auto_close_reason() -> str:
    return (
        _("This discussion closed automatically after a period without new comments.")
        if (settings.COMMENTS_AUTO_CLOSE == "after_last_comment")
        else _("Discussions close automatically %(days)s days after publication.")
        % {"days": settings.COMMENTS_AUTO_CLOSE_DAYS}
    )


def refresh_discussion_state(post: Post) -> Post:
    """Write down what timers and the policy have decided by now; returns the post, current."""
    now = timezone.now()
    needs_close = post.closed_at is None and (when := auto_close_time(post)) is not None and when <= now
    needs_reopen = post.reopens_at is not None and post.reopens_at <= now
    if not (needs_close or needs_reopen):
        return post
    with transaction.atomic():
        current = Post.objects.select_for_update().get(pk=post.pk)
        if current.reopens_at is not None and current.reopens_at <= now:
            at = current.reopens_at
            current.closed_at = current.reopens_at = None
            current.close_reason = ""
            current.close_links = []
            # A timed reopening is a moderator's decision: the policy must not close it straight away.
            current.auto_close_exempt = current.auto_close_exempt or settings.COMMENTS_AUTO_CLOSE != "off"
            current.save(update_fields=["closed_at", "reopens_at", "close_reason", "close_links", "auto_close_exempt"])
            discussion_auto_reopened.send(sender=Post, post=current, at=at)
        elif current.closed_at is None and (when := auto_close_time(current)) is not None and when <= now:
            current.closed_at = when
            current.close_reason = _auto_close_reason()
            current.close_links = default_close_links()
            current.save(update_fields=["closed_at", "close_reason", "close_links"])
            discussion_auto_closed.send(sender=Post, post=current, at=when, reason=current.close_reason)
    for field in ("closed_at", "reopens_at", "close_reason", "close_links", "auto_close_exempt"):
        setattr(post, field, getattr(current, field))
    return post


def default_close_links() -> list[dict]:
    """The site's "where to go now" links, offered with every closure unless a moderator changes them."""
    return [dict(link) for link in settings.SITE_HELP_LINKS]


def next_state_change(post: Post) -> datetime | None:
    """The next moment the discussion's state changes by itself (a timer or the policy)."""
    moments = [moment for moment in (upcoming_close(post), post.reopens_at) if moment and moment > timezone.now()]
    return min(moments) if moments else None
