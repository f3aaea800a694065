from django.db import models

from forum.posts.models import Post


class CommentQuerySet(models.QuerySet):
    def public(self):
        """Comments everyone may see: not deleted by their author, not removed."""
        return self.filter(deleted_at__isnull=True, removed_at__isnull=True)

    def for_thread(self, post):
        # `path` sorts a reply right after its parent and its earlier siblings.
        return self.filter(post=post).select_related("author").order_by("path")

    def recent_by(self, user, *, limit: int = 20):
        """A member's latest public comments on posts everyone can read, for their profile."""
        return (
            self.public()
            .filter(author=user, post__in=Post.objects.published())
            .select_related("post")
            .order_by("-created_at")[:limit]
        )
