"""Turn path-ordered comments into nested-list markup in one linear pass."""

from collections.abc import Iterable

from forum.comments.models import Comment


def layout_thread(comments: Iterable[Comment], *, max_depth: int) -> list[Comment]:
    """Give each comment what the template needs to draw the tree.

    Rows must come in display order (each subtree contiguous, a parent before its
    replies). Sets on each comment:
    - `display_depth`: the depth capped at `max_depth`; deeper replies sit at the last level,
    - `opens_replies`: the next comment is this one's first reply, shown nested,
    - `closes`: how many nested reply lists end after this comment,
    - `reply_total`: how many replies (at any depth) follow it on this page,
    - `parent_comment`: the parent row when it is on this page, for "in reply to NAME".
    """
    rows = list(comments)
    by_pk = {}
    open_ancestors: list[tuple[int, Comment]] = []
    for index, comment in enumerate(rows):
        by_pk[comment.pk] = comment
        comment.parent_comment = by_pk.get(comment.parent_id)
        comment.display_depth = min(comment.depth, max_depth)
        comment.reply_total = 0
        while open_ancestors and open_ancestors[-1][1].depth >= comment.depth:
            start, ancestor = open_ancestors.pop()
            ancestor.reply_total = index - start - 1
        open_ancestors.append((index, comment))
    for start, ancestor in open_ancestors:
        ancestor.reply_total = len(rows) - start - 1
    for index, comment in enumerate(rows):
        next_depth = rows[index + 1].display_depth if index + 1 < len(rows) else 0
        comment.opens_replies = next_depth > comment.display_depth
        comment.closes = range(max(comment.display_depth - next_depth, 0))
    return rows
