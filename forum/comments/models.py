from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forum.comments.querysets import CommentQuerySet, PostLikeQuerySet
from forum.comments.rows import CommentFacts
from forum.posts.models import Post
from forum.posts.rendering import render_comment_body

# Each level of the materialised path is the comment's id, zero-padded so that
# text order is tree order on every database and collation.
PATH_DIGITS = 10


def path_segment(pk: int) -> str:
    return f"{pk:0{PATH_DIGITS}d}"


class Comment(CommentFacts, models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="replies")
    # The top-level comment of this one's subtree (itself when top-level): pages of a
    # thread are chosen by top-level comment, then fetched whole by this column.
    root = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    path = models.TextField(default="", editable=False)
    depth = models.PositiveIntegerField(default=0, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="comments"
    )
    guest_name = models.CharField(_("name"), max_length=80, blank=True)
    guest_email = models.EmailField(_("email"), blank=True)
    body = models.TextField(_("comment"))
    body_html = models.TextField(editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    edited_at = models.DateTimeField(null=True, blank=True, editable=False)
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Moderation state. A held comment waits for approval, seen only by its author and
    # moderators; a removed one keeps its text so it can be restored exactly.
    held_at = models.DateTimeField(null=True, blank=True, editable=False)
    hold_reason = models.CharField(max_length=200, blank=True, editable=False)
    is_urgent = models.BooleanField(default=False, editable=False)
    held_by_reports = models.BooleanField(default=False, editable=False)
    removed_at = models.DateTimeField(null=True, blank=True, editable=False)
    removal_reason = models.CharField(max_length=500, blank=True, editable=False)
    removal_reason_public = models.BooleanField(default=False, editable=False)
    edited_by_moderator = models.BooleanField(default=False, editable=False)
    # A locked comment takes no more replies anywhere below it, until `lock_until` if set.
    locked_at = models.DateTimeField(null=True, blank=True, editable=False)
    lock_reason = models.CharField(max_length=500, blank=True, editable=False)
    lock_until = models.DateTimeField(null=True, blank=True, editable=False)
    like_count = models.PositiveIntegerField(default=0, editable=False)
    # One per form shown: a second submission of the same form finds the first comment.
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        indexes = [
            # No index holds `path`: it grows with depth, and depth is unlimited.
            models.Index(fields=["post", "root"], name="comment_thread_idx"),
            models.Index(fields=["post", "parent", "id"], name="comment_top_level_idx"),
            models.Index(fields=["author", "-created_at"], name="comment_author_idx"),
            # The moderation queue reads the few held comments out of many.
            models.Index(fields=["held_at"], name="comment_held_idx", condition=Q(held_at__isnull=False)),
        ]

    def __str__(self):
        return f"Comment {self.pk} on {self.post_id}"

    def save(self, *args, **kwargs):
        self.body_html = render_comment_body(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("comments:permalink", kwargs={"pk": self.pk})


class CommentRevision(models.Model):
    """An earlier text of an edited comment, kept for moderators."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    created_at = models.DateTimeField(help_text=_("When this text was first written or last saved."))
    replaced_at = models.DateTimeField(default=timezone.now)
    replaced_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-replaced_at"]

    def __str__(self):
        return f"Earlier text of comment {self.comment_id}"


class CommentLike(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="likes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_likes")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "comment"], name="one_like_per_comment")]

    def __str__(self):
        return f"{self.user_id} likes comment {self.comment_id}"


class PostLike(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="likes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="post_likes")
    created_at = models.DateTimeField(default=timezone.now)

    objects = PostLikeQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "post"], name="one_like_per_post")]

    def __str__(self):
        return f"{self.user_id} likes post {self.post_id}"
