"""What every page shows about moderation: the queue's size for moderators, a notice for restricted members.

Both are free for most readers: the signed-in user is loaded with whether they moderate
and whether a suspension holds (accounts.backends), so only a moderator's page (one
count) and a suspended member's page (their suspension) ask the database anything.
"""

from django.db.models import Count, F, Func, IntegerField, Q, Subquery
from django.utils.functional import SimpleLazyObject

from accounts.restrictions import restriction_for
from forum.comments.models import Comment
from forum.moderation.models import Report
from forum.moderation.rules import can_moderate


def _count_distinct(field: str) -> Func:
    return Func(F(field), function="COUNT", template="COUNT(DISTINCT %(expressions)s)", output_field=IntegerField())


def queue_size() -> dict[str, int]:
    """Items waiting for a moderator, in one query: held comments, plus comments and posts with open reports.

    A held comment that is also reported counts once; `urgent` counts held comments marked urgent.
    """
    open_reports = Report.objects.open().order_by()
    reported_comments = open_reports.filter(
        comment__isnull=False,
        comment__held_at__isnull=True,
        comment__removed_at__isnull=True,
        comment__deleted_at__isnull=True,
    ).values(count=_count_distinct("comment_id"))
    reported_posts = open_reports.filter(post__isnull=False).values(count=_count_distinct("post_id"))
    held = Comment.objects.filter(held_at__isnull=False, removed_at__isnull=True, deleted_at__isnull=True)
    return held.aggregate(
        total=Count("pk") + Subquery(reported_comments) + Subquery(reported_posts),
        urgent=Count("pk", filter=Q(is_urgent=True)),
    )


def moderation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None:
        return {}
    is_moderator = can_moderate(user)
    return {
        "user_is_moderator": is_moderator,
        # Counted only if the page shows it.
        "moderation_queue": SimpleLazyObject(queue_size) if is_moderator else None,
        "member_restriction": restriction_for(user),
    }
