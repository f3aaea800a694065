"""Turn path-ordered comments into nested-list markup in linear passes."""

from collections.abc import Callable, Iterable
from itertools import pairwise

from django.utils import timezone

from forum.comments.rows import AnyComment


def prune_hidden(
    rows: list[AnyComment],
    *,
    can_see: Callable[[AnyComment], bool],
    keep_placeholder: Callable[[AnyComment], bool] | None = None,
) -> list[AnyComment]:
    """Drop the comments this reader may not see, unless they must stay as placeholders.

    A comment the reader may not see stays (as a placeholder) while a reply below
    it is shown, or when `keep_placeholder` says so (moderators keep removed ones);
    otherwise it goes with its invisible replies. Walking backwards, every reply is
    met before its parent, so one pass decides.
    """
    shown_child_of: set[int] = set()
    kept: list[AnyComment] = []
    for comment in reversed(rows):
        seen = can_see(comment)
        # A comment hidden by reports can have replies; they keep their place under it.
        placeholder = comment.pk in shown_child_of or (keep_placeholder is not None and keep_placeholder(comment))
        if seen or placeholder:
            kept.append(comment)
            comment.is_placeholder = not seen
            if comment.parent_id:
                shown_child_of.add(comment.parent_id)
    kept.reverse()
    return kept


def layout_thread(comments: Iterable[AnyComment], *, max_depth: int) -> list[AnyComment]:
    """Give each comment what the template needs to draw the tree.

    Rows must come in display order (each subtree contiguous, a parent before its
    replies). Sets on each comment:
    - `display_depth`: the depth capped at `max_depth`; deeper replies sit at the last level,
    - `opens_replies`: the next comment is this one's first reply, shown nested,
    - `closes`: how many nested reply lists end after this comment (a number),
    - `reply_total`: how many replies (at any depth) follow it on this page,
    - `parent_comment`: the parent row when it is on this page, for "in reply to NAME",
    - `locked_by`: the nearest locked comment at or above it, which stops replies here.
    """
    rows = list(comments)
    now = timezone.now()
    by_pk = {}
    open_ancestors: list[tuple[int, AnyComment]] = []
    for index, comment in enumerate(rows):
        by_pk[comment.pk] = comment
        parent = by_pk.get(comment.parent_id)
        comment.parent_comment = parent
        comment.display_depth = min(comment.depth, max_depth)
        comment.reply_total = 0
        comment.locked_by = comment if comment.is_locked_at(now) else getattr(parent, "locked_by", None)
        while open_ancestors and open_ancestors[-1][1].depth >= comment.depth:
            start, ancestor = open_ancestors.pop()
            ancestor.reply_total = index - start - 1
        open_ancestors.append((index, comment))
    for start, ancestor in open_ancestors:
        ancestor.reply_total = len(rows) - start - 1
    for comment, following in pairwise(rows):
        comment.opens_replies = following.display_depth > comment.display_depth
        comment.closes = max(comment.display_depth - following.display_depth, 0)
    if rows:
        rows[-1].opens_replies = False
        rows[-1].closes = rows[-1].display_depth
    return rows
