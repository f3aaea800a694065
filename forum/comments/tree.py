"""Turn path-ordered comments into nested-list markup in one linear pass."""

from collections.abc import Iterable

from forum.comments.models import Comment


def layout_thread(comments: Iterable[Comment], *, max_depth: int) -> list[Comment]:
    """Give each comment what the template needs to open and close nested lists.

    `display_depth` is the depth capped at `max_depth` (deeper replies sit at the
    last level); `opens_replies` says the next comment is this one's first reply;
    `closes` counts the reply lists that end after this comment.
    """
    rows = list(comments)
    for comment in rows:
        comment.display_depth = min(comment.depth, max_depth)
    for index, comment in enumerate(rows):
        next_depth = rows[index + 1].display_depth if index + 1 < len(rows) else 0
        comment.opens_replies = next_depth > comment.display_depth
        comment.closes = range(max(comment.display_depth - next_depth, 0))
    return rows
