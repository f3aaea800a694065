"""Everything moderators do, each in one transaction that also writes the log."""

from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.restrictions import forget_restriction
from forum.comments.models import Comment
from forum.comments.services import announce_published, comment_edit, count_in, count_out
from forum.moderation import queue
from forum.moderation.log import record
from forum.moderation.models import ModerationAction, Report, Suspension
from forum.moderation.rules import ModerationDenied, check_can_close, check_can_moderate, check_can_report
from forum.posts.closing import default_close_links
from forum.posts.models import Post

Kind = ModerationAction.Kind


def _locked_post(post: Post) -> Post:
    return Post.objects.select_for_update().get(pk=post.pk)


def _locked_comment(comment: Comment) -> Comment:
    # The post first, then the comment: the same order as comment_create, so no deadlock.
    Post.objects.select_for_update().filter(pk=comment.post_id).first()
    return Comment.objects.select_for_update(of=("self",)).select_related("post", "author").get(pk=comment.pk)


# --- Closing -------------------------------------------------------------------


@transaction.atomic
def discussion_close(
    *,
    post: Post,
    actor,
    reason: str = "",
    links: list[dict] | None = None,
    at: datetime | None = None,
    reopens_at: datetime | None = None,
) -> Post:
    """Close comments now, or at `at` (a timer); optionally reopen them at `reopens_at`.

    With the post row locked, a comment either committed before the close or is refused.
    """
    check_can_close(actor, post)
    post = _locked_post(post)
    now = timezone.now()
    if at and at > now:
        post.closed_at = at
    elif not post.is_closed:
        post.closed_at = now  # changing the reason or links of a closure keeps the date it closed
    post.reopens_at = reopens_at
    post.close_reason = reason.strip()
    post.close_links = default_close_links() if links is None else links
    post.save(update_fields=["closed_at", "reopens_at", "close_reason", "close_links"])
    kind = Kind.SCHEDULE if post.closed_at > now else Kind.CLOSE
    record(
        kind,
        actor=actor,
        post=post,
        reason=post.close_reason,
        public_reason=post.close_reason,
        closes_at=post.closed_at.isoformat(),
        reopens_at=reopens_at.isoformat() if reopens_at else None,
    )
    return post


@transaction.atomic
def discussion_reopen(*, post: Post, actor, reason: str = "", at: datetime | None = None) -> Post:
    """Reopen now, or at `at`. Reopening by hand exempts the post from automatic closing."""
    check_can_close(actor, post)
    post = _locked_post(post)
    now = timezone.now()
    if at and at > now:
        post.reopens_at = at
        post.save(update_fields=["reopens_at"])
        record(Kind.SCHEDULE, actor=actor, post=post, reason=reason, reopens_at=at.isoformat())
        return post
    post.closed_at = post.reopens_at = None
    post.close_reason = ""
    post.close_links = []
    post.auto_close_exempt = True
    post.save(update_fields=["closed_at", "reopens_at", "close_reason", "close_links", "auto_close_exempt"])
    record(Kind.REOPEN, actor=actor, post=post, reason=reason, public_reason=reason)
    return post


@transaction.atomic
def discussion_set_exempt(*, post: Post, actor, exempt: bool) -> Post:
    check_can_moderate(actor)
    post = _locked_post(post)
    post.auto_close_exempt = exempt
    post.save(update_fields=["auto_close_exempt"])
    record(Kind.EXEMPT, actor=actor, post=post, exempt=exempt)
    return post


@transaction.atomic
def discussion_slow_mode(*, post: Post, actor, seconds: int, reason: str = "") -> Post:
    check_can_moderate(actor)
    post = _locked_post(post)
    post.slow_mode_seconds = max(seconds, 0)
    post.save(update_fields=["slow_mode_seconds"])
    record(Kind.SLOW_MODE, actor=actor, post=post, reason=reason, seconds=post.slow_mode_seconds)
    return post


@transaction.atomic
def discussion_hold_all(*, post: Post, actor, hold: bool) -> Post:
    check_can_moderate(actor)
    post = _locked_post(post)
    post.hold_all_comments = hold
    post.save(update_fields=["hold_all_comments"])
    record(Kind.HOLD_ALL, actor=actor, post=post, hold=hold)
    return post


@transaction.atomic
def comment_lock(*, comment: Comment, actor, reason: str = "", until: datetime | None = None) -> Comment:
    """Stop replies anywhere below `comment` (until `until`, if given)."""
    check_can_moderate(actor)
    comment = _locked_comment(comment)
    comment.locked_at = timezone.now()
    comment.lock_reason = reason.strip()
    comment.lock_until = until
    comment.save(update_fields=["locked_at", "lock_reason", "lock_until"])
    record(
        Kind.LOCK,
        actor=actor,
        comment=comment,
        reason=comment.lock_reason,
        public_reason=comment.lock_reason,
        until=until.isoformat() if until else None,
    )
    return comment


@transaction.atomic
def comment_unlock(*, comment: Comment, actor, reason: str = "") -> Comment:
    check_can_moderate(actor)
    comment = _locked_comment(comment)
    comment.locked_at = comment.lock_until = None
    comment.lock_reason = ""
    comment.save(update_fields=["locked_at", "lock_reason", "lock_until"])
    record(Kind.UNLOCK, actor=actor, comment=comment, reason=reason)
    return comment


# --- The queue -----------------------------------------------------------------


def _resolve_reports(comment: Comment, actor, outcome: str) -> None:
    Report.objects.open().filter(comment=comment).update(resolved_at=timezone.now(), resolved_by=actor, outcome=outcome)


@transaction.atomic
def comment_approve(*, comment: Comment, actor) -> Comment:
    """Publish a held comment (or one hidden by reports): it shows and counts from now."""
    check_can_moderate(actor)
    comment = _locked_comment(comment)
    if comment.held_at is None:
        return comment
    # A comment hidden by reports was public before: approving it again announces nothing new.
    first_publication = not comment.held_by_reports
    comment.held_at = None
    comment.hold_reason = ""
    comment.is_urgent = comment.held_by_reports = False
    comment.save(update_fields=["held_at", "hold_reason", "is_urgent", "held_by_reports"])
    if comment.is_visible:
        count_in(comment.post_id, at=timezone.now())
        if first_publication:
            announce_published(comment)
    _resolve_reports(comment, actor, Report.Outcome.DISMISSED)
    record(Kind.APPROVE, actor=actor, comment=comment, member=comment.author)
    return comment


@transaction.atomic
def comment_remove(
    *, comment: Comment, actor, reason: str, show_reason: bool = False, kind: str = Kind.REMOVE
) -> Comment:
    """Take a comment down, keeping its text so it can be restored exactly."""
    check_can_moderate(actor)
    comment = _locked_comment(comment)
    if comment.removed_at:
        return comment
    was_counted = comment.is_visible
    comment.removed_at = timezone.now()
    comment.removal_reason = reason.strip()
    comment.removal_reason_public = show_reason
    comment.save(update_fields=["removed_at", "removal_reason", "removal_reason_public"])
    if was_counted:
        count_out(comment.post_id)
    _resolve_reports(comment, actor, Report.Outcome.ACTED)
    record(
        kind,
        actor=actor,
        comment=comment,
        member=comment.author,
        reason=comment.removal_reason,
        public_reason=comment.removal_reason if show_reason else "",
    )
    return comment


@transaction.atomic
def comment_restore(*, comment: Comment, actor) -> Comment:
    """Undo a removal: the comment comes back exactly as it was."""
    check_can_moderate(actor)
    comment = _locked_comment(comment)
    if comment.removed_at is None:
        return comment
    comment.removed_at = None
    comment.removal_reason = ""
    comment.removal_reason_public = False
    comment.save(update_fields=["removed_at", "removal_reason", "removal_reason_public"])
    if comment.is_visible:
        count_in(comment.post_id, at=comment.created_at)
    record(Kind.RESTORE, actor=actor, comment=comment, member=comment.author)
    return comment


@transaction.atomic
def comment_mark_spam(*, comment: Comment, actor, suspend_author: bool = False) -> Comment:
    comment = comment_remove(comment=comment, actor=actor, reason=_("Spam"), show_reason=False, kind=Kind.SPAM)
    if suspend_author and comment.author_id and not comment.author.is_staff:
        member_suspend(member=comment.author, actor=actor, reason=_("Posted spam"), public_reason=_("Spam"))
    return comment


@transaction.atomic
def comment_moderator_edit(*, comment: Comment, actor, body: str, reason: str = "") -> Comment:
    check_can_moderate(actor)
    edited = comment_edit(comment=comment, editor=actor, body=body)
    record(Kind.EDIT, actor=actor, comment=edited, member=edited.author, reason=reason)
    return edited


# --- Reports -------------------------------------------------------------------


def report_create(
    *, reporter, reason: str, note: str = "", comment: Comment | None = None, post: Post | None = None
) -> Report:
    """File a member's report, once per member and item; enough reports hide a comment for review."""
    check_can_report(reporter)
    try:
        with transaction.atomic():
            report = Report.objects.create(
                reporter=reporter, comment=comment, post=post, reason=reason, note=note.strip()
            )
            if comment is not None:
                _hide_when_reported_enough(comment)
    except IntegrityError:
        raise ModerationDenied("already_reported", _("You have already reported this.")) from None
    return report


def _hide_when_reported_enough(comment: Comment) -> None:
    comment = _locked_comment(comment)
    reports = Report.objects.open().filter(comment=comment).count()
    if reports < settings.MODERATION_REPORT_THRESHOLD or not comment.is_visible:
        return
    comment.held_at = timezone.now()
    comment.held_by_reports = True
    comment.hold_reason = _("Hidden after %(count)s reports, waiting for review.") % {"count": reports}
    comment.save(update_fields=["held_at", "held_by_reports", "hold_reason"])
    count_out(comment.post_id)


@transaction.atomic
def reports_dismiss(*, comment: Comment | None = None, post: Post | None = None, actor) -> int:
    """A moderator looked and left the item up; a comment hidden by reports shows again."""
    check_can_moderate(actor)
    target = {"comment": comment} if comment is not None else {"post": post}
    dismissed = (
        Report.objects.open()
        .filter(**target)
        .update(resolved_at=timezone.now(), resolved_by=actor, outcome=Report.Outcome.DISMISSED)
    )
    if comment is not None:
        locked = _locked_comment(comment)
        if locked.held_by_reports:
            comment_approve(comment=locked, actor=actor)
    record(Kind.DISMISS, actor=actor, comment=comment, post=post, dismissed=dismissed)
    return dismissed


@transaction.atomic
def queue_act(
    *,
    actor,
    action: str,
    items: list[tuple[str, int]],
    reason: str = "",
    show_reason: bool = False,
    suspend_author: bool = False,
) -> int:
    """Apply one queue action to several ("comment" | "post", pk) items, all or nothing.

    "approve" publishes a held comment, or keeps a reported item up and dismisses its
    reports. Items someone else handled meanwhile are skipped. Returns how many changed.
    """
    check_can_moderate(actor)
    open_reports = Count("reports", filter=Q(reports__resolved_at__isnull=True))
    comments = (
        Comment.objects.filter(pk__in=[pk for kind, pk in items if kind == queue.COMMENT])
        .filter(removed_at__isnull=True, deleted_at__isnull=True)
        .select_related("post", "author")
        .annotate(open_reports=open_reports)
        .order_by("pk")
    )
    posts = Post.objects.filter(pk__in=[pk for kind, pk in items if kind == queue.POST]).annotate(
        open_reports=open_reports
    )
    keeps_up = action in {queue.APPROVE, queue.DISMISS}
    done = 0
    suspended = set()
    for comment in comments:
        if action == queue.APPROVE and comment.held_at and not comment.held_by_reports:
            comment_approve(comment=comment, actor=actor)
        elif keeps_up and comment.open_reports:
            reports_dismiss(comment=comment, actor=actor)
        elif action == queue.REMOVE:
            comment_remove(comment=comment, actor=actor, reason=reason, show_reason=show_reason)
        elif action == queue.SPAM:
            suspend = suspend_author and comment.author_id not in suspended
            comment_mark_spam(comment=comment, actor=actor, suspend_author=suspend)
            suspended.add(comment.author_id)
        else:
            continue
        done += 1
    for post in posts:
        if not keeps_up:
            raise ModerationDenied("not_for_posts", _("Reported posts can only have their reports dismissed here."))
        if post.open_reports:
            reports_dismiss(post=post, actor=actor)
            done += 1
    return done


# --- Sanctions -----------------------------------------------------------------


@transaction.atomic
def member_suspend(*, member, actor, reason: str, until: datetime | None = None, public_reason: str = "") -> Suspension:
    """Suspend until `until`, or until lifted: the member reads and signs in, but writes nothing."""
    check_can_moderate(actor)
    if member.is_staff or member.is_superuser:
        raise ModerationDenied("not_allowed", _("Staff accounts cannot be suspended here."))
    suspension = Suspension.objects.create(
        member=member, reason=reason.strip(), public_reason=public_reason.strip(), ends_at=until, created_by=actor
    )
    forget_restriction(member)
    record(
        Kind.SUSPEND,
        actor=actor,
        member=member,
        reason=suspension.reason,
        public_reason=suspension.public_reason,
        until=until.isoformat() if until else None,
    )
    return suspension


@transaction.atomic
def suspension_lift(*, suspension: Suspension, actor, reason: str = "") -> Suspension:
    check_can_moderate(actor)
    suspension = Suspension.objects.select_for_update().get(pk=suspension.pk)
    if suspension.lifted_at is None:
        suspension.lifted_at = timezone.now()
        suspension.lifted_by = actor
        suspension.save(update_fields=["lifted_at", "lifted_by"])
        record(Kind.LIFT, actor=actor, member=suspension.member, reason=reason)
    forget_restriction(suspension.member)
    return suspension
