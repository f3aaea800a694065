"""What a thread page reads of each comment: small objects built from one query's tuples.

A page of a thread can hold thousands of comments and only reads them. A model
instance per comment and another per author cost more than the rest of the page
together (field descriptors, deferred-field bookkeeping, the relation cache), so
the page asks for the columns it shows as tuples and wraps each in a `ThreadComment`:
the same attribute names as `Comment`, and the same facts through `CommentFacts`,
which the model shares. Each member who wrote on the page is one `ThreadAuthor`,
however many comments they wrote.
"""

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from accounts.models import PublicIdentity

if TYPE_CHECKING:
    from forum.comments.models import Comment

# The comment's own columns, in the order `from_tuples` unpacks them.
COMMENT_COLUMNS = (
    "pk",
    "post_id",
    "parent_id",
    "root_id",
    "path",
    "depth",
    "author_id",
    "guest_name",
    "body_html",
    "created_at",
    "edited_at",
    "deleted_at",
    "held_at",
    "hold_reason",
    "removed_at",
    "removal_reason",
    "removal_reason_public",
    "edited_by_moderator",
    "locked_at",
    "lock_reason",
    "lock_until",
    "like_count",
)
AUTHOR_COLUMNS = ("author__username", "author__display_name", "author__deleted_at")
COLUMNS = COMMENT_COLUMNS + AUTHOR_COLUMNS
# After them, the thread query's rows carry the count of the thread's top-level comments.
TOTAL_COLUMN = len(COLUMNS)


class CommentFacts:
    """What a comment's columns say about it; shared by `Comment` and `ThreadComment`."""

    __slots__ = ()

    @property
    def anchor(self) -> str:
        return f"comment-{self.pk}"

    @property
    def is_visible(self) -> bool:
        """Shown to everyone and counted: not held, removed or deleted."""
        return self.deleted_at is None and self.removed_at is None and self.held_at is None

    def is_locked_at(self, moment) -> bool:
        return self.locked_at is not None and (self.lock_until is None or self.lock_until > moment)

    @property
    def author_name(self) -> str:
        if self.author_id is None:
            return self.guest_name or str(_("deleted user"))
        return self.author.public_name


class ThreadAuthor(PublicIdentity):
    __slots__ = ("deleted_at", "display_name", "pk", "username")

    def __init__(self, pk: int, username: str, display_name: str, deleted_at):
        self.pk, self.username, self.display_name, self.deleted_at = pk, username, display_name, deleted_at


class ThreadComment(CommentFacts):
    __slots__ = (
        *COMMENT_COLUMNS,
        "author",
        # Set on the way to the page: by tree.prune_hidden and tree.layout_thread, then by the view.
        "is_placeholder",
        "parent_comment",
        "display_depth",
        "reply_total",
        "locked_by",
        "opens_replies",
        "closes",
        "post",
        "is_liked",
        "may_reply",
        "may_edit",
        "may_delete",
        "may_report",
    )

    def __repr__(self):
        return f"<ThreadComment {self.pk}>"


# What the page's layout and renderer take: its rows, or a model instance (a comment
# just posted, drawn for the script that posted it). Evaluated lazily: no import cycle.
type AnyComment = ThreadComment | Comment


def from_tuples(rows: Iterable[tuple]) -> list[ThreadComment]:
    """Wrap rows of `COLUMNS` and the top-level total (`TOTAL_COLUMN`) as the thread query
    gives them, one `ThreadAuthor` per member."""
    authors: dict[int, ThreadAuthor] = {}
    comments = []
    new = object.__new__
    for row in rows:
        comment = new(ThreadComment)
        (
            comment.pk,
            comment.post_id,
            comment.parent_id,
            comment.root_id,
            comment.path,
            comment.depth,
            comment.author_id,
            comment.guest_name,
            comment.body_html,
            comment.created_at,
            comment.edited_at,
            comment.deleted_at,
            comment.held_at,
            comment.hold_reason,
            comment.removed_at,
            comment.removal_reason,
            comment.removal_reason_public,
            comment.edited_by_moderator,
            comment.locked_at,
            comment.lock_reason,
            comment.lock_until,
            comment.like_count,
            username,
            display_name,
            author_deleted_at,
            _top_level_total,
        ) = row
        author_id = comment.author_id
        if author_id is None:
            comment.author = None
        else:
            author = authors.get(author_id)
            if author is None:
                author = authors[author_id] = ThreadAuthor(author_id, username, display_name, author_deleted_at)
            comment.author = author
        comments.append(comment)
    return comments
