from django.db import transaction

from forum.moderation.models import ModerationAction
from forum.moderation.signals import member_affected

Kind = ModerationAction.Kind
# Decisions the affected member is told about.
TOLD_TO_MEMBER = {Kind.APPROVE, Kind.REMOVE, Kind.RESTORE, Kind.SPAM, Kind.SUSPEND, Kind.LIFT, Kind.EDIT}


def record(
    kind: str,
    *,
    actor,
    post=None,
    comment=None,
    member=None,
    reason: str = "",
    public_reason: str = "",
    **details,
) -> ModerationAction:
    """Add an entry to the moderation log. Call it inside the service's transaction.

    When the decision concerns a member, listeners hear of it once the transaction commits.
    """
    action = ModerationAction.objects.create(
        kind=kind,
        actor=actor if actor is not None and actor.is_authenticated else None,
        post=post if post is not None else getattr(comment, "post", None),
        comment=comment,
        member=member,
        reason=reason,
        public_reason=public_reason,
        details={key: value for key, value in details.items() if value is not None},
    )
    if member is not None and kind in TOLD_TO_MEMBER:
        transaction.on_commit(
            lambda: member_affected.send(
                sender=ModerationAction, member=member, kind=kind, action=action, comment=comment
            )
        )
    return action
