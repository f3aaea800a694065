"""The moderation queue: held comments and reported items, the most pressing first.

The queue is ordered on a few columns of every waiting item, then only the page
being shown is loaded in full, so a long queue costs the same handful of queries
as a short one.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, Min, Prefetch, Q
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

from forum.comments.models import Comment
from forum.moderation.models import Report
from forum.posts.models import Post

COMMENT = "comment"
POST = "post"
# What the queue's bulk form can do to the selected items.
APPROVE, REMOVE, SPAM, DISMISS = "approve", "remove", "spam", "dismiss"


@dataclass
class QueueItem:
    kind: str  # COMMENT or POST
    pk: int
    is_urgent: bool
    waiting_since: datetime
    report_count: int
    target: Comment | Post | None = None
    reports: list[Report] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.pk}"

    @property
    def is_comment(self) -> bool:
        return self.kind == COMMENT

    @property
    def waited(self) -> str:
        """How long it has waited, roughly: "3 hours"."""
        if timezone.now() - self.waiting_since < timedelta(minutes=1):
            return _("less than a minute")
        return timesince(self.waiting_since, depth=1)


def _open_reports() -> Prefetch:
    return Prefetch("reports", queryset=Report.objects.open().order_by("created_at"), to_attr="open_reports")


def waiting_items() -> list[QueueItem]:
    """Every item waiting for a moderator: urgent first, then the longest waiting. Two queries."""
    open_report = Q(reports__resolved_at__isnull=True)
    reported = Report.objects.open().filter(comment__isnull=False).values("comment_id")
    comments = (
        Comment.objects.filter(removed_at__isnull=True, deleted_at__isnull=True)
        .filter(Q(held_at__isnull=False) | Q(pk__in=reported))
        .annotate(
            report_count=Count("reports", filter=open_report),
            first_report_at=Min("reports__created_at", filter=open_report),
        )
        .values_list("pk", "is_urgent", "held_at", "report_count", "first_report_at")
    )
    # Filtering on the relation before annotating counts only the open reports.
    posts = (
        Post.objects.filter(open_report, reports__isnull=False)
        .annotate(report_count=Count("reports"), first_report_at=Min("reports__created_at"))
        .values_list("pk", "report_count", "first_report_at")
    )
    items = [
        QueueItem(COMMENT, pk, urgent, min(t for t in (held_at, reported_at) if t), count)
        for pk, urgent, held_at, count, reported_at in comments
    ]
    items += [QueueItem(POST, pk, False, reported_at, count) for pk, count, reported_at in posts]
    items.sort(key=lambda item: (not item.is_urgent, item.waiting_since, item.kind, item.pk))
    return items


def load_items(items: list[QueueItem]) -> list[QueueItem]:
    """Fetch what a page of the queue shows: at most two queries per kind of item."""
    comment_pks = [item.pk for item in items if item.kind == COMMENT]
    post_pks = [item.pk for item in items if item.kind == POST]
    loaded = {}
    if comment_pks:
        rows = (
            Comment.objects.filter(pk__in=comment_pks)
            .select_related("post", "author")
            .prefetch_related(_open_reports())
        )
        loaded.update({(COMMENT, row.pk): row for row in rows})
    if post_pks:
        rows = Post.objects.filter(pk__in=post_pks).select_related("author").prefetch_related(_open_reports())
        loaded.update({(POST, row.pk): row for row in rows})
    shown = []
    for item in items:
        # An item handled between the two reads has simply left the queue.
        if target := loaded.get((item.kind, item.pk)):
            item.target = target
            item.reports = target.open_reports
            shown.append(item)
    return shown
