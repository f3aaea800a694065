from django.db import transaction
from django.db.models import F
from django.utils import timezone

from forum.comments.models import Comment, path_segment
from forum.posts.models import Post


@transaction.atomic
def comment_create(*, post: Post, author, body: str, parent: Comment | None = None, created_at=None) -> Comment:
    """Insert a comment, derive its place in the tree and count it on the post."""
    comment = Comment.objects.create(
        post=post,
        parent=parent,
        author=author,
        body=body,
        depth=parent.depth + 1 if parent else 0,
        created_at=created_at or timezone.now(),
    )
    comment.path = (parent.path if parent else "") + path_segment(comment.pk)
    comment.root_id = parent.root_id if parent else comment.pk
    Comment.objects.filter(pk=comment.pk).update(path=comment.path, root_id=comment.root_id)
    Post.objects.filter(pk=post.pk).update(comment_count=F("comment_count") + 1)
    return comment
