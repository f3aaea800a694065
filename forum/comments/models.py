from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forum.comments.querysets import CommentQuerySet
from forum.posts.models import Post
from forum.posts.rendering import render_comment_body

# Each level of the materialised path is the comment's id, zero-padded so that
# text order is tree order on every database and collation.
PATH_DIGITS = 10


def path_segment(pk: int) -> str:
    return f"{pk:0{PATH_DIGITS}d}"


class Comment(models.Model):
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
    body = models.TextField(_("comment"))
    body_html = models.TextField(editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    edited_at = models.DateTimeField(null=True, blank=True, editable=False)
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)
    removed_at = models.DateTimeField(null=True, blank=True, editable=False)
    like_count = models.PositiveIntegerField(default=0, editable=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        indexes = [
            # No index holds `path`: it grows with depth, and depth is unlimited.
            models.Index(fields=["post", "root"], name="comment_thread_idx"),
            models.Index(fields=["author", "-created_at"], name="comment_author_idx"),
        ]

    def __str__(self):
        return f"Comment {self.pk} on {self.post_id}"

    def save(self, *args, **kwargs):
        self.body_html = render_comment_body(self.body)
        super().save(*args, **kwargs)

    @property
    def anchor(self) -> str:
        return f"comment-{self.pk}"

    @property
    def is_visible(self) -> bool:
        return self.deleted_at is None and self.removed_at is None
