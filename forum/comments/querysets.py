from django.db import models

from forum.comments.rows import COLUMNS as THREAD_COLUMNS
from forum.comments.rows import ThreadComment, from_tuples
from forum.posts.models import Post

# How top-level comments are ordered; replies always follow their parent, oldest first.
SORTS = {
    "oldest": ("pk",),
    "newest": ("-pk",),
    "liked": ("-like_count", "pk"),
}
DEFAULT_SORT = "oldest"
THREAD_DEFERRED = (
    "body",
    "guest_email",
    "submission_token",
    "author__password",
    "author__email",
    "author__bio",
    "author__first_name",
    "author__last_name",
    "author__last_login",
    "author__date_joined",
    "author__username_key",
)


class CommentQuerySet(models.QuerySet):
    def public(self):
        """Comments everyone may see: not deleted by their author, not removed, not held."""
        return self.filter(deleted_at__isnull=True, removed_at__isnull=True, held_at__isnull=True)

    def top_level(self, post, *, sort: str = DEFAULT_SORT):
        return self.filter(post=post, parent__isnull=True).order_by(*SORTS[sort])

    def for_thread(self, post, *, sort: str = DEFAULT_SORT, roots=None):
        """A page of the thread in display order, in one query.

        `roots` (a sliced queryset of top-level comments) limits the page; each
        root comes with its whole subtree. `path` sorts a reply right after its
        parent and its earlier siblings.
        """
        rows = (
            self.filter(post=post)
            .select_related("author")
            # The page shows stored HTML and public names: leave the rest of both rows behind.
            .defer(*THREAD_DEFERRED)
            # Anything deferred that a page does touch comes for all rows in one query, not one each.
            .fetch_mode(models.FETCH_PEERS)
        )
        if roots is not None:
            rows = rows.filter(root_id__in=roots.values("pk"))
        root_order = {"oldest": ("root_id",), "newest": ("-root_id",), "liked": ("-root__like_count", "root_id")}
        return rows.order_by(*root_order[sort], "path")

    def thread_rows(self, post, *, sort: str = DEFAULT_SORT, roots=None) -> list[ThreadComment]:
        """`for_thread` as read-only rows for the thread page (see forum.comments.rows).

        Sorted here rather than by the database: it would sort whole rows, each with
        its HTML, and on a thread of thousands spill the sort to disk, while sorting
        the keys of 10,000 rows in Python takes a few milliseconds.
        """
        query = self.for_thread(post, sort=sort, roots=roots).order_by().values_list(*THREAD_COLUMNS)
        comments = from_tuples(query)
        # "liked": the most liked top-level comments first; "newest": the latest first.
        likes = {row.pk: row.like_count for row in comments if row.parent_id is None} if sort == "liked" else {}
        direction = -1 if sort == "newest" else 1

        def display_order(comment):
            root = comment.root_id or comment.pk  # a top-level comment is its own root
            return (-likes.get(root, 0), direction * root, comment.path)

        comments.sort(key=display_order)
        return comments

    def page_number_of(self, comment, *, per_page: int, sort: str = DEFAULT_SORT) -> int:
        """The page (1-based) of the thread that shows `comment`, in the default order."""
        if sort != DEFAULT_SORT:
            raise ValueError("Permalinks point into the default order.")
        earlier_roots = self.filter(post_id=comment.post_id, parent__isnull=True, pk__lt=comment.root_id).count()
        return earlier_roots // per_page + 1

    def recent_by(self, user, *, limit: int = 20):
        """A member's latest public comments on posts everyone can read, for their profile."""
        return (
            self.public()
            .filter(author=user, post__in=Post.objects.published())
            .select_related("post")
            .order_by("-created_at")[:limit]
        )
