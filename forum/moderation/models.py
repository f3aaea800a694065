from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forum.comments.models import Comment
from forum.moderation.querysets import ModerationActionQuerySet, ReportQuerySet, SuspensionQuerySet
from forum.posts.models import Post


class ModerationAction(models.Model):
    """One entry of the moderation log: who did what to which target, and why."""

    class Kind(models.TextChoices):
        CLOSE = "close", _("Closed comments")
        REOPEN = "reopen", _("Reopened comments")
        SCHEDULE = "schedule", _("Set a timer")
        EXEMPT = "exempt", _("Exempted from automatic closing")
        SLOW_MODE = "slow_mode", _("Set slow mode")
        HOLD_ALL = "hold_all", _("Changed approval for a post")
        APPROVE = "approve", _("Approved a comment")
        REMOVE = "remove", _("Removed")
        RESTORE = "restore", _("Restored")
        SPAM = "spam", _("Marked as spam")
        SUSPEND = "suspend", _("Suspended a member")
        LIFT = "lift", _("Lifted a suspension")
        LOCK = "lock", _("Locked replies")
        UNLOCK = "unlock", _("Unlocked replies")
        EDIT = "edit", _("Edited a comment")
        DISMISS = "dismiss", _("Dismissed reports")

    # Kinds the public log shows, without naming the member or quoting removed text.
    PUBLIC_KINDS = (Kind.CLOSE, Kind.REOPEN, Kind.REMOVE, Kind.SPAM, Kind.SUSPEND, Kind.LIFT, Kind.LOCK, Kind.UNLOCK)

    kind = models.CharField(max_length=20, choices=Kind)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="moderation_actions"
    )  # None: done by the site itself (an automatic close, say)
    post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    comment = models.ForeignKey(Comment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True)
    public_reason = models.TextField(blank=True, help_text=_("What the public log may say."))
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = ModerationActionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} at {self.created_at:%Y-%m-%d %H:%M}"


class Report(models.Model):
    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam or advertising")
        HARASSMENT = "harassment", _("Harassment or abuse")
        PERSONAL = "personal", _("Shares someone's personal information")
        OFF_TOPIC = "off_topic", _("Off-topic")
        OTHER = "other", _("Something else")

    class Outcome(models.TextChoices):
        ACTED = "acted", _("A moderator took action")
        DISMISSED = "dismissed", _("A moderator reviewed it and left it up")

    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports")
    post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.CASCADE, related_name="reports")
    comment = models.ForeignKey(Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(max_length=20, choices=Reason)
    note = models.TextField(blank=True, max_length=1000)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.CharField(max_length=20, choices=Outcome, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(post__isnull=True, comment__isnull=False) | Q(post__isnull=False, comment__isnull=True),
                name="report_has_one_target",
            ),
            models.UniqueConstraint(fields=["reporter", "comment"], name="one_report_per_comment"),
            models.UniqueConstraint(fields=["reporter", "post"], name="one_report_per_post"),
        ]

    def __str__(self):
        return f"Report {self.pk} ({self.reason})"


class Suspension(models.Model):
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="suspensions")
    reason = models.TextField()
    public_reason = models.CharField(max_length=300, blank=True)
    starts_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField(null=True, blank=True, help_text=_("Empty: until lifted."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = SuspensionQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["member", "lifted_at"], name="suspension_member_idx")]

    def __str__(self):
        return f"Suspension of {self.member_id}"


class WatchPhrase(models.Model):
    """A word, phrase or pattern moderators watch for in new comments."""

    class Action(models.TextChoices):
        HOLD = "hold", _("Hold for approval")
        URGENT = "urgent", _("Hold and mark urgent")
        REJECT = "reject", _("Refuse the comment")

    phrase = models.CharField(max_length=200)
    is_pattern = models.BooleanField(default=False, help_text=_("Treat the phrase as a regular expression."))
    action = models.CharField(max_length=10, choices=Action, default=Action.HOLD)
    note = models.CharField(max_length=200, blank=True, help_text=_("Why moderators watch for this."))
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["action", "phrase"]
        constraints = [models.UniqueConstraint(fields=["phrase", "is_pattern"], name="unique_watch_phrase")]

    def __str__(self):
        return self.phrase
