"""Sending one delivery's email exactly once, across retries and workers that die.

    claim (PENDING -> SENDING, committed) -> build and send -> mark SENT

The claim is a single conditional UPDATE, so two workers never both hold one delivery.
A send that raises puts the delivery back to PENDING with a longer wait each time, and
gives up after MAX_ATTEMPTS. A worker killed after claiming leaves SENDING behind; once
that claim is STALE_CLAIM old another worker takes it. STALE_CLAIM is far longer than
the mail connection's timeout, so a slow worker that is still alive is never overtaken.
The one gap no database can close: a worker killed after the mail server accepted the
message but before SENT was written. Such an email goes again, with the same
Message-ID, which lets mail systems recognise the repeat.
"""

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import F
from django.utils import timezone

from forum.notifications import emails
from forum.notifications.models import Delivery

logger = logging.getLogger(__name__)

STALE_CLAIM = timedelta(minutes=10)
FIRST_RETRY_AFTER = timedelta(minutes=1)  # doubled after each failure: 1, 2, 4 ... 64 minutes
MAX_ATTEMPTS = 8


@dataclass(frozen=True)
class Outcome:
    state: str  # a Delivery.State, or "not_claimed" when another worker has it or it is not due
    retry_at: datetime | None = None


def send_message(message) -> None:
    message.send()


def claim(delivery_id: int, *, now: datetime) -> uuid.UUID | None:
    """Take the delivery for this worker; None if it is not due or someone else holds a live claim."""
    token = uuid.uuid4()
    taken = (
        Delivery.objects.claimable(now=now, stale_before=now - STALE_CLAIM)
        .filter(pk=delivery_id)
        .update(state=Delivery.State.SENDING, claim=token, claimed_at=now, attempts=F("attempts") + 1)
    )
    return token if taken else None


def retry_delay(attempts: int) -> timedelta:
    return FIRST_RETRY_AFTER * 2 ** (attempts - 1)


def deliver(delivery_id: int, *, now: datetime | None = None) -> Outcome:
    """Claim, send and record one delivery. Call it outside a transaction, so the claim commits first."""
    now = now or timezone.now()
    token = claim(delivery_id, now=now)
    if token is None:
        return Outcome("not_claimed")
    delivery = Delivery.objects.select_related("recipient").get(pk=delivery_id)
    try:
        message = emails.build(delivery)
        if message is not None:
            send_message(message)
    except Exception as error:
        return _failed(delivery, token, error, now=now)
    state = Delivery.State.SENT if message is not None else Delivery.State.SKIPPED
    Delivery.objects.filter(pk=delivery_id, claim=token).update(state=state, sent_at=timezone.now(), last_error="")
    return Outcome(state)


def _failed(delivery: Delivery, token: uuid.UUID, error: Exception, *, now: datetime) -> Outcome:
    described = f"{type(error).__name__}: {error}"[:1000]
    if delivery.attempts >= MAX_ATTEMPTS:
        logger.error("Gave up on delivery %s after %s attempts: %s", delivery.pk, delivery.attempts, described)
        Delivery.objects.filter(pk=delivery.pk, claim=token).update(state=Delivery.State.FAILED, last_error=described)
        return Outcome(Delivery.State.FAILED)
    retry_at = now + retry_delay(delivery.attempts)
    logger.warning(
        "Delivery %s failed (attempt %s), retrying at %s: %s", delivery.pk, delivery.attempts, retry_at, described
    )
    Delivery.objects.filter(pk=delivery.pk, claim=token).update(
        state=Delivery.State.PENDING, next_attempt_at=retry_at, last_error=described, claim=None, claimed_at=None
    )
    return Outcome(Delivery.State.PENDING, retry_at=retry_at)
