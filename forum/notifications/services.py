"""Deciding who hears about what, and the member's own actions on notifications.

The `notify_*` services run in background tasks. Each is safe to run twice: a member
gets at most one notification per comment, per moderation decision and per closing
time (database constraints), so a retried task adds nothing.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from accounts.models import User
from forum.comments.models import Comment
from forum.compiled import CompiledQuery, Placeholder
from forum.moderation.models import ModerationAction
from forum.notifications.audience import Audience, audience, preference_for
from forum.notifications.models import (
    Channel,
    ClosingNotice,
    Delivery,
    Follow,
    Kind,
    Notification,
    Preference,
    Timing,
)
from forum.posts.closing import auto_close_time
from forum.posts.models import Post
from forum.posts.rendering import mentioned_usernames

# More mentions than this in one comment notify only the first ones: a list of names is not a way to page everyone.
MAX_MENTIONS = 10
CLOSING_NOTICE_BEFORE = timedelta(hours=48)
DIGEST_EVERY = timedelta(hours=24)

Decision = ModerationAction.Kind
# Removal reasons were written about the member's own comment and are theirs to read; a
# suspension's `reason` is the moderators' private note, so members get its public reason.
DECISIONS_TOLD_WITH_PRIVATE_REASON = {Decision.REMOVE, Decision.SPAM}


def _send_later(deliveries: list[Delivery]) -> None:
    from forum.notifications import tasks

    for delivery in deliveries:
        transaction.on_commit(lambda pk=delivery.pk: tasks.enqueue(tasks.send_delivery, pk))


def _add(people: Audience, *, recipient_id: int, kind: str, created: list, deliveries: list, **fields) -> None:
    """Record one notification if the member wants this kind, with an email if they want one now."""
    preference = people.preference(recipient_id)
    channel = preference.channel(kind)
    if channel == Channel.OFF:
        return
    wants_email = channel == Channel.EMAIL and recipient_id in people.verified
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient_id=recipient_id, kind=kind, wants_email=wants_email, **fields
            )
            if wants_email and preference.email_timing == Timing.IMMEDIATE:
                notification.delivery = Delivery.objects.create(recipient_id=recipient_id)
                notification.save(update_fields=["delivery"])
                deliveries.append(notification.delivery)
    except IntegrityError:
        return  # Already told: this task ran before.
    created.append(notification)


def notify_comment(comment_id: int) -> list[Notification]:
    """Tell the people a newly published comment concerns, each once, under the most personal reason.

    A reply tells the parent's author; a mention tells the member named; a top-level
    comment tells the post's author and the discussion's followers. Nobody hears of
    their own comment, of a comment no longer public, or of a discussion they muted.
    """
    comment = Comment.objects.select_related("post", "parent").filter(pk=comment_id).first()
    if comment is None or not comment.is_visible:
        return []
    post = comment.post
    reasons: dict[int, str] = {}
    if comment.parent is not None and comment.parent.is_visible:
        reasons.setdefault(comment.parent.author_id, Kind.REPLY)
    names = mentioned_usernames(comment.body)[:MAX_MENTIONS]
    if names:
        for user_id in User.objects.filter(username__in=names).values_list("pk", flat=True):
            reasons.setdefault(user_id, Kind.MENTION)
    if comment.parent_id is None:
        reasons.setdefault(post.author_id, Kind.POST_COMMENT)
        followers = Follow.objects.filter(post=post, state=Follow.State.FOLLOWING).values_list("user_id", flat=True)
        for user_id in followers:
            reasons.setdefault(user_id, Kind.FOLLOWED)
    people = audience(reasons, post=post, exclude=comment.author_id)
    created, deliveries = [], []
    with transaction.atomic():
        if comment.author_id is not None:
            _follow_on_comment(comment)
        for user_id in people.members:
            _add(
                people,
                recipient_id=user_id,
                kind=reasons[user_id],
                created=created,
                deliveries=deliveries,
                post=post,
                comment=comment,
                actor_id=comment.author_id,
            )
        _send_later(deliveries)
    return created


def _follow_on_comment(comment: Comment) -> None:
    """Commenting follows the discussion, unless the member said otherwise, here or in their settings."""
    if not preference_for(comment.author).auto_follow:
        return
    try:
        with transaction.atomic():
            Follow.objects.get_or_create(user_id=comment.author_id, post_id=comment.post_id)
    except IntegrityError:
        pass  # Followed (or muted) at the same moment elsewhere; that choice stands.


def told_reason(action: ModerationAction) -> str:
    """What the affected member is told about why."""
    if action.kind in DECISIONS_TOLD_WITH_PRIVATE_REASON:
        return action.reason
    return action.public_reason


def notify_decision(action_id: int) -> Notification | None:
    """Tell a member about a moderator's decision concerning them or their comment.

    It reaches them even in a discussion they muted: it is about them, not the discussion.
    """
    action = ModerationAction.objects.select_related("comment").filter(pk=action_id).first()
    if action is None or action.member_id is None:
        return None
    people = audience([action.member_id])
    if action.member_id not in people.members:
        return None
    until = action.details.get("until")
    created, deliveries = [], []
    with transaction.atomic():
        _add(
            people,
            recipient_id=action.member_id,
            kind=Kind.MODERATION,
            created=created,
            deliveries=deliveries,
            action=action,
            moderation_kind=action.kind,
            reason=told_reason(action),
            until=parse_datetime(until) if until else None,
            comment=action.comment,
            post_id=action.post_id,
        )
        _send_later(deliveries)
    return created[0] if created else None


def closing_candidates(now: datetime):
    """Open discussions the policy may close within the notice period: a rough cut in the database.

    `auto_close_time` then decides exactly.
    """
    policy = settings.COMMENTS_AUTO_CLOSE
    if policy == "off":
        return Post.objects.none()
    horizon = now + CLOSING_NOTICE_BEFORE
    posts = Post.objects.published().filter(closed_at__isnull=True, auto_close_exempt=False)
    days = timedelta(days=settings.COMMENTS_AUTO_CLOSE_DAYS)
    if policy == "after_publication":
        return posts.filter(published_at__lte=horizon - days, published_at__gt=now - days)
    earliest = timedelta(days=settings.COMMENTS_AUTO_CLOSE_MIN_DAYS)
    quiet = Q(last_comment_at__lte=horizon - days) | Q(last_comment_at__isnull=True, published_at__lte=horizon - days)
    return posts.filter(quiet, published_at__lte=horizon - earliest)


def notify_closing_soon(*, now: datetime | None = None) -> int:
    """Tell the followers of each discussion that closes by itself within 48 hours, once per closing time."""
    now = now or timezone.now()
    told = 0
    for post in closing_candidates(now):
        closes_at = auto_close_time(post)
        if closes_at is None or not now < closes_at <= now + CLOSING_NOTICE_BEFORE:
            continue
        followers = Follow.objects.filter(post=post, state=Follow.State.FOLLOWING).values_list("user_id", flat=True)
        created, deliveries = [], []
        try:
            with transaction.atomic():
                ClosingNotice.objects.create(post=post, closes_at=closes_at)
                people = audience(followers, post=post)
                for user_id in people.members:
                    _add(
                        people,
                        recipient_id=user_id,
                        kind=Kind.CLOSING,
                        created=created,
                        deliveries=deliveries,
                        post=post,
                        closes_at=closes_at,
                    )
                _send_later(deliveries)
        except IntegrityError:
            continue  # This closing time was announced already.
        told += len(created)
    return told


def send_digests(*, now: datetime | None = None) -> int:
    """Gather each member's waiting email notifications into one email, at most once per 24 hours.

    Returns the number of digests queued.
    """
    now = now or timezone.now()
    waiting = Notification.objects.waiting_for_email().values_list("recipient_id", flat=True).distinct()
    recently = Preference.objects.filter(email_timing=Timing.DIGEST, last_digest_at__gt=now - DIGEST_EVERY).values_list(
        "user_id", flat=True
    )
    queued = []
    for recipient_id in set(waiting) - set(recently):
        with transaction.atomic():
            delivery = Delivery.objects.create(recipient_id=recipient_id, is_digest=True)
            # Only notifications no other digest took meanwhile.
            taken = (
                Notification.objects.waiting_for_email()
                .filter(recipient_id=recipient_id, created_at__lte=now)
                .update(delivery=delivery)
            )
            if not taken:
                delivery.delete()
                continue
            updated = Preference.objects.filter(user_id=recipient_id).update(last_digest_at=now)
            if not updated:
                Preference.objects.create(user_id=recipient_id, last_digest_at=now)
            queued.append(delivery)
            _send_later([delivery])
    return len(queued)


# --- The member's own actions ---------------------------------------------------


def follow_set(*, user, post: Post, following: bool) -> Follow:
    """Follow a discussion, or mute it: a muted discussion tells the member nothing, even replies."""
    state = Follow.State.FOLLOWING if following else Follow.State.MUTED
    follow, _ = Follow.objects.update_or_create(
        user=user, post=post, defaults={"state": state, "changed_at": timezone.now()}
    )
    return follow


def follow_state(user, post: Post) -> str | None:
    if not user.is_authenticated:
        return None
    follow = FOLLOW_STATE.first(Follow.objects.db, user=user.pk, post=post.pk)
    return follow.state if follow else None


def _follow_of_member_on_post() -> models.QuerySet:
    number = models.BigIntegerField()
    follows = Follow.objects.filter(user_id=Placeholder("user", number), post_id=Placeholder("post", number))
    return follows.only("state").order_by()[:1]


# The post page asks it for every signed-in reader: compiled once (forum.compiled).
FOLLOW_STATE = CompiledQuery(_follow_of_member_on_post)


def notifications_mark_read(*, user, pk: int | None = None) -> int:
    """Mark one notification (or, without `pk`, all of them) read; returns how many changed."""
    unread = Notification.objects.unread().filter(recipient=user)
    if pk is not None:
        unread = unread.filter(pk=pk)
    return unread.update(read_at=timezone.now())


def emails_turn_off(*, user, kinds: list[str]) -> list[str]:
    """Stop emails of `kinds` (notifications stay in the site); returns the kinds that were emailed until now."""
    preference = preference_for(user)
    changed = [kind for kind in kinds if preference.channel(kind) == Channel.EMAIL]
    for kind in changed:
        setattr(preference, kind, Channel.SITE)
    if changed or preference.pk is None:
        preference.save()
    # Emails already waiting for these kinds are not sent either.
    Notification.objects.waiting_for_email().filter(recipient=user, kind__in=changed).update(wants_email=False)
    return changed
