from forum.moderation.models import ModerationAction


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
    """Add an entry to the moderation log. Call it inside the service's transaction."""
    return ModerationAction.objects.create(
        kind=kind,
        actor=actor if actor is not None and actor.is_authenticated else None,
        post=post if post is not None else getattr(comment, "post", None),
        comment=comment,
        member=member,
        reason=reason,
        public_reason=public_reason,
        details={key: value for key, value in details.items() if value is not None},
    )
