"""Work done every few minutes (`manage.py notifications_periodic`, from cron or a timer)."""

from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from forum.notifications import services
from forum.notifications.delivery import STALE_CLAIM
from forum.notifications.models import Delivery

# A delivery still waiting this long after it was due lost its task (a worker was down,
# or queueing failed); fresher ones are left to the task already queued for them.
RESCUE_AFTER = timedelta(minutes=2)


def rescue_deliveries(*, now: datetime) -> int:
    """Queue again the deliveries whose task was lost or whose worker died mid-send."""
    from forum.notifications import tasks

    lost = Delivery.objects.filter(
        Q(state=Delivery.State.PENDING, next_attempt_at__lte=now - RESCUE_AFTER)
        | Q(state=Delivery.State.SENDING, claimed_at__lt=now - STALE_CLAIM)
    ).values_list("pk", flat=True)
    rescued = list(lost)
    for delivery_id in rescued:
        tasks.enqueue(tasks.send_delivery, delivery_id)
    return len(rescued)


def run(*, now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    return {
        "closing_notices": services.notify_closing_soon(now=now),
        "digests": services.send_digests(now=now),
        "rescued": rescue_deliveries(now=now),
    }
