"""The thread query stated through the ORM: what the thread page's own SQL
(forum.comments.querysets.ThreadStatement) is checked against."""

from django.db import models

from forum.comments.models import Comment
from forum.comments.querysets import DEFAULT_SORT, SORTS

# What the page never shows: left behind, as the page's own query leaves it.
UNSHOWN = (
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


def top_level(post, *, sort: str = DEFAULT_SORT):
    return Comment.objects.filter(post=post, parent__isnull=True).order_by(*SORTS[sort])


def thread(post, *, sort: str = DEFAULT_SORT, roots=None):
    """A page of the thread in display order, as model instances.

    `roots` (a sliced `top_level`) limits the page; each root comes with its whole
    subtree. `path` sorts a reply right after its parent and its earlier siblings.
    Anything left behind that is touched raises, rather than loading one row at a time.
    """
    rows = Comment.objects.filter(post=post).select_related("author").defer(*UNSHOWN)
    rows = rows.fetch_mode(models.FETCH_RAISE)
    if roots is not None:
        rows = rows.filter(root_id__in=roots.values("pk"))
    root_order = {"oldest": ("root_id",), "newest": ("-root_id",), "liked": ("-root__like_count", "root_id")}
    return rows.order_by(*root_order[sort], "path")
