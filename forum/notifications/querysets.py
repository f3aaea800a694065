from datetime import datetime

from django.db import models
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)

    def for_list(self, user):
        """A member's notifications, newest first, with what each line names."""
        return (
            self.filter(recipient=user)
            .select_related("actor", "post", "comment")
            .order_by("-created_at", "-pk")
            .fetch_mode(models.FETCH_RAISE)
        )

    def waiting_for_email(self):
        """Meant to be emailed, and not yet part of any email (a digest collects these)."""
        return self.filter(wants_email=True, delivery__isnull=True)


def unread_count():
    """The signed-in member's unread count, as a column of the query that loads them."""
    from forum.notifications.models import Notification

    unread = (
        Notification.objects.unread()
        .filter(recipient=OuterRef("pk"))
        .order_by()
        .values("recipient")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(unread, output_field=IntegerField()), 0)


class DeliveryQuerySet(models.QuerySet):
    def claimable(self, *, now: datetime, stale_before: datetime):
        """Deliveries a worker may take now: due ones, and ones whose worker stopped answering."""
        return self.filter(
            Q(state="pending", next_attempt_at__lte=now) | Q(state="sending", claimed_at__lt=stale_before)
        )
