"""Background work, run by the task worker (`manage.py db_worker`); tests run it at once."""

import logging

from django.tasks import task

from forum.notifications import delivery, periodic, services

logger = logging.getLogger(__name__)


def enqueue(work, *args, run_after=None) -> None:
    """Queue `work`; a failure to queue is logged, never shown to the person whose request caused it.

    A delivery that never got queued is found again by the periodic pass.
    """
    try:
        if run_after is not None:
            if not work.get_backend().supports_defer:
                return  # The periodic pass picks it up when it is due.
            work = work.using(run_after=run_after)
        work.enqueue(*args)
    except Exception:
        logger.exception("Could not queue %s%r", work.name, args)


@task
def notify_published_comment(comment_id: int) -> int:
    return len(services.notify_comment(comment_id))


@task
def notify_moderation_decision(action_id: int) -> bool:
    return services.notify_decision(action_id) is not None


@task
def send_delivery(delivery_id: int) -> str:
    outcome = delivery.deliver(delivery_id)
    if outcome.retry_at is not None:
        enqueue(send_delivery, delivery_id, run_after=outcome.retry_at)
    return outcome.state


@task
def run_periodic_work() -> dict:
    return periodic.run()
