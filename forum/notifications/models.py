from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from forum.comments.models import Comment
from forum.moderation.models import ModerationAction
from forum.notifications.querysets import DeliveryQuerySet, NotificationQuerySet
from forum.posts.models import Post
from forum.posts.rendering import first_words


class Kind(models.TextChoices):
    """What a notification is about; each kind has its own setting."""

    REPLY = "reply", _("Replies to your comments")
    POST_COMMENT = "post_comment", _("Comments on your posts")
    MENTION = "mention", _("Mentions of your @username")
    FOLLOWED = "followed", _("New comments in discussions you follow")
    CLOSING = "closing", _("Discussions you follow closing soon")
    MODERATION = "moderation", _("Moderators' decisions about you or your comments")


# Kinds about one new comment: a member hears about a comment once, under the most
# personal kind that applies (a reply beats a mention, which beats following).
COMMENT_KINDS = (Kind.REPLY, Kind.MENTION, Kind.POST_COMMENT, Kind.FOLLOWED)
# Decisions a member may want a moderator to look at again.
DECISIONS_TO_QUESTION = {
    ModerationAction.Kind.REMOVE,
    ModerationAction.Kind.SPAM,
    ModerationAction.Kind.EDIT,
    ModerationAction.Kind.SUSPEND,
}
EXCERPT_WORDS = 30


class Channel(models.TextChoices):
    OFF = "off", _("Off")
    SITE = "site", _("In the site")
    EMAIL = "email", _("In the site and by email")


class Timing(models.TextChoices):
    IMMEDIATE = "immediate", _("One email for each, as it happens")
    DIGEST = "digest", _("One email a day at most, with everything since the last")


class Preference(models.Model):
    """A member's choices; members without a row get the defaults below."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reply = models.CharField(_("Replies to your comments"), max_length=10, choices=Channel, default=Channel.EMAIL)
    post_comment = models.CharField(_("Comments on your posts"), max_length=10, choices=Channel, default=Channel.EMAIL)
    mention = models.CharField(_("Mentions of your @username"), max_length=10, choices=Channel, default=Channel.EMAIL)
    # Following can be busy (commenting follows by default), so it stays in the site unless asked.
    followed = models.CharField(
        _("New comments in discussions you follow"), max_length=10, choices=Channel, default=Channel.SITE
    )
    closing = models.CharField(
        _("Discussions you follow closing soon"), max_length=10, choices=Channel, default=Channel.EMAIL
    )
    moderation = models.CharField(
        _("Moderators' decisions about you or your comments"),
        max_length=10,
        choices=Channel,
        default=Channel.EMAIL,
        help_text=_("These always show in the site."),
    )
    email_timing = models.CharField(_("When to email"), max_length=10, choices=Timing, default=Timing.IMMEDIATE)
    auto_follow = models.BooleanField(
        _("Follow a discussion when I comment in it"),
        default=True,
        help_text=_("You then hear about new top-level comments there."),
    )
    last_digest_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        constraints = [
            # Moderation notices always reach the member in the site.
            models.CheckConstraint(condition=~Q(moderation="off"), name="moderation_notices_not_off"),
        ]

    def __str__(self):
        return f"Notification settings of {self.user_id}"

    def channel(self, kind: str) -> str:
        return getattr(self, kind)


class Follow(models.Model):
    """A member's choice about one discussion: follow it, or hear nothing about it at all."""

    class State(models.TextChoices):
        FOLLOWING = "following", _("Following")
        MUTED = "muted", _("Muted")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=10, choices=State, default=State.FOLLOWING)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "post"], name="one_follow_per_post")]
        indexes = [models.Index(fields=["post", "state"], name="follow_post_state_idx")]

    def __str__(self):
        return f"{self.user_id} {self.state} post {self.post_id}"


class Delivery(models.Model):
    """One email to one member: a single notification, or a digest of several.

    A worker claims a delivery (PENDING to SENDING, committed) before sending and marks it
    SENT right after, so a second worker never sends it again. A claim left by a worker
    that died goes stale and is taken again; a failed send waits longer after each try.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Claimed by a worker")
        SENT = "sent", _("Sent")
        SKIPPED = "skipped", _("Not needed any more")
        FAILED = "failed", _("Gave up")

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    is_digest = models.BooleanField(default=False)
    state = models.CharField(max_length=10, choices=State, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claim = models.UUIDField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "deliveries"
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="delivery_due_idx")]

    def __str__(self):
        return f"Delivery {self.pk} to {self.recipient_id} ({self.state})"


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=20, choices=Kind)
    post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    comment = models.ForeignKey(Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    # Who wrote the comment; None for a guest (their name is on the comment) or the site itself.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # For moderation notices: the decision, and what the member is told about it.
    action = models.ForeignKey(ModerationAction, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    moderation_kind = models.CharField(max_length=20, choices=ModerationAction.Kind, blank=True)
    reason = models.TextField(blank=True)
    until = models.DateTimeField(null=True, blank=True)
    # For "closing soon": when the discussion closes.
    closes_at = models.DateTimeField(null=True, blank=True)
    wants_email = models.BooleanField(default=False)
    delivery = models.ForeignKey(
        Delivery, null=True, blank=True, on_delete=models.SET_NULL, related_name="notifications"
    )
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_list_idx"),
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread_idx"),
            models.Index(
                fields=["recipient"],
                condition=Q(wants_email=True, delivery__isnull=True),
                name="notification_email_waiting_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "comment"],
                condition=Q(kind__in=[kind.value for kind in COMMENT_KINDS]),
                name="one_notification_per_comment",
            ),
            models.UniqueConstraint(
                fields=["recipient", "action"], condition=Q(kind="moderation"), name="one_notification_per_decision"
            ),
            models.UniqueConstraint(
                fields=["recipient", "post", "closes_at"], condition=Q(kind="closing"), name="one_closing_notice"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.recipient_id}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None

    @property
    def actor_name(self) -> str:
        if self.actor_id is not None:
            return self.actor.public_name
        if self.comment_id is not None and self.comment.author_id is None and self.comment.guest_name:
            return self.comment.guest_name
        return gettext("Someone")

    @property
    def may_question(self) -> bool:
        return self.kind == Kind.MODERATION and self.moderation_kind in DECISIONS_TO_QUESTION

    @property
    def excerpt(self) -> str:
        """The start of the comment as plain text, while the comment is public; escape it like any text."""
        if self.kind == Kind.MODERATION or self.comment_id is None or not self.comment.is_visible:
            return ""
        return first_words(self.comment.body_html, EXCERPT_WORDS)

    @property
    def headline(self) -> str:
        """One sentence saying what happened, for the list and for email."""
        title = self.post.title if self.post_id is not None else ""
        names = {"name": self.actor_name, "title": title}
        match self.kind:
            case Kind.REPLY:
                return gettext("%(name)s replied to your comment on “%(title)s”.") % names
            case Kind.MENTION:
                return gettext("%(name)s mentioned you in “%(title)s”.") % names
            case Kind.POST_COMMENT:
                return gettext("%(name)s commented on your post “%(title)s”.") % names
            case Kind.FOLLOWED:
                return gettext("%(name)s commented on “%(title)s”, a discussion you follow.") % names
            case Kind.CLOSING:
                when = date_format(timezone.localtime(self.closes_at), "DATETIME_FORMAT")
                return gettext("Comments on “%(title)s” close automatically on %(when)s.") % {
                    "title": title,
                    "when": when,
                }
        return self._decision_headline(title)

    def _decision_headline(self, title: str) -> str:
        Decision = ModerationAction.Kind
        match self.moderation_kind:
            case Decision.APPROVE:
                return gettext("A moderator approved your comment on “%(title)s”: everyone can read it now.") % {
                    "title": title
                }
            case Decision.REMOVE:
                return gettext("A moderator removed your comment on “%(title)s”.") % {"title": title}
            case Decision.SPAM:
                return gettext("A moderator removed your comment on “%(title)s” as spam.") % {"title": title}
            case Decision.RESTORE:
                return gettext("A moderator restored your comment on “%(title)s”.") % {"title": title}
            case Decision.EDIT:
                return gettext("A moderator edited your comment on “%(title)s”.") % {"title": title}
            case Decision.SUSPEND if self.until:
                until = date_format(timezone.localtime(self.until), "DATETIME_FORMAT")
                return gettext(
                    "Your account is suspended until %(until)s: you can read, but not post, comment, like or report."
                ) % {"until": until}
            case Decision.SUSPEND:
                return gettext(
                    "Your account is suspended until a moderator lifts it: you can read, "
                    "but not post, comment, like or report."
                )
            case Decision.LIFT:
                return gettext("Your suspension was lifted: you can post and comment again.")
        return gettext("A moderator made a decision about your account.")

    @property
    def target_url(self) -> str | None:
        """Where the notification leads: the comment in its thread, else the discussion."""
        if self.comment_id is not None:
            return reverse("comments:permalink", kwargs={"pk": self.comment_id})
        if self.post_id is not None:
            return self.post.get_absolute_url()
        return None


class ClosingNotice(models.Model):
    """Followers of `post` were told it closes at `closes_at`: once per closing time."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")
    closes_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "closes_at"], name="one_notice_per_closing")]

    def __str__(self):
        return f"Closing notice for post {self.post_id}"
